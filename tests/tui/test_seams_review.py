"""Issue 19 items 6 and 7: approving a support plan shows the plan and asks again, and is not
offered once approved; review and closure are reachable from the case detail; the supervisor
has a list of the cases ready to close (every referral settled). Asserted on the database."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, OptionList, Static

from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from caseintake.tui.screens.supervisor.decision_dialog import DecisionDialog
from caseintake.tui.screens.supervisor.ready_to_close_screen import ReadyToCloseScreen
from tests.tui.conftest import settle, sql
from tests.tui.test_referral_queue import open_queue, ref_id, save


def options(pilot: Any) -> list[str]:
    dialog = pilot.app.screen
    assert isinstance(dialog, DecisionDialog)
    choices = dialog.query_one("#choices", OptionList)
    return [str(choices.get_option_at_index(i).id) for i in range(choices.option_count)]


async def choose(pilot: Any, choice: str, text: str | None = None) -> None:
    choices = pilot.app.screen.query_one("#choices", OptionList)
    choices.highlighted = options(pilot).index(choice)
    await pilot.press("enter")
    await settle(pilot)
    if text is not None:
        pilot.app.screen.query_one("#decision-text", Input).value = text
        await pilot.press("enter")
        await settle(pilot)


def settle_all(services: Any, operator: Any, supervisor: Any) -> None:
    commune, police = ref_id(services, "commune_committee"), ref_id(services, "commune_police")
    for state in ("acknowledged", "in_progress"):
        services.referrals.record(operator, commune, FollowUp(state, via="phone"))
    services.referrals.record(operator, commune, FollowUp("done", outcome="An toàn"))
    services.referrals.record(supervisor, police, FollowUp("revoked", reason="Không cần"))


async def test_approving_a_plan_shows_it_asks_and_is_offered_once(
    app, services, operator, supervisor
) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    commune = ref_id(services, "commune_committee")
    services.referrals.record(operator, commune, FollowUp("sent", via="phone"))
    assert sql(services, "select status from cases") == [("referred",)]
    async with app.run_test(size=(120, 35)) as pilot:
        await open_queue(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "approve_plan" in options(pilot)
        await choose(pilot, "approve_plan")
        # The plan is shown, and a second, explicit yes is asked for.
        body = str(pilot.app.screen.query_one("#decision-body", Static).render())
        assert "UBND cấp xã" in body and "Đã gửi" in body, body
        await pilot.press("escape")  # not this time
        await settle(pilot)
        assert sql(services, "select status from cases") == [("referred",)]
        assert sql(services, "select count(*) from case_approvals") == [(0,)]
        await pilot.press("v")
        await settle(pilot)
        await choose(pilot, "approve_plan")
        await choose(pilot, "approve")
        assert sql(services, "select status from cases") == [("in_support",)]
        assert sql(services, "select step from case_approvals") == [("support_plan",)]
        await pilot.press("v")
        await settle(pilot)
        assert "approve_plan" not in options(pilot)  # approved: not offered again
        assert options(pilot) == ["close", "assign"]


async def test_review_and_closure_from_the_case_detail_and_the_ready_list(
    app, services, operator, supervisor
) -> None:  # type: ignore[no-untyped-def]
    saved = save(services, operator)
    assert supervisor.role == "supervisor"
    desk_review = __import__("caseintake.services.supervisor_desk", fromlist=["x"])
    review = desk_review.SupervisorDesk(services).review
    assert review.ready_to_close(supervisor) == []  # referrals still open
    services.referrals.record(operator, ref_id(services, "commune_committee"), FollowUp("sent"))
    settle_all(services, operator, supervisor)
    (ready,) = review.ready_to_close(supervisor)
    assert (ready.number, ready.referrals) == (saved.case_number, 2)
    async with app.run_test(size=(120, 35)) as pilot:
        queue = await open_queue(pilot)
        queue.action_ready_to_close()
        await settle(pilot)
        listed = pilot.app.screen
        assert isinstance(listed, ReadyToCloseScreen)
        table = listed.query_one(DataTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == saved.case_number
        await pilot.press("enter")  # opens the case
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, CaseDetailScreen)
        await pilot.press("v")  # review from where one reads the case
        await settle(pilot)
        await choose(pilot, "close", "Trẻ an toàn, gia đình được hỗ trợ")
        assert sql(services, "select status from cases") == [("closed",)]
        assert sql(services, "select step from case_approvals") == [("closure",)]
        await pilot.press("escape")  # back to the list, reloaded: nothing left to close
        await settle(pilot)
        assert pilot.app.screen.query_one(DataTable).row_count == 0
    assert review.ready_to_close(supervisor) == []


async def test_an_operator_is_not_offered_the_review_in_the_case_detail(
    app, services, operator
) -> None:  # type: ignore[no-untyped-def]
    saved = save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        from tests.tui.conftest import login

        await login(pilot)
        await settle(pilot)
        await pilot.app.push_screen(CaseDetailScreen(services, operator, saved.case_id))
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, DecisionDialog)
    assert sql(services, "select status from cases") == [("assessed",)]


async def test_case_detail_shows_each_step_and_the_contact_point(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    """Issue 19 item 5: how the body was reached, whom, and what it said, in the case."""
    saved = save(services, operator)
    commune = ref_id(services, "commune_committee")
    whom, said = "Chị Hoa, cán bộ tư pháp xã", "Xã đã cử người đến nhà."
    step = FollowUp("sent", via="phone", contacted=whom, note=said)
    services.referrals.record(operator, commune, step)
    async with app.run_test(size=(120, 35)) as pilot:
        from tests.tui.conftest import login

        await login(pilot)
        await settle(pilot)
        await pilot.app.push_screen(CaseDetailScreen(services, operator, saved.case_id))
        await settle(pilot)
        screen = pilot.app.screen
        details = str(screen.query_one("#referral-details", Static).render())
        assert whom in details and said in details and "điện thoại" in details
        table = screen.query_one("#referrals", DataTable)
        row = table.get_row(commune)
        entry = str(row[3])
        assert entry and (whom in entry or "UBND" in entry)  # the "Đầu mối" is never empty


async def test_hand_off_is_offered_only_where_it_can_be_sent(
    app, services, operator, supervisor
) -> None:  # type: ignore[no-untyped-def]
    """Issue 19 item 15, found on the walk: "h Gửi gói" was offered with no partner line in the
    directory (then refused "no line has a valid card") and on a closed case."""
    saved = save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        detail = CaseDetailScreen(services, supervisor, saved.case_id)
        await pilot.app.push_screen(detail)
        await settle(pilot)
        assert detail.check_action("review", ()) is True
        assert detail.check_action("handoff", ()) is False  # no partner line has a card
        offered = {key for key, b in pilot.app.active_bindings.items() if b.enabled}
        assert "v" in offered and "h" not in offered
        detail._has_partners = True  # what the mount's read finds once a line is added
        assert detail.check_action("handoff", ()) is True
