"""The supervisor's queue in the terminal, asserting on the database (issue 8, items 1–4)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, OptionList, Select, TextArea

from caseintake.domain.intake.validation import parse_intake
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.i18n import t
from caseintake.tui.screens.cases.follow_up_dialog import FollowUpDialog
from caseintake.tui.screens.supervisor import referral_queue_screen
from caseintake.tui.screens.supervisor.decision_dialog import DecisionDialog
from caseintake.tui.screens.supervisor.referral_queue_screen import ReferralQueueScreen
from caseintake.tui.widgets.queue_table import QueueTable
from tests.conftest import SUPERVISOR, SUPERVISOR_PW
from tests.samples import design_example
from tests.tui.conftest import login, settle, sql


def save(services: Any, operator: Any, **changes: Any) -> Any:
    return services.intake.save(operator, parse_intake(design_example(**changes)))


async def open_queue(pilot: Any) -> ReferralQueueScreen:
    """Log in as the supervisor and land on the queue (their home, from ``home_for``)."""
    from caseintake.tui.role_homes import home_for

    await settle(pilot)
    await login(pilot, SUPERVISOR, SUPERVISOR_PW)
    app = pilot.app
    if not isinstance(app.screen, ReferralQueueScreen):  # until the app routes by role
        await app.pop_screen()
        await app.push_screen(home_for(app.services, app.principal))
        await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReferralQueueScreen)
    return screen


def cell(screen: ReferralQueueScreen, row: int, column: int) -> str:
    return str(screen.query_one(QueueTable).get_row_at(row)[column])


def move_to(screen: ReferralQueueScreen, referral_id: str) -> None:
    table = screen.query_one(QueueTable)
    table.move_cursor(row=table.get_row_index(referral_id))


def ref_id(services: Any, body: str) -> str:
    return sql(services, "select id from referrals where body = :b", b=body)[0][0]


async def test_supervisor_home_is_the_queue_overdue_first(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator, received_at="2026-03-02T08:50:00+07:00")  # commune: "now"
    save(services, operator)  # 08:15: its commune referral is overdue at 09:00
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        await settle(pilot)
        table = screen.query_one(QueueTable)
        assert table.row_count == 4
        assert cell(screen, 0, 0) == "‼ QUÁ HẠN" and cell(screen, 0, 2) == "111-2026-000002"
        assert cell(screen, 1, 0) == "! ngay" and cell(screen, 1, 2) == "111-2026-000001"
        assert cell(screen, 0, 3).startswith("⇑ Sở Y tế")  # the escalation, in words
        counts = str(screen.query_one("#queue-counts").render())
        assert "quá hạn 1" in counts and "chuyển cấp 1" in counts


async def test_follow_up_steps_from_the_queue(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    commune = ref_id(services, "commune_committee")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        move_to(screen, commune)
        await pilot.press("u")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, FollowUpDialog)
        steps = dialog.query_one("#steps", OptionList)
        assert [steps.get_option_at_index(i).id for i in range(steps.option_count)] == [
            "sent",
            "revoked",
        ]
        steps.highlighted = 0
        dialog.query_one("#via", Select).value = "phone"
        dialog.query_one("#contacted", Input).value = "Chị Hoa, cán bộ xã"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        # revoking needs a reason: refused inline, the dialog stays, nothing written
        move_to(screen, commune)
        await pilot.press("u")
        await settle(pilot)
        dialog = pilot.app.screen
        options = dialog.query_one("#steps", OptionList)
        options.highlighted = [options.get_option_at_index(i).id for i in range(3)].index("revoked")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "lý do" in str(dialog.query_one("#fu-error").render())
        await pilot.press("escape")
        await settle(pilot)
    assert sql(services, "select status from referrals where id = :i", i=commune) == [("sent",)]
    assert sql(services, "select via, from_status, to_status from referral_updates") == [
        ("phone", "pending", "sent")
    ]
    assert sql(services, "select status from cases") == [("referred",)]
    actions = [a for (a,) in sql(services, "select action from audit_events order by seq")]
    assert "referral_sent" in actions and "referral_revoked" not in actions


async def test_escalation_confirm_and_dismiss_from_the_queue(
    app, services, operator, clock
) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    clock.advance(hours=12)  # the police referral (12 h) is overdue too
    commune, police = ref_id(services, "commune_committee"), ref_id(services, "commune_police")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        move_to(screen, commune)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DecisionDialog)
        # 12 h for the province is not read in a source: said so, not shown as law (issue 22)
        assert t("law.due_to_confirm") in pilot.app.screen._body
        await pilot.press("enter")  # the first choice: confirm
        await settle(pilot)
        move_to(screen, police)
        await pilot.press("e")
        await settle(pilot)
        dialog = pilot.app.screen
        await pilot.press("down", "enter")  # dismiss: asks for the reason
        await settle(pilot)
        assert dialog.query_one("#decision-text", Input).has_focus
        await pilot.press("enter")  # an empty reason is refused
        await settle(pilot)
        assert pilot.app.screen is dialog
        dialog.query_one("#decision-text", Input).value = "Công an xã đã nhận qua điện thoại"
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
    assert sql(services, "select decision from escalations order by decision") == [
        ("confirmed",),
        ("dismissed",),
    ]
    new = sql(
        services,
        "select status, rule_ids from referrals where body = 'provincial_child_protection'",
    )
    assert new == [("pending", "commune_to_province")]


async def test_case_closes_only_when_referrals_are_settled(
    app, services, operator, supervisor
) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    commune, police = ref_id(services, "commune_committee"), ref_id(services, "commune_police")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)

        async def close(note: str) -> None:
            await pilot.press("v")
            await settle(pilot)
            choices = pilot.app.screen.query_one("#choices", OptionList)
            ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
            choices.highlighted = ids.index("close")  # approving the plan comes first when due
            await pilot.press("enter")
            await settle(pilot)
            pilot.app.screen.query_one("#decision-text", Input).value = note
            await pilot.press("enter")
            await settle(pilot)
            if isinstance(pilot.app.screen, DecisionDialog):  # refused: the reason is shown there
                await pilot.press("escape")
                await settle(pilot)

        await close("Trẻ an toàn")
        assert sql(services, "select status from cases") == [("assessed",)]
        for state in ("sent", "acknowledged", "in_progress"):
            services.referrals.record(operator, commune, FollowUp(state, via="phone"))
        services.referrals.record(operator, commune, FollowUp("done", outcome="An toàn"))
        screen.action_refresh()
        await settle(pilot)
        move_to(screen, police)
        await close("Trẻ an toàn")  # the police referral is still open
        assert sql(services, "select status from cases") != [("closed",)]
        services.referrals.record(supervisor, police, FollowUp("revoked", reason="Không cần"))
        screen.action_refresh()
        await settle(pilot)
        assert screen.query_one(QueueTable).row_count == 0  # nothing open any more
        screen.query_one("#f-status", Select).value = "done"  # the settled ones, to close
        await settle(pilot)
        move_to(screen, commune)
        await close("Trẻ an toàn, gia đình được hỗ trợ")
        assert sql(services, "select status from cases") == [("closed",)]
        assert sql(services, "select step from case_approvals") == [("closure",)]
        # A closed case offers only reopening, which needs a reason (issue 8 item 4).
        screen.action_refresh()
        await settle(pilot)
        move_to(screen, commune)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")  # the one choice: reopen
        await settle(pilot)
        await pilot.press("enter")  # no reason: refused in the dialog
        await settle(pilot)
        assert sql(services, "select status from cases") == [("closed",)]
        pilot.app.screen.query_one("#decision-text", Input).value = "Mẹ gọi lại: bị đánh tiếp"
        await pilot.press("enter")
        await settle(pilot)
    assert sql(services, "select status from cases") == [("assessed",)]


async def test_an_operator_cannot_revoke_close_or_reassign(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await login(pilot)  # the operator
        screen = ReferralQueueScreen(services, operator)
        await pilot.app.push_screen(screen)
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        steps = pilot.app.screen.query_one("#steps", OptionList)
        assert [steps.get_option_at_index(i).id for i in range(steps.option_count)] == ["sent"]
        await pilot.press("escape")
        await settle(pilot)
        for down in (1, 2):  # close, then reassign
            await pilot.press("v")
            await settle(pilot)
            await pilot.press(*["down"] * down, "enter")
            await settle(pilot)
            pilot.app.screen.query_one("#decision-text", Input).value = "minh"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(pilot.app.screen, DecisionDialog)  # refused, said in the dialog
            await pilot.press("escape")
            await settle(pilot)
        assert pilot.app.screen is screen
    assert sql(
        services, "select status, u.name from cases c join users u on u.id = c.assigned_to"
    ) == [("assessed", "lan")]
    actions = {a for (a,) in sql(services, "select action from audit_events")}
    assert not actions & {"case_closed", "case_assigned", "referral_revoked"}


async def test_live_refresh_keeps_focus_and_typing(app, services, operator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(referral_queue_screen, "REFRESH_SECONDS", 0.2)
    save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        field = screen.query_one("#f-operator", Input)
        field.focus()
        field.value = "la"
        await settle(pilot)
        save(services, operator)  # another operator saves a report meanwhile
        for _ in range(200):  # a loaded machine spaces refreshes by three loads' time
            await pilot.pause(0.05)
            if screen.query_one(QueueTable).row_count == 4:
                break
        assert screen.query_one(QueueTable).row_count == 4
        assert field.has_focus and field.value == "la"


async def test_filters_narrow_the_queue(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        screen.query_one("#f-body", Select).value = "commune_police"
        await settle(pilot)
        assert screen.query_one(QueueTable).row_count == 1
        await pilot.press("x")  # escalations only: the police referral is not overdue yet
        await settle(pilot)
        assert screen.query_one(QueueTable).row_count == 0
        assert "chỉ chuyển cấp" in str(screen.query_one("#queue-status").render())


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
def test_queue_snapshot(snap_compare, app, services, operator, size) -> None:  # type: ignore[no-untyped-def]
    save(services, operator, received_at="2026-03-02T08:50:00+07:00")
    save(services, operator)

    async def ready(pilot: Any) -> None:
        await open_queue(pilot)
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def test_a_referral_through_every_step_in_the_dialog(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    police = ref_id(services, "commune_police")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        for step, note in (
            ("sent", ""),
            ("acknowledged", "Trung uý Bình nhận"),
            ("in_progress", ""),
            ("done", "Đã lấy lời khai, trẻ an toàn"),
        ):
            move_to(screen, police)
            await pilot.press("u")
            await settle(pilot)
            dialog = pilot.app.screen
            assert isinstance(dialog, FollowUpDialog)
            steps = dialog.query_one("#steps", OptionList)
            offered = [steps.get_option_at_index(i).id for i in range(steps.option_count)]
            assert "done" not in offered or step == "done"  # never a step skipped
            steps.highlighted = offered.index(step)
            dialog.query_one("#fu-note", TextArea).text = note
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert pilot.app.screen is screen, step
    steps_kept = sql(services, "select to_status from referral_updates order by at, to_status")
    assert {s for (s,) in steps_kept} == {"sent", "acknowledged", "in_progress", "done"}
    assert sql(services, "select status from referrals where id = :i", i=police) == [("done",)]


async def test_the_table_does_not_wait_for_the_totals(app, services, operator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The header's totals count every open referral (a tenth of a second at 1 M contacts);
    the page is a walk of an index. The table shows as soon as its page is read."""
    import threading

    from caseintake.services.referrals.queue import ReferralQueueService

    save(services, operator)
    release, counted = threading.Event(), ReferralQueueService.counts

    def slow_counts(self: Any, *args: Any, **kwargs: Any) -> Any:
        release.wait(20)
        return counted(self, *args, **kwargs)

    monkeypatch.setattr(ReferralQueueService, "counts", slow_counts)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        form = pilot.app.screen  # logged in by hand: ``login`` would wait for every worker
        form.query_one("#user", Input).value = SUPERVISOR
        form.query_one("#password", Input).value = SUPERVISOR_PW
        form.query_one("#password", Input).focus()
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(pilot.app.screen, ReferralQueueScreen):
                break
        screen = pilot.app.screen
        assert isinstance(screen, ReferralQueueScreen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.query_one(QueueTable).row_count == 2:
                break
        assert screen.query_one(QueueTable).row_count == 2
        assert "quá hạn" not in str(screen.query_one("#queue-counts").render())  # not yet
        release.set()
        for _ in range(100):
            await pilot.pause(0.05)
            if "quá hạn" in str(screen.query_one("#queue-counts").render()):
                break
        assert "quá hạn 1" in str(screen.query_one("#queue-counts").render())


async def test_every_column_that_matters_shows_at_80_columns(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    """Issue 19 item 15, second walk: at 80×24 the body and priority were cut off; each row is
    now two lines, and every value of the overdue referral is on the screen, whole."""
    from tests.tui.intake_helpers import screen_text

    save(services, operator)  # 08:15: its commune referral is overdue at 09:00, escalated
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await settle(pilot)
        lines = screen_text(pilot.app).splitlines()
        first = next(i for i, line in enumerate(lines) if "‼ QUÁ HẠN" in line)
        row = lines[first] + "\n" + lines[first + 1]
        for value in ("111-2026-000001", "UBND cấp xã", "Chờ gửi", "⇑ Sở Y tế", "Khẩn cấp"):
            assert value in row, row
        assert "08:15 02/03" in row and "lan" in row  # the due time and the operator too
        assert all(len(line) <= 80 for line in lines)
        await pilot.resize_terminal(120, 35)
        await settle(pilot)
        assert cell(screen, 0, 5) == "UBND cấp xã" and cell(screen, 0, 6) == "Khẩn cấp"
