"""Issue 19 item 1: a password typed as a name never reaches the audit trail (a keyed hash
instead, equal for equal attempts); ``audit list --json --details`` shows each event's
details as the viewer does, to supervisors and admins only, each reading audited."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.test_supervisor_cli import PW, desk, sql

__all__ = ["desk"]  # the fixture, shared

PASSWORD_AS_NAME = "lan-password-1"  # what lands in the name field when focus is missing


def test_failed_login_with_a_password_as_name_keeps_only_a_keyed_hash(
    cli: Any, desk: Any, initialised: str
) -> None:
    for _ in range(2):  # the password typed where the name goes
        typed = cli("audit", "list", "--user", PASSWORD_AS_NAME, "--db", initialised, password="x")
        assert typed.exit_code == 1
    result = desk("audit", "list", "--json", "--details", "--action", "login_failed")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    assert len(events) == 2
    shown = [line for e in events for line in e["details"]]
    assert all(PASSWORD_AS_NAME not in line for line in shown), shown
    hashes = [line for line in shown if line.lstrip().startswith("Hash of the name typed")]
    assert len(hashes) == 2 and hashes[0] == hashes[1]  # repeated attempts still count alike
    # The whole trail, every event's details, holds no trace of it either.
    everything = desk("audit", "list", "--json", "--details")
    assert PASSWORD_AS_NAME not in everything.stdout
    rows = sql(initialised, "select count(*) from pending_auth_events")
    assert rows == [(0,)]  # chained (and hashed) by the next login


def test_audit_list_details_as_the_viewer_shows_them(desk: Any, initialised: str) -> None:
    result = desk("audit", "list", "--json", "--details", "--action", "case_opened")
    assert result.exit_code == 0, result.output
    (event,) = json.loads(result.stdout)
    lines = event["details"]
    assert isinstance(lines, list) and all(isinstance(x, str) for x in lines)
    assert any(x.startswith("Case number: 111-2026-000001") for x in lines), lines
    assert not any(x.lstrip().startswith("{") for x in lines)  # not raw JSON
    viewed = sql(
        initialised,
        "select actor, entity_id from audit_events where action = 'audit_details_viewed'",
    )
    assert viewed == [("minh", str(event["seq"]))]  # the reading itself is audited
    assert desk("audit", "list", "--details", user="lan").exit_code == 1
    text_out = desk("audit", "list", "--details", "--action", "case_opened")
    assert "\tCase number: 111-2026-000001" in text_out.stdout
    assert PW["minh"] not in text_out.stdout


def test_case_show_has_every_call_child_and_perpetrator(desk: Any) -> None:
    """Issue 19 item 4: ``case show`` is the whole case."""
    shown = desk("case", "show", "111-2026-000001")
    assert shown.exit_code == 0, shown.output
    calls = [line for line in shown.stdout.splitlines() if line.startswith("call\t")]
    assert len(calls) == 1 and calls[0].endswith("\treport\t...")
    assert "child 1\t9\tfemale" in shown.stdout
    assert "perpetrator 1\tstep_parent" in shown.stdout
