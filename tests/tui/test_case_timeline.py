"""Issue 7 items 1, 2, 9, 11 in the terminal: a case's calls as a timeline, any contact opened
from home and from search, the phone shown on request (audited), the detail scrolled by keys,
and each role's own home."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static

from caseintake.domain.intake.validation import parse_intake
from caseintake.tui.screens.admin.home_screen import AdminHomeScreen
from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from caseintake.tui.screens.cases.contact_detail_screen import ContactDetailScreen
from caseintake.tui.screens.operator.home_screen import HomeScreen
from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, report_json, settle, sql

SECOND = "Bé chạy sang nhà hàng xóm, mặt sưng [bold]to[/bold]."
LONG = " ".join(f"Câu thứ {i} của lời kể." for i in range(400))


def repeat_call(case_id: str, **overrides: object) -> dict:  # type: ignore[type-arg]
    return report_json(
        received_at="2026-03-02T08:40:00+07:00",
        contact_type="follow_up",
        case_id=case_id,
        narrative=SECOND,
        **overrides,
    )


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


def actions(services) -> list[str]:  # type: ignore[no-untyped-def]
    return [a for (a,) in sql(services, "SELECT action FROM audit_events ORDER BY seq")]


async def open_case(pilot, services, principal, case_id: str) -> CaseDetailScreen:  # type: ignore[no-untyped-def]
    screen = CaseDetailScreen(services, principal, case_id)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_every_call_shown_newest_first(app, services, operator, report_case) -> None:  # type: ignore[no-untyped-def]
    services.intake.save(operator, parse_intake(repeat_call(report_case.case_id)))
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)
        screen = await open_case(pilot, services, pilot.app.principal, report_case.case_id)
        timeline = text_of(screen, "#contacts")
        first = report_json()["narrative"]
        assert SECOND in timeline and first in timeline  # markup-like text shown as typed
        assert timeline.index(SECOND) < timeline.index(first)
        assert timeline.count("lan") >= 2  # each call names its operator
        table = screen.query_one("#referrals", DataTable)
        bodies = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert len(bodies) == len(set(bodies))  # the repeat call doubled nothing
        details = text_of(screen, "#referral-details")
        assert "Căn cứ" in details


async def test_phone_is_shown_only_when_asked_and_audited(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)
        screen = await open_case(pilot, services, pilot.app.principal, report_case.case_id)
        assert "0912 345 678" not in text_of(screen, "#contacts")
        assert "phone_revealed" not in actions(services)
        await pilot.press("p")
        await settle(pilot)
        assert "0912 345 678" in text_of(screen, "#contacts")  # as people read it
        assert actions(services)[-1] == "phone_revealed"


async def test_long_case_scrolls_with_the_keyboard(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(report_json(narrative=LONG)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await login(pilot)
        screen = await open_case(pilot, services, pilot.app.principal, saved.case_id)
        body = screen.query_one("#detail-body", VerticalScroll)
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause(0.05)
        assert body.scroll_y > 0
        screen.query_one("#referrals", DataTable).focus()  # even from the referrals table
        await pilot.press("ctrl+end")
        await pilot.pause(0.05)
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("ctrl+home")
        await pilot.pause(0.05)
        assert body.scroll_y == 0


async def test_counselling_contact_opens_from_home(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    words = "Em lo lắng vì kỳ thi, mất ngủ cả tuần."
    counselling = {
        "received_at": "2026-03-02T08:30:00+07:00",
        "contact_type": "counselling",
        "counselling_topics": ["mental_health"],
        "caller": {"relationship": "self", "age_group": "11-15", "sex": "female"},
        "narrative": words,
    }
    saved = services.intake.save(operator, parse_intake(counselling))
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        table = pilot.app.screen.query_one("#contacts", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ContactDetailScreen)
        shown = text_of(screen, "#contact-text")
        assert words in shown and "11–15 tuổi" in shown and "Nữ" in shown
        last = sql(services, "SELECT action, entity_id FROM audit_events ORDER BY seq DESC")[0]
        assert last == ("contact_viewed", saved.contact_id)
        await pilot.press("o")  # no case: says so, stays
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactDetailScreen)


async def test_search_by_phone_lists_silent_calls_too(app, services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    services.intake.log_non_data(operator, "silent", clock(), 5, phone="0987654321")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#text", Input).value = "0987 654 321"
        await pilot.press("f5")
        await settle(pilot)
        found = screen.query_one("#contacts-found", DataTable)
        assert found.row_count == 1 and "im lặng" in str(found.get_row_at(0)[1])
        found.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactDetailScreen)


async def test_admin_lands_on_the_admin_home(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        assert isinstance(screen, AdminHomeScreen)
        assert "caseintake user add" in text_of(screen, "#admin-tasks")
        await pilot.press("c", "t", "n", "f")  # the operator's keys do nothing here
        await settle(pilot)
        assert pilot.app.screen is screen
        assert not [n for n in pilot.app._notifications if n.severity == "error"]


async def test_supervisor_reaches_statistics_from_the_queue(app, services) -> None:  # type: ignore[no-untyped-def]
    from caseintake.tui.screens.supervisor.referral_queue_screen import ReferralQueueScreen
    from caseintake.tui.screens.supervisor.stats_screen import StatsScreen
    from tests.conftest import SUPERVISOR, SUPERVISOR_PW

    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot, SUPERVISOR, SUPERVISOR_PW)
        assert isinstance(pilot.app.screen, ReferralQueueScreen)
        pilot.app.screen.query_one("#queue").focus()
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, StatsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReferralQueueScreen)


async def test_the_palette_key_speaks_the_chosen_language(app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets._footer import FooterKey

    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)
        await settle(pilot)
        keys = pilot.app.screen.query(FooterKey).filter(".-command-palette")
        assert [k.description for k in keys] == ["lệnh"]  # not Textual's English "palette"
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert pilot.app.screen.id == "--command-palette"
