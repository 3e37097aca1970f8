"""The admin desk adds another line to the directory (issue 24 item 2): a dialog takes the card
file chosen from the export folder (or its name typed) and the fingerprint read out by phone; a wrong fingerprint is
said inline and nothing is stored; the right one pins the card; the card can be retired."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, Select, Static

from caseintake.crypto.line_identity import LineKeys, make_card
from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle, sql

HN = make_card("HN", "Đường dây Hà Nội", LineKeys.generate())


async def test_add_and_retire_a_line_from_the_desk(
    app: Any, services: Any, export_folder: Path
) -> None:
    export_folder.mkdir(parents=True, exist_ok=True)
    (export_folder / "hn-card.json").write_bytes(HN.to_bytes())
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        desk = pilot.app.screen
        desk.query_one("#dir-add-line").press()
        await settle(pilot)
        dialog = pilot.app.screen
        dialog.query_one("#line-choose", Select).value = "hn-card.json"  # chosen, not typed
        await pilot.pause()
        assert dialog.query_one("#line-card", Input).value == "hn-card.json"
        dialog.query_one("#line-fingerprint", Input).value = "0000 1111 2222 3333 4444 5555"
        dialog.query_one("#line-add").press()
        await settle(pilot)
        error = dialog.query_one("#line-error", Static)
        assert error.has_class("-shown") and "vân tay" in str(error.render())
        assert sql(services, "SELECT count(*) FROM line_cards") == [(0,)]

        dialog.query_one("#line-fingerprint", Input).value = HN.fingerprint
        dialog.query_one("#line-add").press()
        await settle(pilot)
        assert pilot.app.screen is desk
        assert sql(services, "SELECT directory_id, code, retired_at FROM line_cards") == [
            ("line-hn", "HN", None)
        ]
        assert "line-hn" in str(desk.query_one("#dir-status", Static).render())

        desk.query_one("#dir-id", Input).value = "line-hn"
        desk.query_one("#dir-retire-line").press()
        await settle(pilot)
        [(retired,)] = sql(services, "SELECT retired_at FROM line_cards")
        assert retired is not None
