"""Drafts survive anything: the form is stored encrypted as it is typed, and comes back."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from caseintake.services.container import Services
from tests.conftest import OPERATOR, OPERATOR_PW
from tests.tui.intake_helpers import (
    BEN_THANH,
    REFERENCE_NARRATIVE,
    REFERENCE_PHONE,
    IntakeHost,
    draft_written,
    fill,
    routed,
    sql,
    wait_until,
)


def draft_count(services) -> int:
    return sql(services, "select count(*) from drafts")[0][0]


async def test_draft_comes_back_after_the_app_dies_mid_form(services, operator, settings, clock):
    first = IntakeHost(services, operator, draft_delay=0.05)
    async with first.run_test(size=(100, 30)) as pilot:
        screen = first.intake
        fill(screen)
        await routed(pilot)
        clock.advance(seconds=42)  # the timer counts while the caller talks
        await pilot.press("ctrl+r", "down", "x")
        first.screen.query_one("#reason", Input).value = "Đã báo công an."
        await pilot.press("enter")
        await draft_written(pilot)
        assert "đã lưu nháp" in str(screen.header.query_one("#intake-title").render())
        assert draft_count(services) == 1
        first.exit()  # no save, no goodbye: like a closed terminal or a dropped SSH session
    stored = sql(services, "select payload from drafts")[0][0]
    assert REFERENCE_PHONE.encode() not in stored and "Hàng xóm".encode() not in stored

    # The next login, in a new process: new services on the same database file.
    again = Services(settings)
    try:
        principal = again.auth.login(OPERATOR, OPERATOR_PW)
        draft = again.drafts.latest(principal)
        assert draft is not None
        second = IntakeHost(again, principal, contact_type=None, draft=draft)
        async with second.run_test(size=(100, 30)) as pilot:
            screen = second.intake
            assert screen.query_one("#caller-phone", Input).value == REFERENCE_PHONE
            assert screen.query_one("#age", Input).value == "9"
            assert screen.query_one("#concerns").value == ("violence",)
            assert screen.query_one("#ward").value == BEN_THANH
            assert screen.query_one("#danger").value is True
            assert screen.query_one("#narrative", TextArea).text == REFERENCE_NARRATIVE
            assert screen.header.timer.seconds == 42  # the call timer goes on from there
            assert app_focus_is_caller(second)
            await routed(pilot)
            assert "Đã bỏ: Đã báo công an." in str(
                screen.query("#routing-rows > Static")[1].render()
            )
            clock.advance(seconds=8)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: second.dismissed)
        assert second.result is not None and second.result.referral_count == 1
        assert sql(again, "select duration_seconds from contacts") == [(50,)]
        assert draft_count(again) == 0  # deleted with the save, in the same transaction
        assert again.drafts.latest(principal) is None
    finally:
        again.close()


def app_focus_is_caller(app) -> bool:
    return app.focused is not None and app.focused.id == "caller-relationship"


async def test_nothing_is_drafted_until_something_is_typed(services, operator):
    app = IntakeHost(services, operator, draft_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await routed(pilot)
        await pilot.pause(0.2)
        assert draft_count(services) == 0


async def test_leaving_with_typed_values_asks_then_deletes_the_draft(services, operator):
    app = IntakeHost(services, operator, draft_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        fill(app.intake)
        await wait_until(pilot, lambda: draft_count(services) == 1)
        await pilot.press("escape")
        await pilot.press("enter")  # the default: keep typing
        assert not app.dismissed
        await pilot.press("escape", "x")  # discard: opened by mistake, nothing logged
        await wait_until(pilot, lambda: app.dismissed)
        await wait_until(pilot, lambda: draft_count(services) == 0)
    assert app.result is None
    assert sql(services, "select count(*) from contacts") == [(0,)]
