"""A supervisor's decision with an optional text: confirm or dismiss an escalation, or a case
review (approve the plan, close with a note, reassign to a user). ``dismiss`` gives the chosen
option and the text, or None when cancelled; an option that needs text refuses to go without.

Given an ``attempt``, the dialog carries the decision out itself (in a worker) and closes only
once it is done: a refusal (closing refused, an unknown user) is shown in the dialog, with what
was typed kept to correct (issue 19, item 16)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.texts import describe


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    needs_text: bool = False
    text_prompt: str = ""


@dataclass(frozen=True)
class Decision:
    choice: str
    text: str


class DecisionDialog(ModalScreen[Decision | None]):
    CSS_PATH = "decision_dialog.tcss"
    AUTO_FOCUS = "#choices"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="decision.cancel")]

    def __init__(
        self,
        title: str,
        body: str,
        choices: list[Choice],
        *,
        check: Callable[[str], object] | None = None,
        attempt: Callable[[Decision], object] | None = None,
    ) -> None:
        """Both by keyword (they are easily swapped): ``check`` refuses a text (raises, one
        sentence shown here, the dialog stays);
        ``attempt`` carries the decision out in a worker and the dialog closes only once it is
        done (a refusal is said here, what was typed stays)."""
        super().__init__()
        self._title = title
        self._body = body
        self._choices = choices
        self._check = check
        self._attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="decision-box"):
            yield Static(Text(self._title), id="decision-title")
            yield Static(Text(self._body), id="decision-body")
            yield OptionList(*(Option(c.label, id=c.id) for c in self._choices), id="choices")
            yield Input(compact=True, id="decision-text", max_length=4000)
            yield Static(id="decision-error")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self._prompt(0)

    @on(OptionList.OptionHighlighted, "#choices")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._prompt(event.option_index)

    def _prompt(self, index: int) -> None:
        if not self._choices:
            return
        choice = self._choices[index]
        field = self.query_one("#decision-text", Input)
        field.placeholder = choice.text_prompt
        field.display = choice.needs_text

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        choice = self._choices[event.option_index]
        if choice.needs_text:
            self.query_one("#decision-text", Input).focus()
        else:
            self._decided(Decision(choice.id, ""))

    @on(Input.Submitted, "#decision-text")
    def _submitted(self, event: Input.Submitted) -> None:
        index = self.query_one("#choices", OptionList).highlighted or 0
        text = event.value.strip()
        if not text:
            self._refused(t("supervisor.tui.text_needed"))
            return
        if self._check is not None:
            try:
                self._check(text)
            except Exception as refused:
                self._refused(describe(refused))
                return
        self._decided(Decision(self._choices[index].id, text))

    def _decided(self, decision: Decision) -> None:
        if self._attempt is None:
            self.dismiss(decision)
            return
        self.query_one("#decision-error", Static).remove_class("-shown")
        self._try(decision)

    @work(thread=True, exclusive=True, group="decision", exit_on_error=False)
    def _try(self, decision: Decision) -> None:
        assert self._attempt is not None
        try:
            self._attempt(decision)
        except Exception as error:
            self.app.call_from_thread(self._refused, describe(error))
            return
        self.app.call_from_thread(self.dismiss, decision)

    def _refused(self, text: str) -> None:
        """Say why in the dialog; what was typed stays in its field."""
        error = self.query_one("#decision-error", Static)
        error.update(Text(text))
        error.add_class("-shown")
