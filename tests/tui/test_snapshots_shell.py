"""Snapshots of the shell's screens: fixed sizes, frozen clock, no blinking cursor.

Update after a deliberate change with ``pytest tests/tui/test_snapshots_shell.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from typing import Any

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter
from textual.widgets import DataTable, Input

from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from tests.tui.conftest import login, settle

WIDE, SMALL = (100, 30), (80, 24)


class SixteenColours(LineFilter):
    """What a 16-colour terminal shows: every colour down-sampled to the ANSI standard set."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, _downgrade(style), control) for text, style, control in segments]


def _downgrade(style: Style | None) -> Style | None:
    if style is None:
        return None
    color = style.color.downgrade(ColorSystem.STANDARD) if style.color else None
    bgcolor = style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None
    return style + Style.from_color(color, bgcolor)


async def still(pilot: Any) -> None:
    """Workers done, cursors steady, no toast left over."""
    await settle(pilot)
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause(0.1)  # let the last paint land
    await pilot.pause()


def test_login_empty(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=WIDE, run_before=still)


def test_login_empty_80x24(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=SMALL, run_before=still)


def test_login_with_error(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    async def wrong_password(pilot: Any) -> None:
        await settle(pilot)
        await login(pilot, password="not-the-password")
        await still(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=wrong_password)


def test_login_english(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    async def english(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f2")
        await still(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=english)


async def _home(pilot: Any) -> None:
    await settle(pilot)
    await login(pilot)
    await pilot.press("n", "s")  # one silent call in today's list
    await still(pilot)


def test_home(snap_compare, app, report_case) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=WIDE, run_before=_home)


def test_home_80x24(snap_compare, app, report_case) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=SMALL, run_before=_home)


def test_home_16_colours(snap_compare, app, report_case) -> None:  # type: ignore[no-untyped-def]
    app._filters.append(SixteenColours())  # Textual has no public 16-colour switch
    assert snap_compare(app, terminal_size=WIDE, run_before=_home)


def test_quick_log_dialog(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    async def dialog(pilot: Any) -> None:
        await settle(pilot)
        await login(pilot)
        await pilot.press("n")
        await still(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=dialog)


def test_locked(snap_compare, app, report_case) -> None:  # type: ignore[no-untyped-def]
    async def locked(pilot: Any) -> None:
        await _home(pilot)
        await pilot.press("ctrl+l")
        await still(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=locked)


def test_case_list(snap_compare, app, report_case) -> None:  # type: ignore[no-untyped-def]
    async def case_list(pilot: Any) -> None:
        await settle(pilot)
        await login(pilot)
        await pilot.press("f")
        await still(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=case_list)


def _detail(size_note: str) -> Any:
    async def detail(pilot: Any) -> None:
        await settle(pilot)
        await login(pilot)
        table: DataTable[Any] = pilot.app.screen.query_one("#cases", DataTable)
        table.focus()
        await pilot.press("enter")
        await still(pilot)
        assert isinstance(pilot.app.screen, CaseDetailScreen), size_note

    return detail


def test_case_detail(snap_compare, app, report_case) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=WIDE, run_before=_detail("100x30"))


def test_case_detail_80x24(snap_compare, app, report_case) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=SMALL, run_before=_detail("80x24"))
