"""Smaller seams in the case detail (issue 19, item 17): the caller's name on each call, ``p``
shows every call's phone (each reading audited) as people read it, and an erased case says
that it was erased rather than showing empty words."""

from __future__ import annotations

from caseintake.domain.intake.validation import parse_intake
from tests.conftest import SUPERVISOR, SUPERVISOR_PW
from tests.services.test_retention import closed_case, number_of
from tests.tui.conftest import login, report_json, settle, sql
from tests.tui.test_case_timeline import actions, open_case, text_of


async def test_caller_name_and_every_calls_phone(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    first = services.intake.save(
        operator,
        parse_intake(report_json(caller={"relationship": "neighbour", "phone": "0912345678",
                                         "name": "Chị Lan [b]hàng xóm[/b]"})),
    )  # fmt: skip
    again = report_json(
        received_at="2026-03-02T08:40:00+07:00",
        contact_type="follow_up",
        case_id=first.case_id,
        caller={"relationship": "relative", "phone": "0987 654 321", "name": "Bà Tư"},
        narrative="Bà gọi lại từ số khác.",
    )
    services.intake.save(operator, parse_intake(again))
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)
        screen = await open_case(pilot, services, pilot.app.principal, first.case_id)
        calls = text_of(screen, "#contacts")
        assert "Chị Lan [b]hàng xóm[/b]" in calls and "Bà Tư" in calls  # names, as typed
        assert "0912" not in calls and "0987" not in calls  # phones only when asked
        await pilot.press("p")
        await settle(pilot)
        calls = text_of(screen, "#contacts")
        assert "0912 345 678" in calls and "0987 654 321" in calls
        assert "+84" not in calls
    assert actions(services).count("phone_revealed") == 2


async def test_an_erased_case_says_it_was_erased(
    app, services, operator, supervisor, admin
) -> None:  # type: ignore[no-untyped-def]
    case = closed_case(services, operator, supervisor)
    services.retention.erase(admin, number_of(services, case.case_id))
    assert sql(services, "select count(*) from case_erasures") == [(1,)]
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot, SUPERVISOR, SUPERVISOR_PW)
        screen = await open_case(pilot, services, pilot.app.principal, case.case_id)
        summary = text_of(screen, "#summary")
        assert "đã bị xóa vĩnh viễn" in summary and "hết thời hạn lưu giữ" in summary
