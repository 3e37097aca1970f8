"""The admin desk's directory tab: add, edit, retire and import from the TUI, asserted on the
database; control characters refused inline; stored markup shown as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle, sql


def status(screen: Any) -> str:
    return str(screen.query_one("#dir-status", Static).render())


def fill(screen: Any, **values: str) -> None:
    for name, value in values.items():
        if name == "body":
            screen.query_one("#dir-body", Select).value = value
        else:
            screen.query_one(f"#dir-{name}", Input).value = value


async def test_add_edit_retire_from_the_desk(app: Any, services: Any) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        fill(screen, id="ubnd-desk", body="commune_committee", name="UBND [b]Desk[/b]",
             province_code="79", phones="02838123456")  # fmt: skip
        screen.query_one("#dir-add").press()
        await settle(pilot)
        assert sql(
            services, "SELECT name, version FROM directory_entries WHERE id='ubnd-desk'"
        ) == [("UBND [b]Desk[/b]", 1)]
        screen.query_one("#dir-search", Input).value = "ubnd-desk"
        await settle(pilot)
        table = screen.query_one("#dir-table", DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[0]) == "UBND [b]Desk[/b]"  # markup shown as typed
        assert str(table.get_row_at(0)[1]) == "UBND cấp xã (người làm công tác bảo vệ trẻ em)"
        assert str(table.get_row_at(0)[2]) == "Thành phố Hồ Chí Minh"  # a place, not "79"
        fill(screen, id="", name="", phones="")
        table.focus()
        await pilot.press("enter")  # the row into the form
        assert screen.query_one("#dir-name", Input).value == "UBND [b]Desk[/b]"
        fill(screen, hours="24/7")
        screen.query_one("#dir-save").press()
        await settle(pilot)
        assert "2" in status(screen), status(screen)
        assert sql(
            services, "SELECT hours, version FROM directory_entries WHERE id='ubnd-desk'"
        ) == [("24/7", 2)]
        fill(screen, name="UBND \x1b]0;PWNED\x07")
        screen.query_one("#dir-save").press()
        await settle(pilot)
        assert screen.query_one("#dir-status").has_class("admin-error")
        assert "\x1b" not in status(screen)
        assert sql(services, "SELECT name FROM directory_entries WHERE id='ubnd-desk'") == [
            ("UBND [b]Desk[/b]",)
        ]
        screen.query_one("#dir-retire").press()
        await settle(pilot)
        assert sql(services, "SELECT active FROM directory_entries WHERE id='ubnd-desk'") == [(0,)]
        actions = [a for (a,) in sql(services, "SELECT action FROM audit_events ORDER BY seq")]
        assert actions[-3:] == [
            "directory_entry_added",
            "directory_entry_edited",
            "directory_entry_retired",
        ]


async def test_import_needs_a_preview_of_the_same_file(
    app: Any, services: Any, tmp_path: Path
) -> None:
    csv = tmp_path / "d.csv"
    csv.write_text(
        "id,body,name,province_code,phones\nubnd-csv,commune_committee,UBND CSV,79,02838123456\n",
        encoding="utf-8",
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        assert screen.query_one("#dir-import").disabled
        screen.query_one("#dir-csv", Input).value = str(csv)
        screen.query_one("#dir-preview").press()
        await settle(pilot)
        assert "ubnd-csv" in str(screen.query_one("#dir-preview-text", Static).render())
        assert sql(services, "SELECT count(*) FROM directory_entries WHERE id='ubnd-csv'") == [(0,)]
        assert not screen.query_one("#dir-import").disabled
        screen.query_one("#dir-import").press()
        await settle(pilot)
        assert sql(services, "SELECT name FROM directory_entries WHERE id='ubnd-csv'") == [
            ("UBND CSV",)
        ]
        screen.query_one("#dir-csv", Input).value = str(tmp_path / "missing.csv")
        screen.query_one("#dir-preview").press()
        await settle(pilot)
        assert "missing.csv" in status(screen) and screen.query_one("#dir-import").disabled


async def test_names_are_shown_whole_at_80_columns(app: Any, services: Any) -> None:
    """Issue 19, second walk: at 80×24 the name column was past the edge (the id came first);
    the name now leads, as wide as it is up to 46 cells, and the body follows it."""
    from textual.widgets import TabbedContent

    from tests.tui.intake_helpers import screen_text

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        pilot.app.screen.query_one("#admin-tabs", TabbedContent).active = "tab-directory"
        await settle(pilot)
        shown = screen_text(pilot.app)
        for name in ("Cảnh sát 113 (Công an)", "Cấp cứu y tế 115"):
            row = next(line for line in shown.splitlines() if name in line)
            assert "Cấp cứu 115" in row or "Cảnh sát 113  " in row, row  # its body beside it
        assert "Tổng đài điện thoại quốc gia bảo vệ trẻ em" in shown, shown
