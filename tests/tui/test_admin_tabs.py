"""The admin desk's tabs from the keyboard: F4 and F3 move through them wherever the focus is,
typing in a field included (the arrow keys stay the field's), and wrap around."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TabbedContent

from caseintake.tui.screens.admin.home_screen import AdminHomeScreen
from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle


async def test_f4_and_f3_walk_the_tabs_from_any_field(app: Any, services: Any) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        assert isinstance(screen, AdminHomeScreen)
        tabs = screen.query_one("#admin-tabs", TabbedContent)
        screen.query(Input).first().focus()  # typing a user's name: F-keys still move
        seen = [tabs.active]
        for _ in range(6):
            await pilot.press("f4")
            await settle(pilot)
            seen.append(tabs.active)
        assert seen == [
            "tab-users",
            "tab-directory",
            "tab-backup",
            "tab-retention",
            "tab-keys",
            "tab-commands",
            "tab-users",  # wraps around
        ]
        await pilot.press("f3")
        await settle(pilot)
        assert tabs.active == "tab-commands"
        footer = " ".join(str(w.render()) for w in screen.query("FooterKey"))
        assert "Thẻ sau" in footer and "Thẻ trước" in footer
