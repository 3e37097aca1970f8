"""Pick the next status of a referral among the moves the operator's role allows."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from caseintake.domain.states import state_label
from caseintake.i18n import t
from caseintake.tui.bindings import localize_bindings


class TransitionDialog(ModalScreen[str | None]):
    CSS_PATH = "transition_dialog.tcss"
    AUTO_FOCUS = "#targets"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="transition.cancel")]

    def __init__(self, subject: str, current: str, targets: tuple[str, ...]) -> None:
        super().__init__()
        self._subject = subject
        self._current = current
        self._targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(id="transition-box"):
            yield Static(t("tui.transition.title", body=self._subject), id="transition-title")
            yield Static(state_label("referral", self._current), id="transition-current")
            yield OptionList(
                *(Option(state_label("referral", s), id=s) for s in self._targets), id="targets"
            )
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self)

    @on(OptionList.OptionSelected, "#targets")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
