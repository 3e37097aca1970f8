"""Issue 19 item 2 in the TUI: a counselling call's child, place and setting are shown on the
contact (they were dropped before: the contact kept only caller, topics and narrative)."""

from __future__ import annotations

from textual.widgets import Static

from caseintake.tui.screens.cases.contact_detail_screen import ContactDetailScreen
from tests.services.test_seams_counselling import CHILD_NAME, counselling
from tests.tui.conftest import login, settle


async def test_the_contact_shows_the_child_and_the_place(app, services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, counselling(clock))
    async with app.run_test(size=(120, 35)) as pilot:
        await login(pilot)
        await settle(pilot)
        await pilot.app.push_screen(ContactDetailScreen(services, operator, saved.contact_id))
        await settle(pilot)
        shown = str(pilot.app.screen.query_one("#contact-text", Static).render())
    for words in ("Phường Cầu Giấy", "Thành phố Hà Nội", "Trường học", "14", "Nữ", CHILD_NAME):
        assert words in shown, (words, shown)
