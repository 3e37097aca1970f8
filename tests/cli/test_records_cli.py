"""Issue 20's reproduction at the command line: from ``init``, an operator's two reports saved
by ``intake`` and an admin checkpoint, the trail's two triggers dropped, then a referral marked
done and a priority lowered, or a whole case deleted, in plain SQL: ``audit verify`` exits 1
naming the record, and ``case show`` says the case was changed outside the application."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.samples import design_example

PW = {ADMIN: ADMIN_PW, OPERATOR: OPERATOR_PW, SUPERVISOR: SUPERVISOR_PW}


def run_sql(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
        c.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
        for statement in statements:
            c.execute(text(statement))
    engine.dispose()


@pytest.fixture
def two_reports(cli, initialised: str, tmp_path: Path) -> Any:  # type: ignore[no-untyped-def]
    add = ("user", "add", "minh", "--role", "supervisor", "--user", "root", "--db", initialised)
    assert cli(*add, password=PW["root"], new_password="one-time-pass-2").exit_code == 0
    change = ("user", "passwd", "--user", "minh", "--db", initialised)
    assert cli(*change, password="one-time-pass-2", new_password=PW["minh"]).exit_code == 0
    for i in range(2):
        path = tmp_path / f"report{i}.json"
        path.write_text(json.dumps(design_example()), encoding="utf-8")
        saved = cli("intake", str(path), "--user", "lan", "--db", initialised, password=PW["lan"])
        assert saved.exit_code == 0, saved.output
    done = cli("audit", "checkpoint", "--user", "root", "--db", initialised, password=PW["root"])
    assert done.exit_code == 0, done.output

    def run(*args: str, user: str = "root") -> Any:
        return cli("--lang", "en", *args, "--user", user, "--db", initialised, password=PW[user])

    return run


def test_status_and_priority_edits_are_named(two_reports, initialised: str) -> None:  # type: ignore[no-untyped-def]
    assert two_reports("audit", "verify").exit_code == 0
    number = "111-2026-000002"
    case = f"(SELECT id FROM cases WHERE number = '{number}')"
    run_sql(
        initialised,
        f"UPDATE referrals SET status = 'done' WHERE case_id = {case}",
        f"UPDATE cases SET priority = 'low' WHERE number = '{number}'",
    )
    result = two_reports("audit", "verify")
    assert result.exit_code == 1
    assert "changed outside the application" in result.stderr and number in result.stderr
    assert "lan" in result.stderr and "Traceback" not in result.output
    shown = two_reports("case", "show", number, user="minh")
    assert shown.exit_code == 0
    assert "This case was changed outside the application after event" in shown.stderr
    other = two_reports("case", "show", "111-2026-000001", user="minh")
    assert "outside the application" not in other.stderr


def test_a_whole_case_deleted_is_named(two_reports, initialised: str) -> None:  # type: ignore[no-untyped-def]
    case = "(SELECT id FROM cases WHERE number = '111-2026-000002')"
    run_sql(
        initialised,
        f"DELETE FROM contacts WHERE case_id = {case}",
        f"DELETE FROM referrals WHERE case_id = {case}",
        f"DELETE FROM children WHERE case_id = {case}",
        f"DELETE FROM perpetrators WHERE case_id = {case}",
        f"DELETE FROM case_concerns WHERE case_id = {case}",
        f"DELETE FROM case_notes WHERE case_id = {case}",
        "DELETE FROM cases WHERE number = '111-2026-000002'",
    )
    result = two_reports("audit", "verify")
    assert result.exit_code == 1
    assert "is gone with no event deleting it" in result.stderr
