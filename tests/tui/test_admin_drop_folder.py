"""The admin desk's directory tab sets a partner line's drop folder (issue 24, transport): the
entry in the form, "Drop folder…", a path typed; a folder that does not exist is said inline and
nothing is stored (what was typed stays); a good one is kept, audited, shown again next time,
and can be removed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Static

from caseintake.crypto.line_identity import LineKeys, make_card
from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle, sql

HN = make_card("HN", "Đường dây Hà Nội", LineKeys.generate())


async def test_set_and_clear_a_drop_folder_from_the_desk(
    app: Any, services: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    admin = services.auth.login(ADMIN, ADMIN_PW)
    services.line_cards.add_line(admin, HN.to_bytes(), HN.fingerprint)
    shared = tmp_path_factory.mktemp("shared")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        desk = pilot.app.screen
        desk.query_one("#dir-id", Input).value = "line-hn"
        desk.query_one("#dir-drop-folder").press()
        await settle(pilot)
        dialog = pilot.app.screen
        missing = str(shared / "missing")
        dialog.query_one("#drop-path", Input).value = missing
        dialog.query_one("#drop-set").press()
        await settle(pilot)
        error = dialog.query_one("#line-error", Static)
        assert error.has_class("-shown") and missing in str(error.render())
        assert pilot.app.screen is dialog
        assert dialog.query_one("#drop-path", Input).value == missing
        assert sql(services, "SELECT count(*) FROM drop_folders") == [(0,)]

        dialog.query_one("#drop-path", Input).value = str(shared)
        dialog.query_one("#drop-set").press()
        await settle(pilot)
        assert pilot.app.screen is desk
        assert sql(services, "SELECT directory_id, path FROM drop_folders") == [
            ("line-hn", str(shared))
        ]
        assert str(shared) in str(desk.query_one("#dir-status", Static).render())

        desk.query_one("#dir-drop-folder").press()
        await settle(pilot)
        dialog = pilot.app.screen
        assert dialog.query_one("#drop-path", Input).value == str(shared)  # the one kept
        dialog.query_one("#drop-clear").press()
        await settle(pilot)
        assert pilot.app.screen is desk
    assert sql(services, "SELECT count(*) FROM drop_folders") == [(0,)]
    actions = "SELECT action FROM audit_events WHERE action LIKE 'directory_folder%' ORDER BY seq"
    assert sql(services, actions) == [("directory_folder_set",), ("directory_folder_cleared",)]
