"""Say what is counted (issue 19, item 11): the queue's header counts referrals and names the
cases they belong to; the dashboard counts open referrals and cases apart, and a referral that
is overdue is not counted again as due today."""

from __future__ import annotations

from caseintake.tui.screens.supervisor.dashboard_screen import DashboardScreen
from tests.tui.conftest import settle, sql
from tests.tui.test_referral_queue import open_queue, save


async def test_queue_and_dashboard_say_what_they_count(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)  # 08:15: the commune referral is overdue at 09:00
    save(services, operator, received_at="2026-03-02T08:50:00+07:00")
    referrals, cases = sql(services, "select count(*), count(distinct case_id) from referrals")[0]
    assert (referrals, cases) == (4, 2)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        await settle(pilot)
        header = str(screen.query_one("#queue-counts").render())
        assert header.startswith("Chuyển tuyến 4 (2 hồ sơ) · quá hạn 1"), header
        await pilot.press("d")
        await settle(pilot)
        board = pilot.app.screen
        assert isinstance(board, DashboardScreen)
        text = str(board.query_one("#dash-referrals").render())
        assert "Chuyển tuyến đang mở: 4" in text
        assert "Quá hạn: 1" in text
        # due today: the two police referrals (20:15, 20:50) and the 08:50 commune one, not the
        # overdue 08:15 commune one again
        assert "Đến hạn hôm nay, chưa quá hạn: 3" in text, text
