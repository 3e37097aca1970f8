"""Case search (number, phone, commune without diacritics, dates, concern, status, pages) and
the case detail: audited view, notes, referral status changes."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Select, Static, TextArea

from caseintake.domain.intake.validation import parse_intake
from caseintake.tui.screens.cases import case_list_screen
from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from caseintake.tui.screens.cases.case_list_screen import CaseListScreen, parse_day
from caseintake.tui.screens.cases.follow_up_dialog import FollowUpDialog
from caseintake.tui.screens.cases.note_dialog import NoteDialog
from tests.tui.conftest import login, report_json, settle, sql


async def open_case_list(pilot) -> CaseListScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await login(pilot)
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseListScreen)
    return pilot.app.screen


async def search(pilot, **fields: str) -> list[str]:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    for name, value in fields.items():
        screen.query_one(f"#{name}", Input).value = value
    await pilot.press("f5")
    await settle(pilot)
    table = screen.query_one("#results", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def save_reports(services, operator, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    numbers = []
    for i in range(count):
        at = f"2026-02-{1 + i % 27:02d}T08:15:00+07:00"
        saved = services.intake.save(operator, parse_intake(report_json(received_at=at)))
        numbers.append(saved.case_number)
    return numbers


def test_dates_read_the_way_operators_write_them() -> None:
    assert str(parse_day("02/03/2026")) == "2026-03-02"
    assert str(parse_day("2026-03-02")) == "2026-03-02"
    assert parse_day("  ") is None


async def test_search_by_number_phone_and_commune(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_case_list(pilot)
        number = report_case.case_number
        assert await search(pilot) == [number]
        assert await search(pilot, text=number[-6:]) == [number]
        assert await search(pilot, text="111-2099-000001") == []
        assert str(screen.query_one("#cases-status", Static).render()) != ""
        assert await search(pilot, text="0912 345 678") == [number]
        assert await search(pilot, text="") == [number]
        commune = screen.query_one("#commune-text", Input)
        commune.focus()
        commune.value = "sai gon"  # typed without diacritics
        await settle(pilot)
        matches = screen.query_one("#commune-matches", OptionList)
        assert "Phường Sài Gòn" in str(matches.get_option_at_index(0).prompt)
        await pilot.press("enter")  # keeps the best match and searches
        await settle(pilot)
        assert commune.value.startswith("Phường Sài Gòn")
        assert await search(pilot) == [number]
        commune.value = "ben thanh"
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert commune.value.startswith("Phường Bến Thành")
        assert await search(pilot) == []


async def test_filters_by_dates_concern_and_status(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_case_list(pilot)
        number = report_case.case_number
        assert await search(pilot, **{"from": "02/03/2026", "to": "02/03/2026"}) == [number]
        assert await search(pilot, **{"from": "03/03/2026", "to": ""}) == []
        await search(pilot, **{"from": "31/02/2026"})  # refused before any query
        assert "31/02/2026" in str(screen.query_one("#cases-error", Static).render())
        screen.query_one("#from", Input).value = ""
        screen.query_one("#concern", Select).value = "violence"
        assert await search(pilot) == [number]
        screen.query_one("#concern", Select).value = "trafficking"
        assert await search(pilot) == []
        await pilot.press("ctrl+r")
        await settle(pilot)
        screen.query_one("#status", Select).value = "closed"
        assert await search(pilot) == []


async def test_pages_come_from_sql(app, services, operator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Pages by keyset (issue 23): page 1, 2, the last, and back again show the same rows,
    newest first, every case once; past the last page and before the first nothing moves."""
    monkeypatch.setattr(case_list_screen, "PAGE_SIZE", 4)  # three pages from ten saves
    numbers = save_reports(services, operator, 10)
    order = "SELECT number FROM cases ORDER BY opened_at DESC, id DESC"
    newest_first = [n for (n,) in sql(services, order)]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_case_list(pilot)
        table = screen.query_one("#results", DataTable)

        def shown() -> list[str]:
            return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]

        async def press(key: str) -> list[str]:
            await pilot.press(key)
            await settle(pilot)
            return shown()

        first = await search(pilot)
        table.focus()
        second = await press("pagedown")
        last = await press("pagedown")
        assert [len(first), len(second), len(last)] == [4, 4, 2]
        assert first + second + last == newest_first and sorted(newest_first) == sorted(numbers)
        assert "3" in str(screen.query_one("#cases-status", Static).render())
        assert await press("pagedown") == last  # no further page: stays
        assert await press("pageup") == second
        assert await press("pageup") == first
        assert await press("pageup") == first  # no page before the first
        assert await press("pagedown") == second  # and forward again from the cursors kept


