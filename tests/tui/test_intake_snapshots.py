"""Snapshots of the intake screen: fixed sizes, frozen clock (the call timer stays at 0:00),
no blinking cursors, no draft status. Update after a deliberate change with
``pytest tests/tui/test_intake_snapshots.py --snapshot-update`` and look at the report."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea

from tests.tui.intake_helpers import IntakeHost, fill, routed, set_text, wait_until

WIDE, SMALL = (100, 30), (80, 24)
NEVER = 3600.0  # no draft is written during a snapshot, so the header stays the same


def host(services: Any, operator: Any) -> IntakeHost:
    return IntakeHost(services, operator, draft_delay=NEVER)


async def still(pilot: Any) -> None:
    await routed(pilot)
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
        for flash in screen.query("#intake-flash"):  # shown a few seconds: gone or not by
            flash.remove_class("-shown")  # the time of the shot, so never in it
    pilot.app.clear_notifications()
    await pilot.pause()


def test_intake_empty(snap_compare, services, operator) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(host(services, operator), terminal_size=WIDE, run_before=still)


def test_intake_empty_80x24(snap_compare, services, operator) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(host(services, operator), terminal_size=SMALL, run_before=still)


def test_intake_errors(snap_compare, services, operator) -> None:  # type: ignore[no-untyped-def]
    async def wrong(pilot: Any) -> None:
        screen = pilot.app.intake
        set_text(screen, "#age", "25")
        set_text(screen, "#caller-phone", "12")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen._saving)
        await still(pilot)

    assert snap_compare(host(services, operator), terminal_size=WIDE, run_before=wrong)


def test_intake_routing_danger(snap_compare, services, operator) -> None:  # type: ignore[no-untyped-def]
    async def danger(pilot: Any) -> None:
        fill(pilot.app.intake)
        await still(pilot)

    assert snap_compare(host(services, operator), terminal_size=WIDE, run_before=danger)


def test_intake_routing_80x24(snap_compare, services, operator) -> None:  # type: ignore[no-untyped-def]
    async def danger(pilot: Any) -> None:
        fill(pilot.app.intake)
        await routed(pilot)
        await pilot.press("ctrl+r")
        await still(pilot)

    assert snap_compare(host(services, operator), terminal_size=SMALL, run_before=danger)
