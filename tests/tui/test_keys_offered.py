"""Keys (issue 19, item 15): every screen's footer shows its keys at 80×24, nothing offered is
refused, the narrow form's Esc closes the routing pane and says so, and the queue keeps where
each referral stands at 80 columns."""

from __future__ import annotations

from typing import Any

from textual.widgets._footer import FooterKey

from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.tui.widgets.queue_table import QueueTable
from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle
from tests.tui.intake_helpers import IntakeHost, fill, routed
from tests.tui.test_referral_queue import move_to, open_queue, ref_id, save


def footer(screen: Any) -> dict[str, str]:
    """Each key the footer shows, as drawn: ``{"g": "Chuyển tuyến lại", ...}``."""
    return {str(k.key_display): str(k.description) for k in screen.query(FooterKey)}


def all_in_sight(screen: Any) -> list[str]:
    """Footer keys not wholly on the screen (cut off at the right or below)."""
    width, height = screen.app.size
    return [
        f"{k.key_display} {k.description}"
        for k in screen.query(FooterKey)
        if k.region.right > width or k.region.bottom > height or k.region.width == 0
    ]


async def test_narrow_form_escape_closes_the_routing_pane_and_says_so(services, operator) -> None:  # type: ignore[no-untyped-def]
    app = IntakeHost(services, operator)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.intake
        fill(screen)
        await routed(pilot)
        assert footer(screen).get("esc") == "Thoát"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.query_one("#intake-side").display
        assert footer(screen).get("esc") == "Về phiếu"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#intake-form").display
        assert not screen.query_one("#intake-side").display
        assert app.screen is screen  # the form, not the leave dialog
        assert footer(screen).get("esc") == "Thoát"
        assert all_in_sight(screen) == []


async def test_queue_at_80x24_shows_every_key_and_where_each_referral_stands(
    app, services, operator, supervisor
) -> None:  # type: ignore[no-untyped-def]
    case = save(services, operator)
    police = ref_id(services, "commune_police")
    services.referrals.record(supervisor, police, FollowUp("sent", via="phone"))
    services.referrals.record(supervisor, police, FollowUp("acknowledged", via="phone"))
    services.referrals.record(supervisor, police, FollowUp("in_progress", via="phone"))
    services.referrals.record(
        supervisor, police, FollowUp("done", via="phone", outcome="Đã xác minh, an toàn")
    )
    assert case
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await settle(pilot)
        keys = footer(screen)
        for key in ("⏎", "g", "p", "f", "^o", "u"):
            assert key in keys, keys
        assert all_in_sight(screen) == []
        table = screen.query_one(QueueTable)
        shown = table.region.right
        x = table.region.x
        for column in table.ordered_columns:
            if str(column.key.value) in ("status", "escalation"):
                assert x + column.get_render_width(table) <= shown, column.key.value
            x += column.get_render_width(table)
        # A settled referral offers neither re-referral nor a follow-up step.
        screen.query_one("#f-status").value = "done"
        await settle(pilot)
        move_to(screen, police)
        await settle(pilot)
        keys = footer(screen)
        assert "g" not in keys and "u" not in keys, keys
        await pilot.press("g")
        await settle(pilot)
        assert pilot.app.screen is screen  # nothing opened, nothing refused


async def test_every_admin_tab_footer_fits_at_80x24(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        assert all_in_sight(pilot.app.screen) == []


async def test_every_supervisor_screen_footer_fits_at_80x24(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    async with app.run_test(size=(80, 24)) as pilot:
        queue = await open_queue(pilot)
        await settle(pilot)
        seen = {type(queue).__name__: all_in_sight(queue)}
        for key in ("d", "a", "s", "h", "f"):
            await pilot.press(key)
            await settle(pilot)
            seen[type(pilot.app.screen).__name__] = all_in_sight(pilot.app.screen)
            if key == "f":  # the case list, then a case
                await pilot.press("enter")
                await settle(pilot)
                seen[type(pilot.app.screen).__name__] = all_in_sight(pilot.app.screen)
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        assert len(seen) >= 6, seen
        assert {name: cut for name, cut in seen.items() if cut} == {}
