"""Record one follow-up step of a referral: the next state, how the body was reached, whom, and
what it said. Checked by the same domain rules as the service before the dialog closes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals import states
from caseintake.domain.referrals.follow_up import VIA, FollowUp, check_follow_up
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.widgets.typing_select import TypingSelect


class FollowUpDialog(ModalScreen[FollowUp | None]):
    CSS_PATH = "follow_up_dialog.tcss"
    AUTO_FOCUS = "#steps"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="follow_up.save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", id="follow_up.cancel"),
    ]

    def __init__(self, subject: str, current: str, role: str) -> None:
        super().__init__()
        self._subject = subject
        self._current = current
        self._role = role
        self._targets = states.allowed_targets("referral", current, role)  # revoke: supervisor

    def compose(self) -> ComposeResult:
        with Vertical(id="follow-up-box"):
            yield Static(t("supervisor.tui.follow_up_title", body=self._subject), id="fu-title")
            current = states.state_label("referral", self._current)
            yield Static(t("supervisor.tui.follow_up_now", state=current), id="fu-current")
            yield OptionList(
                *(Option(states.state_label("referral", s), id=s) for s in self._targets),
                id="steps",
            )
            vias = [(t(f"supervisor.via.{v}"), v) for v in VIA]
            yield TypingSelect(vias, prompt=t("supervisor.tui.via"), compact=True, id="via")
            yield Input(placeholder=t("supervisor.tui.contacted"), compact=True, id="contacted")
            yield TextArea(id="fu-note", soft_wrap=True, show_line_numbers=False)
            yield Static(id="fu-error")
            yield Static(t("supervisor.tui.follow_up_hint"), id="fu-hint")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self.query_one("#fu-note", TextArea).border_title = t("supervisor.tui.note")

    @on(OptionList.OptionSelected, "#steps")
    def _chosen(self) -> None:
        self.query_one("#via", Select).focus()

    def chosen_step(self) -> FollowUp | None:
        steps = self.query_one("#steps", OptionList)
        if steps.highlighted is None or not self._targets:
            return None
        via = self.query_one("#via", Select).value
        return FollowUp(
            self._targets[steps.highlighted],
            via=via if isinstance(via, str) else None,
            contacted=self.query_one("#contacted", Input).value,
            note=self.query_one("#fu-note", TextArea).text,
        )

    def action_save(self) -> None:
        step = self.chosen_step()
        if step is None:
            self._error(t("supervisor.tui.no_step"))
            return
        try:
            checked = check_follow_up(step, self._current, self._role)
        except DomainError as error:
            self._error(error.message())
            return
        self.dismiss(checked)

    def _error(self, text: str) -> None:
        error = self.query_one("#fu-error", Static)
        error.update(text)
        error.add_class("-shown")
