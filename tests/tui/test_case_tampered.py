"""Issue 20 item 2 in the terminal: a case whose rows were changed in the file says so at the
top of its detail; an untouched one shows no warning."""

from __future__ import annotations

from textual.widgets import Static

from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from tests.services.audit_tamper import Tamper
from tests.tui.conftest import login, settle


async def test_a_case_changed_in_the_file_says_so(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)
        clean = CaseDetailScreen(services, pilot.app.principal, report_case.case_id)
        await pilot.app.push_screen(clean)
        await settle(pilot)
        assert not clean.query_one("#tamper-warning", Static).display
        await pilot.app.pop_screen()
        tamper = Tamper(services.settings.db_url)
        try:
            tamper.run(
                "UPDATE referrals SET status = 'done' WHERE case_id = :c", c=report_case.case_id
            )
        finally:
            tamper.close()
        screen = CaseDetailScreen(services, pilot.app.principal, report_case.case_id)
        await pilot.app.push_screen(screen)
        await settle(pilot)
        warning = screen.query_one("#tamper-warning", Static)
        assert warning.display
        text = str(warning.render())
        assert "ngoài ứng dụng sau sự kiện số" in text and "referrals" in text
