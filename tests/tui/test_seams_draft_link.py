"""Issue 19 item 8: a draft of a call linked to a case, kept when the app quits, shows its
link ("Gắn vào hồ sơ …") again after a new login, and the save still links it."""

from __future__ import annotations

from caseintake.services.container import Services
from tests.conftest import OPERATOR, OPERATOR_PW
from tests.tui.intake_helpers import REFERENCE_PHONE, IntakeHost, set_text, sql, wait_until
from tests.tui.test_intake_callers import earlier_case


async def test_a_restored_draft_shows_its_linked_case(services, operator, settings, clock):  # type: ignore[no-untyped-def]
    case_id = earlier_case(services, operator, clock)
    first = IntakeHost(services, operator, contact_type="follow_up")
    async with first.run_test(size=(100, 30)) as pilot:
        screen = first.intake
        panel = screen.query_one("#caller-history")
        set_text(screen, "#caller-phone", REFERENCE_PHONE)
        await wait_until(pilot, lambda: panel.display)
        panel.query_one("#history-cases").focus()
        await pilot.press("enter")
        assert "Gắn vào hồ sơ 111-2026-000001" in str(screen.query_one("#linked-case").render())
        write = screen.pending_draft()  # what Ctrl+Q stores before the app ends
        assert write is not None and write()
        first.exit()
    assert sql(services, "select count(*) from drafts") == [(1,)]
    stored = sql(services, "select payload from drafts")[0][0]
    assert b"111-2026-000001" not in stored  # the number is in the encrypted draft only

    again = Services(settings)
    try:
        principal = again.auth.login(OPERATOR, OPERATOR_PW)
        draft = again.drafts.latest(principal)
        assert draft is not None
        second = IntakeHost(again, principal, contact_type=None, draft=draft)
        async with second.run_test(size=(100, 30)) as pilot:
            screen = second.intake
            await pilot.pause()
            shown = str(screen.query_one("#linked-case").render())
            assert "Gắn vào hồ sơ 111-2026-000001" in shown
            assert screen.query_one("CallerSection").has_class("-linked")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: second.dismissed)
        rows = sql(again, "select contact_type, case_id from contacts order by received_at")
        assert rows[-1] == ("follow_up", case_id)
    finally:
        again.close()
