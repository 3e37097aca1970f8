"""Repeat callers: a known number shows its earlier contacts and cases, and links to one."""

from __future__ import annotations

from datetime import timedelta

from caseintake.domain.intake.validation import parse_intake
from caseintake.i18n import t
from caseintake.tui.screens.operator.intake_messages import Status
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
        loaded = t("intake.case_loaded")
        await wait_until(
            pilot, lambda: loaded in str(screen.header.query_one("#intake-title").render())
        )
        await pilot.press("ctrl+t", "enter")  # back to the cases, Enter again: unlinked
        assert screen.form.case_id is None
        assert loaded not in str(screen.header.query_one("#intake-title").render())
        set_text(screen, "#caller-phone", "")
        await pilot.pause()
        assert not panel.display
        await routed(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    assert sql(services, "select count(*) from cases") == [(2,)]  # a new case of its own


async def repeat_caller_notice(pilot, screen):  # type: ignore[no-untyped-def]
    """The earlier case's number typed at 80×24: the header, once it names the case."""
    from caseintake.i18n import t

    title = screen.header.query_one("#intake-title")
    notice = t("intake.history.narrow", cases=1)
    set_text(screen, "#caller-phone", REFERENCE_PHONE)
    await wait_until(pilot, lambda: notice in str(title.render()))
    return title, notice


async def test_at_80x24_the_header_keeps_saying_the_caller_has_cases(services, operator, clock):
    """The history pane is hidden below 100 columns: the header names the earlier cases, and a
    draft written a moment later adds its notice without hiding them; a number with no
    cases takes the notice away."""
    from caseintake.i18n import t

    earlier_case(services, operator, clock)
    app = IntakeHost(services, operator)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.intake
        title, notice = await repeat_caller_notice(pilot, screen)
        screen.post_message(Status(t("intake.draft_saved")))
        await wait_until(pilot, lambda: t("intake.draft_saved") in str(title.render()))
        assert notice in str(title.render()) and "· ·" not in str(title.render())
        set_text(screen, "#caller-phone", "0987 654 321")  # a number never heard before
        await wait_until(pilot, lambda: notice not in str(title.render()))
        # Another kept notice (a save refused) is not the repeat caller's to take away.
        refused = t("intake.save_invalid", count=2)
        screen.header.show_status(refused, keep=True)
        panel = screen.query_one("#caller-history")
        found = panel.history
        set_text(screen, "#caller-phone", "0987 111 222")
        await wait_until(pilot, lambda: panel.history is not found)
        await pilot.pause()
        assert refused in str(title.render())


async def test_at_80x24_the_key_the_header_names_then_enter_links_the_case(
    services, operator, clock
):
    """Found in tmux: the narrow notice named ctrl+r, which shows the routing; Enter there
    linked nothing. The key it names must lead to the cases, where Enter links one."""
    import re

    earlier_case(services, operator, clock)
    app = IntakeHost(services, operator)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.intake
        _, notice = await repeat_caller_notice(pilot, screen)
        key = re.search(r"ctrl\+\w", notice)
        assert key is not None
        await pilot.press(key.group(0), "enter")
        await wait_until(pilot, lambda: screen.form.case_id is not None)
