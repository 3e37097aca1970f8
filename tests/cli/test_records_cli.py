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


def test_the_queue_and_the_case_list_mark_a_tampered_case(two_reports, initialised: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 20 item 2: a referral marked done and a priority lowered in plain SQL are shown
    marked in ``referral list`` and ``case list``, in words; the other case is not."""
    queue = two_reports("referral", "list", user="minh")
    listed = two_reports("case", "list", user="minh")
    assert queue.exit_code == 0 and listed.exit_code == 0, listed.output
    assert "outside the application" not in queue.output + listed.output
    number, other = "111-2026-000002", "111-2026-000001"
    case = f"(SELECT id FROM cases WHERE number = '{number}')"
    run_sql(
        initialised,
        f"UPDATE referrals SET status = 'acknowledged' WHERE case_id = {case}"
        " AND id = (SELECT min(id) FROM referrals WHERE case_id = " + case + ")",
        f"UPDATE cases SET priority = 'low' WHERE number = '{number}'",
    )
    queue = two_reports("referral", "list", user="minh")
    assert queue.exit_code == 0, queue.output
    lines = [line for line in queue.stdout.splitlines() if line]
    marked = [line for line in lines if "changed outside the application" in line]
    assert marked and all(number in line for line in marked)
    assert any(other in line for line in lines) and not any(other in m for m in marked)
    assert "cases marked here were changed outside the application" in queue.stderr
    as_json = json.loads(two_reports("referral", "list", "--json", user="minh").stdout)
    assert {r["case_number"] for r in as_json if r["tampered"]} == {number}
    listed = two_reports("case", "list", user="minh")
    assert listed.exit_code == 0, listed.output
    rows = {line.split("\t")[0]: line for line in listed.stdout.splitlines() if line}
    assert rows[number].endswith("changed outside the application") and "low" in rows[number]
    assert "outside" not in rows[other]
    found = two_reports("case", "list", "--query", number, "--json", user="minh")
    assert [(c["number"], c["tampered"]) for c in json.loads(found.stdout)] == [(number, True)]


def test_case_list_refuses_an_unknown_status_in_one_sentence(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "case", "list", "--status", "gone", "--user", "lan", "--db",
                 initialised, password=PW["lan"])  # fmt: skip
    assert result.exit_code == 1 and result.stderr.strip() == "Not a valid state: gone."


def test_case_list_pages_walk_the_keyset(two_reports) -> None:  # type: ignore[no-untyped-def]
    """Pages are keyset-paged (issue 23): page 1 has both cases, page 2 none, never an error."""
    first = two_reports("case", "list", "--json", user="minh")
    second = two_reports("case", "list", "--page", "2", "--json", user="minh")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert len(json.loads(first.stdout)) == 2 and json.loads(second.stdout) == []
