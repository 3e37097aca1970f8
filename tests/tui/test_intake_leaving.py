"""Leaving a form and leaving the app (issue 7, items 4 and 10): the safe answer is the default,
the keys are the ones the footer names, a call that happened is still logged (as dropped), and
quitting keeps the form as a draft, writes the audit checkpoint and logs out."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.tui.conftest import login, settle
from tests.tui.intake_helpers import (
    REFERENCE_PHONE,
    IntakeHost,
    audit,
    draft_written,
    fill,
    set_text,
    sql,
    wait_until,
)


def footer_keys(screen) -> set[str]:  # type: ignore[no-untyped-def]
    """The keys the footer shows (one per action, as Textual's footer draws them)."""
    shown: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        if active.binding.show and active.binding.description:
            shown.setdefault(active.binding.action, key)
    return set(shown.values())


async def test_enter_in_the_leave_dialog_keeps_the_form_and_its_keys_are_the_footers(
    services, operator
):
    from caseintake.tui.widgets.intake.dialogs import DiscardDialog

    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        set_text(screen, "#narrative", "Cháu bị đánh.")
        await pilot.press("escape")
        dialog = app.screen
        assert isinstance(dialog, DiscardDialog)
        assert footer_keys(dialog) == {"enter", "d", "x"}
        text = " ".join(str(s.render()) for s in dialog.query(Static))
        for label in ("Enter", "Esc", "d:", "x:"):  # each key the footer shows is named
            assert label in text
        await pilot.press("enter")  # the default keeps the form
        assert app.screen is screen and not app.dismissed
        await pilot.press("escape", "escape")  # Esc in the dialog keeps it too
        assert app.screen is screen and not app.dismissed
        await pilot.press("escape", "y", "c", "n")  # letters the dialog does not name: nothing
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("enter")
        assert screen.query_one("#narrative").text == "Cháu bị đánh."
    assert sql(services, "select count(*) from contacts") == [(0,)]


async def test_a_discarded_call_is_logged_as_dropped_with_its_phone(services, operator, clock):
    app = IntakeHost(services, operator, draft_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen, danger=False)
        await draft_written(pilot)
        clock.advance(seconds=40)
        await pilot.press("escape", "d")
        await wait_until(pilot, lambda: app.dismissed)
        await settle(pilot)
    assert app.result is None
    rows = sql(
        services,
        "select contact_type, duration_seconds, caller_phone_index is not null, case_id "
        "from contacts",
    )
    assert rows == [("dropped", 40, 1, None)]
    assert sql(services, "select count(*) from cases") == [(0,)]
    assert sql(services, "select count(*) from drafts") == [(0,)]
    assert len(audit(services, operator, "contact_created")) == 1


async def test_a_half_typed_phone_is_not_kept_on_a_dropped_call(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        set_text(app.intake, "#caller-phone", "091")  # the caller hung up mid-number
        await pilot.press("escape", "d")
        await wait_until(pilot, lambda: app.dismissed)
        await settle(pilot)
    assert sql(services, "select contact_type, caller_phone_index from contacts") == [
        ("dropped", None)
    ]


async def test_an_untouched_form_open_for_a_while_asks_and_can_log_a_dropped_call(
    services, operator, clock
):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        clock.advance(seconds=25)  # the caller said nothing useful, then the line dropped
        await pilot.press("escape")
        await pilot.pause()
        assert not app.dismissed  # asked, since a call may have happened
        await pilot.press("d")
        await wait_until(pilot, lambda: app.dismissed)
        await settle(pilot)
    assert sql(services, "select contact_type, duration_seconds from contacts") == [("dropped", 25)]


async def test_a_form_opened_by_mistake_logs_nothing(services, operator):
    app = IntakeHost(services, operator, draft_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        set_text(app.intake, "#age", "9")
        await draft_written(pilot)
        await pilot.press("escape", "x")
        await wait_until(pilot, lambda: app.dismissed)
        await settle(pilot)
    assert sql(services, "select count(*) from contacts") == [(0,)]
    assert sql(services, "select count(*) from drafts") == [(0,)]


async def open_form_from_home(pilot) -> None:  # type: ignore[no-untyped-def]
    from caseintake.tui.screens.operator.intake_screen import IntakeScreen

    await login(pilot)
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IntakeScreen))
    await pilot.pause()


async def test_ctrl_q_with_an_unsaved_form_asks_then_keeps_a_draft_logs_out_and_checkpoints(
    app, services, operator
):
    from caseintake.tui.screens.session.quit_dialog import QuitDialog

    async with app.run_test(size=(100, 30)) as pilot:
        await open_form_from_home(pilot)
        form = app.screen
        set_text(form, "#narrative", "Cháu đang trốn ở nhà hàng xóm.")
        set_text(form, "#caller-phone", REFERENCE_PHONE)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitDialog)
        await pilot.press("enter")  # the default stays
        assert app.screen is form and app.is_running
        await pilot.press("ctrl+c")  # outside a text field: the same question, in Vietnamese
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        assert not [n for n in app._notifications if "quit" in n.message.lower()]
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)

    assert sql(services, "select count(*) from drafts") == [(1,)]  # brought back at login
    draft = services.drafts.latest(operator)
    assert draft is not None
    assert draft[1]["values"]["narrative"] == "Cháu đang trốn ở nhà hàng xóm."
    assert len(audit(services, operator, "checkpoint_written")) == 1
    assert len(audit(services, operator, "logout")) == 1
    assert sql(services, "select count(*) from contacts") == [(0,)]


async def test_ctrl_q_without_a_form_logs_out_at_once(app, services, operator):
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running)
    assert len(audit(services, operator, "checkpoint_written")) == 1
    assert len(audit(services, operator, "logout")) == 1


async def test_an_empty_form_does_not_ask_before_quitting(app, services, operator):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_form_from_home(pilot)
        await pilot.press("ctrl+q")  # nothing typed: nothing to lose, no question
        await wait_until(pilot, lambda: not app.is_running)
    assert sql(services, "select count(*) from drafts") == [(0,)]
    assert len(audit(services, operator, "logout")) == 1


async def test_ctrl_q_again_in_the_question_is_yes(make_app, services, operator):
    from caseintake.tui.screens.session.quit_dialog import QuitDialog

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_form_from_home(pilot)
        app.screen.query_one("#caller-name", Input).value = "Hoa"
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitDialog)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running)
    assert sql(services, "select count(*) from drafts") == [(1,)]
    assert len(audit(services, operator, "logout")) == 1


async def test_footer_names_each_key_in_vietnamese_beside_its_hidden_function_key(
    services, operator
):  # type: ignore[no-untyped-def]
    """F7/F8/F9 (hidden) do what Ctrl+N/Ctrl+T/Ctrl+B do: the footer's words still come from
    the catalogue, never from the hidden key's English description."""
    from caseintake.i18n import t

    app = IntakeHost(services, operator)
    async with app.run_test(size=(140, 30)) as pilot:
        words = []
        for field in ("#caller-relationship", "#narrative"):  # the footer redraws per focus
            app.intake.query_one(field).focus()
            await pilot.pause(0.2)
            words.append(" ".join(str(w.render()) for w in app.intake.query("FooterKey")))
        words = " | ".join(words)
    assert t("tui.key.intake.add_child") in words
    assert t("tui.key.intake.add_perpetrator") in words
    assert "Add child" not in words and "Perpetrator" not in words
