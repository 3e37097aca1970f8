"""Repeat callers: a known number shows its earlier contacts and cases, and links to one."""

from __future__ import annotations

from datetime import timedelta

from caseintake.domain.validation import parse_intake
from tests.tui.intake_helpers import (
    REFERENCE_PHONE,
    IntakeHost,
    fill,
    routed,
    set_text,
    sql,
    wait_until,
)


def earlier_case(services, operator, clock) -> str:
    received = clock() - timedelta(days=3)
    intake = parse_intake(
        {
            "received_at": received.isoformat(),
            "contact_type": "report",
            "caller": {"relationship": "neighbour", "phone": "+84 912 345 678"},
            "children": [{"age": 9, "sex": "female"}],
            "location": {"province_code": 79, "ward_code": 26743},
            "concerns": ["violence"],
            "setting": "family",
        },
        now=clock(),
    )
    saved = services.intake.save(operator, intake)
    return saved.case_id


async def test_known_number_shows_its_case_and_links_this_contact_to_it(services, operator, clock):
    case_id = earlier_case(services, operator, clock)
    app = IntakeHost(services, operator, contact_type="follow_up")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        panel = screen.query_one("#caller-history")
        assert not panel.display
        set_text(screen, "#caller-phone", REFERENCE_PHONE)  # another spelling, same number
        await wait_until(pilot, lambda: panel.display)
        title = str(panel.query_one("#history-title").render())
        assert "1 lần" in title and "1 hồ sơ" in title
        cases = panel.query_one("#history-cases")
        assert "111-2026-000001" in str(cases.get_option_at_index(0).prompt)

        cases.focus()
        await pilot.press("enter")
        assert "Gắn vào hồ sơ 111-2026-000001" in str(screen.query_one("#linked-case").render())
        assert "✓" in str(cases.get_option_at_index(0).prompt)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)

    assert app.result is not None and app.result.case_id == case_id
    assert sql(services, "select count(*) from cases") == [(1,)]
    rows = sql(services, "select contact_type, case_id from contacts order by received_at")
    assert rows == [("report", case_id), ("follow_up", case_id)]


async def test_unlinking_and_a_new_number_forget_the_link(services, operator, clock):
    earlier_case(services, operator, clock)
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen, danger=False)
        panel = screen.query_one("#caller-history")
        await wait_until(pilot, lambda: panel.display)
        panel.query_one("#history-cases").focus()
        await pilot.press("enter")
        assert screen.form.case_id is not None
        await wait_until(pilot, lambda: app.focused is screen.query_one("#narrative"))
        await pilot.press("ctrl+t", "enter")  # back to the cases, Enter again: unlinked
        assert screen.form.case_id is None
        set_text(screen, "#caller-phone", "")
        await pilot.pause()
        assert not panel.display
        await routed(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    assert sql(services, "select count(*) from cases") == [(2,)]  # a new case of its own
