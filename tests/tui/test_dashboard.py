"""The dashboard, one key from the queue: figures from the database, snapshots at two sizes."""

from __future__ import annotations

from typing import Any

import pytest

from caseintake.tui.screens.supervisor.dashboard_screen import DashboardScreen
from tests.tui.conftest import settle
from tests.tui.test_referral_queue import open_queue, save


async def test_d_opens_the_dashboard_with_the_databases_figures(
    app, services, operator, clock
) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    services.intake.log_non_data(operator, "silent", clock(), 5)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_queue(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DashboardScreen)
        today = str(screen.query_one("#chart-today").render())
        assert "Tố giác, báo tin 1" in today and "Cuộc gọi im lặng 1" in today
        referrals = str(screen.query_one("#dash-referrals").render())
        assert "Quá hạn: 1" in referrals and "Chuyển cấp chờ quyết định: 1" in referrals
        assert "0% (0/1)" in referrals  # the one decided first step was late
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, DashboardScreen)


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
def test_dashboard_snapshot(snap_compare, app, services, operator, clock, size) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    save(services, operator, received_at="2026-03-02T08:50:00+07:00")
    for kind in ("silent", "silent", "hang_up"):
        services.intake.log_non_data(operator, kind, clock(), 5)

    async def ready(pilot: Any) -> None:
        await open_queue(pilot)
        await pilot.press("d")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=ready)
