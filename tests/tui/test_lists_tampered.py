"""Issue 20 item 2 in the terminal: the supervisor's queue and the case search never show a
tampered state silently. A referral's status and a case's priority edited in plain SQL: the
case is marked (⚠ in its number cell, in words on the status line); the other case is not."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Static

from caseintake.domain.intake.validation import parse_intake
from tests.services.audit_tamper import Tamper
from tests.tui.conftest import report_json, settle
from tests.tui.test_cases import open_case_list, search
from tests.tui.test_referral_queue import open_queue

WORDS = "đã bị thay đổi ngoài ứng dụng"


def two_cases(services: Any, operator: Any) -> tuple[Any, Any]:
    first = services.intake.save(operator, parse_intake(report_json()))
    second = services.intake.save(
        operator, parse_intake(report_json(received_at="2026-03-02T08:20:00+07:00"))
    )
    return first, second


def edit_in_the_file(services: Any, case_id: str) -> None:
    tamper = Tamper(services.settings.db_url)
    try:
        tamper.run(
            "UPDATE referrals SET status = 'acknowledged' WHERE id = "
            "(SELECT min(id) FROM referrals WHERE case_id = :c)",
            c=case_id,
        )
        tamper.run("UPDATE cases SET priority = 'low' WHERE id = :c", c=case_id)
    finally:
        tamper.close()


def shown(table: DataTable[Any], column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def test_the_queue_marks_the_tampered_case(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    first, second = two_cases(services, operator)
    edit_in_the_file(services, second.case_id)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        await settle(pilot)
        cases = shown(screen.query_one("#queue", DataTable), 2)
        assert f"⚠ {second.case_number}" in cases and first.case_number in cases
        assert f"⚠ {first.case_number}" not in cases
        status = str(screen.query_one("#queue-status", Static).render())
        assert "1 hồ sơ" in status and WORDS in status


async def test_the_case_search_marks_the_tampered_case(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    first, second = two_cases(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_case_list(pilot)
        assert sorted(await search(pilot)) == sorted([first.case_number, second.case_number])
        assert WORDS not in str(screen.query_one("#cases-status", Static).render())
        edit_in_the_file(services, second.case_id)
        assert sorted(await search(pilot)) == sorted([first.case_number, f"⚠ {second.case_number}"])
        assert WORDS in str(screen.query_one("#cases-status", Static).render())
