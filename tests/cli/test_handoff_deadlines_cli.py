"""Issue 24 item 5 by the command line, two real databases (111 sends, HN answers): the
package's acceptance deadline and "overdue at partner" in ``handoff list --json`` and in
``referral list --json``, overdue to answer at the receiver, a late acceptance's delay, and
``handoff partners --json``. The command line runs on the real clock and the template's
referral to HN was due on 2 March 2026, so the package is past its deadline from the start."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import typer.testing

from tests.cli.test_handoff_cli import _case_number, _line
from tests.services.handoff_fixtures import pair_template

__all__ = ["pair_template"]
_COMMAND = functools.cache(typer.testing._get_command)
ACCEPT_BY = "2026-03-02T09:15:00+07:00"  # due at 09:00, "immediately": 15 minutes to accept


@pytest.fixture(autouse=True)
def _one_command_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.testing, "_get_command", _COMMAND)


def _json(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_overdue_at_partner_and_time_to_accept_by_the_command_line(
    cli, pair_template: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    a = _line(cli, pair_template, tmp_path, "111")
    b = _line(cli, pair_template, tmp_path, "HN")
    package = tmp_path / "to-hn.cih"
    sent = a("handoff", "send", _case_number(pair_template), "--to", "line-hn",
             "--basis", "legal_duty", "--out", str(package))  # fmt: skip
    assert sent.exit_code == 0, sent.output

    [out] = _json(a("handoff", "list", "--json"))
    assert (out["overdue_at_partner"], out["overdue"], out["accept_by"]) == (True, True, ACCEPT_BY)
    assert out["accepted_at"] is None and out["accepted_late_by"] is None
    listed = a("handoff", "list")
    assert "QUÁ HẠN ở HN" in listed.output
    [queued] = [r for r in _json(a("referral", "list", "--json")) if r["overdue_at_partner"]]
    assert queued["overdue_at_partner"] == {"partner": "HN", "accept_by": ACCEPT_BY}
    assert "QUÁ HẠN ở HN" in a("referral", "list").output

    handoff_id = _json(b("handoff", "receive", str(package), "--json"))["id"]
    [incoming] = _json(b("handoff", "list", "--json"))
    assert (incoming["overdue"], incoming["overdue_at_partner"]) == (True, False)
    assert incoming["accept_by"] == "2026-03-02T09:00:00+07:00"  # the package's own due
    receipt = tmp_path / "r.cir"
    assert b("handoff", "accept", handoff_id, "--out", str(receipt)).exit_code == 0
    assert not _json(b("handoff", "list", "--json"))[0]["overdue"]
    assert a("handoff", "receipt", str(receipt)).exit_code == 0

    [out] = _json(a("handoff", "list", "--json"))
    assert (out["overdue_at_partner"], out["status"]) == (False, "accepted")
    assert out["accepted_late_by"] > 0 and out["accepted_at"] > ACCEPT_BY
    report = _json(a("handoff", "partners", "--json", "--since", "2026-03-01"))
    assert report["since"] == "2026-03-01T00:00:00+07:00"
    assert (report["time_from"], report["time_to"]) == ("package_created", "receipt_authored")
    [hn] = report["partners"]
    assert {k: hn[k] for k in ("partner", "sent", "accepted", "rejected", "waiting")} == {
        "partner": "HN", "sent": 1, "accepted": 1, "rejected": 0, "waiting": 0,
    }  # fmt: skip
    assert (hn["overdue_at_partner"], hn["accepted_late"]) == (0, 1)
    assert hn["median_seconds"] == hn["slowest_seconds"] >= 0
    assert "HN: gửi 1 · chấp nhận 1" in a("handoff", "partners", "--since", "2026-03-01").output

    bad = a("handoff", "partners", "--since", "2026-13-01")
    assert bad.exit_code != 0 and "Traceback" not in bad.output and "--since" in bad.output
