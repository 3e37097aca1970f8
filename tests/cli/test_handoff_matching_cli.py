"""Issue 24 item 4 at the command line, on two real databases: ``receive --json`` names this
line's matching cases; ``accept --into`` a case that is not one is refused in one sentence,
exit 1, nothing stored; ``accept`` without it still opens a new case and names the candidates
in one sentence; ``accept --into`` a candidate adds to it."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import typer.testing
from sqlalchemy import func, select

from caseintake.store.models import Case
from tests.conftest import SUPERVISOR, SUPERVISOR_PW
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template
from tests.services.handoff_matching_fixtures import (
    OTHER_PHONE,
    local_case,
    number_of,
    package_with_phone,
)

__all__ = ["lines", "pair_template"]
_COMMAND = functools.cache(typer.testing._get_command)


@pytest.fixture(autouse=True)
def _one_command_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.testing, "_get_command", _COMMAND)


def _at(cli: Any, line: Line) -> Any:
    def run(*args: str) -> Any:
        return cli(*args, "--db", str(line.services.settings.db_url), "--user", SUPERVISOR,
                   password=SUPERVISOR_PW, CASEINTAKE_STATE_DIR=str(line.folder / "state"))  # fmt: skip

    return run


def _cases(line: Line) -> int:
    with line.services.db.read() as s:
        return int(s.execute(select(func.count()).select_from(Case)).scalar_one())


def test_receive_names_the_matches_and_accept_into_asks_for_a_candidate(
    cli, lines: tuple[Line, Line]
) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    hn = _at(cli, b)
    mine = number_of(b, local_case(b, pin="079317001234", phone=OTHER_PHONE))
    other = number_of(b, local_case(b, pin=None, phone=OTHER_PHONE))
    package = a.path("p.cih")  # sent at the command line: on the real clock, as received
    sent = _at(cli, a)("handoff", "send", case_number(a), "--to", "line-hn", "--basis",
                       "legal_duty", "--out", str(package))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    got = hn("handoff", "receive", str(package), "--json")
    assert got.exit_code == 0, got.output
    received = json.loads(got.stdout)
    assert [(m["case_number"], m["matched_by"]) for m in received["matches"]] == [
        (mine, ["personal_id"])
    ]
    receipt = b.path("r.cir")
    refused = hn("handoff", "accept", received["id"], "--into", other, "--out", str(receipt))
    lines_said = refused.output.strip().splitlines()
    assert refused.exit_code == 1 and len(lines_said) == 1 and mine in lines_said[0]
    assert "Traceback" not in refused.output and not receipt.exists() and _cases(b) == 2

    opened = hn("handoff", "accept", received["id"], "--out", str(receipt))
    assert opened.exit_code == 0, opened.output
    assert _cases(b) == 3 and mine in opened.stdout.strip().splitlines()[-1]

    second = hn(
        "handoff", "receive", str(package_with_phone(a, a.path("q.cih"), datetime.now(UTC)))
    )
    assert second.exit_code == 0 and mine in second.stdout  # the sentence naming it
    [row] = [r for r in b.services.handoffs.rows(b.supervisor) if r.status == "received"]
    merged = hn("handoff", "accept", row.id, "--into", mine, "--out", str(b.path("s.cir")),
                "--json")  # fmt: skip
    assert merged.exit_code == 0, merged.output
    said = json.loads(merged.stdout)
    assert (said["merged"], said["case_number"], said["status"]) == (True, mine, "accepted")
    assert _cases(b) == 3