async def test_opening_a_case_is_audited(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await search(pilot, text=report_case.case_number)
        pilot.app.screen.query_one("#results", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CaseDetailScreen)
        assert report_case.case_number in str(screen.query_one("#detail-header", Static).render())
        calls = str(screen.query_one("#contacts", Static).render())
        assert "[to]" in calls  # typed text is shown as typed, never as markup
        assert screen.query_one("#referrals", DataTable).row_count == report_case.referral_count
    viewed = sql(
        services,
        "select actor from audit_events where action = 'case_viewed' and entity_id = :id",
        id=report_case.case_id,
    )
    assert viewed == [("lan",)]


async def open_detail(pilot, case_id: str) -> CaseDetailScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await login(pilot)
    app = pilot.app
    await app.push_screen(CaseDetailScreen(app.services, app.principal, case_id))
    await settle(pilot)
    return app.screen


async def test_add_a_note(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_detail(pilot, report_case.case_id)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("ctrl+s")  # empty: refused in place
        assert isinstance(app.screen, NoteDialog)
        app.screen.query_one(TextArea).text = "Đã gọi lại cho mẹ bé."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Đã gọi lại cho mẹ bé." in str(screen.query_one("#notes", Static).render())
    detail = services.cases.detail(
        services.auth.login("lan", "quiet-harbour-41"), report_case.case_id
    )
    assert [n.text for n in detail.notes] == ["Đã gọi lại cho mẹ bé."]


async def test_referral_steps_record_whom_and_how(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    """From the case detail an operator records what the body reported by phone (issue 7
    item 13): the step, how and whom; declining needs the body's reason; revoking is not theirs."""
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_detail(pilot, report_case.case_id)
        table = screen.query_one("#referrals", DataTable)
        referral_id = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
        table.focus()
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FollowUpDialog)
        dialog.query_one("#via", Select).value = "phone"
        dialog.query_one("#contacted", Input).value = "Chị Hoa, cán bộ xã, 0243 123 456"
        await pilot.press("ctrl+s")  # the first step offered: pending -> sent
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        steps = dialog.query_one("#steps", OptionList)
        ids = [steps.get_option_at_index(i).id for i in range(steps.option_count)]
        assert "revoked" not in ids  # only a supervisor revokes (issue 8)
        steps.highlighted = ids.index("declined")
        await pilot.press("ctrl+s")  # no reason: refused in the dialog, nothing saved
        await settle(pilot)
        assert app.screen is dialog
        dialog.query_one("#fu-note", TextArea).text = "Xã báo đã có đơn vị khác xử lý."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    status = sql(services, "select status from referrals where id = :id", id=referral_id)
    assert status == [("declined",)]
    steps_kept = sql(
        services,
        "select to_status, via, contacted is not null from referral_updates order by at, to_status",
    )
    assert ("sent", "phone", 1) in steps_kept and ("declined", None, 0) in steps_kept
    moves = sql(
        services,
        "select action from audit_events where entity_id = :id order by seq",
        id=referral_id,
    )
    assert [a for (a,) in moves][-2:] == ["referral_sent", "referral_declined"]


async def test_overdue_referrals_are_marked(app, services, report_case, clock) -> None:  # type: ignore[no-untyped-def]
    clock.advance(days=30)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_detail(pilot, report_case.case_id)
        table = screen.query_one("#referrals", DataTable)
        due = table.get_cell(table.coordinate_to_cell_key((0, 0)).row_key, "due")
        assert "QUÁ HẠN" in str(due)
        assert "red" in str(due.style)


async def test_letters_typed_after_choosing_a_step_pick_how_not_vanish(  # type: ignore[no-untyped-def]
    app, services, report_case
) -> None:
    """Issue 19 item 3, found again on the walk: Enter on the step moves to "how"; letters typed
    at once open that list and pick from it (as a closed drop-down does), none is lost."""
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_detail(pilot, report_case.case_id)
        screen.query_one("#referrals", DataTable).focus()
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FollowUpDialog)
        await pilot.press("enter", "z", "a", "l", "enter")  # one burst: step, then "Zalo"
        await settle(pilot)
        assert dialog.query_one("#via", Select).value == "zalo"
        await pilot.press("tab", *"Hoa")
        assert dialog.query_one("#contacted", Input).value == "Hoa"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    assert sql(services, "select via, to_status from referral_updates") == [("zalo", "sent")]
