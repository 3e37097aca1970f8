"""Dialogs keep what was typed when they refuse (issue 19, item 16): closing a case with an
open referral, or reassigning it to a user who does not exist, leaves the dialog open with the
text as typed and the reason in it; nothing changes in the database until it is corrected."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from caseintake.tui.screens.supervisor.decision_dialog import DecisionDialog
from tests.conftest import SUPERVISOR
from tests.tui.conftest import settle, sql
from tests.tui.test_referral_queue import open_queue, save


async def choose(pilot, choice: str, text: str) -> DecisionDialog:  # type: ignore[no-untyped-def]
    await pilot.press("v")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, DecisionDialog)
    choices = dialog.query_one("#choices", OptionList)
    ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
    await pilot.press(*["down"] * ids.index(choice), "enter")
    await settle(pilot)
    assert choices.highlighted == ids.index(choice)
    assert dialog.query_one("#decision-text", Input).display, "a choice that takes a text"
    dialog.query_one("#decision-text", Input).value = text
    await pilot.press("enter")
    await settle(pilot)
    return dialog


def error(dialog: DecisionDialog) -> str:
    shown = dialog.query_one("#decision-error", Static)
    return str(shown.render()) if shown.has_class("-shown") else ""


async def test_refused_close_and_reassign_keep_the_text_and_say_why(
    app, services, operator
) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    note = "Trẻ đã an toàn; gia đình được UBND xã hỗ trợ, theo dõi thêm 2 tuần"
    async with app.run_test(size=(120, 35)) as pilot:
        await open_queue(pilot)
        # by the choice's id: approval is offered only while the case waits for it (issue 19
        # item 7), so where close and reassign stand in the list depends on the case
        dialog = await choose(pilot, "close", note)  # close: the referrals are still open
        assert pilot.app.screen is dialog
        assert dialog.query_one("#decision-text", Input).value == note
        assert error(dialog), "the reason is shown in the dialog"
        await pilot.press("escape")
        await settle(pilot)
        dialog = await choose(pilot, "assign", "khong-co-ai")  # reassign to nobody
        assert pilot.app.screen is dialog
        assert dialog.query_one("#decision-text", Input).value == "khong-co-ai"
        assert error(dialog)
        dialog.query_one("#decision-text", Input).value = SUPERVISOR  # corrected in place
        dialog.query_one("#decision-text", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is not dialog
    assert sql(
        services, "select c.status, u.name from cases c join users u on u.id = c.assigned_to"
    ) == [("assessed", SUPERVISOR)]
    actions = [a for (a,) in sql(services, "select action from audit_events")]
    assert "case_closed" not in actions and actions.count("case_assigned") == 1
