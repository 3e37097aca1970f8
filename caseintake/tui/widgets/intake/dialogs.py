"""Small dialogs of the intake screen: remove a referral (with a reason), add one (a body
code), and leave the form (which deletes its draft and, unless opened by mistake, logs a
dropped call). Each is a ``ModalScreen`` that dismisses
with its answer, so the caller gets a value or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter
from caseintake.tui.widgets.intake.code_picker import CodePicker, SearchPicker

MAX_REASON = 500  # a reason is a sentence or two; the note field holds longer text

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; max-width: 100%; height: auto;
    border: thick $primary; background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; color: $accent; }}
{name} .dialog-hint {{ color: $text-muted; }}
{name} .dialog-error {{ color: $text-error; }}
"""


class RemoveReferralDialog(ModalScreen[str | None]):
    """Why the proposed referral is not made; the reason goes to the audit trail."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="RemoveReferralDialog")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="intake.dialog_cancel")]

    def __init__(self, body_label: str) -> None:
        super().__init__()
        self.body_label = body_label

    def compose(self) -> ComposeResult:
        with Vertical():
            title = t("intake.remove.title", body=self.body_label)
            yield Static(title, classes="dialog-title", markup=False)
            yield Input(placeholder=t("intake.remove.reason"), id="reason", max_length=MAX_REASON)
            yield Static("", classes="dialog-error", id="remove-error")
            yield Static(t("intake.remove.hint"), classes="dialog-hint")
        yield LocalFooter()

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#remove-error", Static).update(t("intake.remove.required"))
            return
        self.dismiss(reason)


class AddReferralDialog(ModalScreen[str | None]):
    """A body to refer to besides the proposed ones: type a few letters, Enter or a number."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="AddReferralDialog")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="intake.dialog_cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("intake.add.title"), classes="dialog-title")
            yield CodePicker("body", id="body", placeholder=t("intake.placeholder.type_to_search"))
            yield Static(t("intake.add.hint"), classes="dialog-hint")
        yield LocalFooter()

    def on_mount(self) -> None:
        self.query_one("#body", CodePicker).focus()

    @on(SearchPicker.Accepted, "#body")
    def _accepted(self, event: SearchPicker.Accepted) -> None:
        event.stop()
        if event.picker.value is not None:
            self.dismiss(event.picker.value)


class DiscardDialog(ModalScreen[str | None]):
    """Leave without saving. Enter (the default) and Esc keep the form; ``d`` deletes the draft
    and logs that a call happened (type "dropped": time, duration, phone); ``x`` deletes it
    and logs nothing, for a form opened by mistake. The hint names exactly the footer's keys.
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="DiscardDialog")
    BINDINGS = [
        Binding("enter", "dismiss(None)", "Keep", id="intake.discard_keep"),
        Binding("escape", "dismiss(None)", "Keep", show=False),
        Binding("d", "dismiss('dropped')", "Dropped", id="intake.discard_dropped"),
        Binding("x", "dismiss('mistake')", "Mistake", id="intake.discard_mistake"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("intake.discard.title"), classes="dialog-title")
            yield Static(t("intake.discard.keep"), classes="dialog-hint")
            yield Static(t("intake.discard.dropped"), classes="dialog-hint")
            yield Static(t("intake.discard.mistake"), classes="dialog-hint")
        yield LocalFooter()
