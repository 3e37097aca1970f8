"""Quick log of a non-data call: the contact opens with this dialog and its timer starts; one
key names the kind of call and ends it (``n`` then ``s`` logs a silent call from home)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from caseintake.domain.taxonomy import label
from caseintake.i18n import t
from caseintake.tui.bindings import localize_bindings
from caseintake.tui.widgets.time_text import duration_text

# (contact type, keys): a letter, then the digit of its place in the list.
NON_DATA_KEYS = (
    ("silent", "s,1"),
    ("hang_up", "h,2"),
    ("prank_abusive", "p,3"),
    ("wrong_number", "w,4"),
    ("thanks", "t,5"),
)


@dataclass(frozen=True)
class NonDataCall:
    contact_type: str
    received_at: datetime
    duration_seconds: int


class NonDataDialog(ModalScreen[NonDataCall | None]):
    CSS_PATH = "non_data_dialog.tcss"
    AUTO_FOCUS = "#kinds"
    BINDINGS = [
        *(
            Binding(keys, f"log('{kind}')", kind, id=f"non_data.{kind}")
            for kind, keys in NON_DATA_KEYS
        ),
        Binding("escape", "dismiss(None)", "Cancel", id="non_data.cancel"),
    ]

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._clock = clock
        self._opened_at = clock()

    def compose(self) -> ComposeResult:
        with Vertical(id="non-data-box"):
            yield Static(t("tui.non_data.title"), id="non-data-title")
            yield OptionList(
                *(
                    Option(f"[b]{keys.split(',')[0]}[/b]  {label('contact_type', kind)}", id=kind)
                    for kind, keys in NON_DATA_KEYS
                ),
                id="kinds",
            )
            yield Static(id="timer")
            yield Static(t("tui.non_data.hint"), id="hint")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self)
        self._tick()
        self.set_interval(1.0, self._tick)

    def _elapsed(self) -> int:
        return max(0, int((self._clock() - self._opened_at).total_seconds()))

    def _tick(self) -> None:
        timer = t("tui.non_data.timer", duration=duration_text(self._elapsed()))
        self.query_one("#timer", Static).update(timer)

    def action_log(self, kind: str) -> None:
        self.dismiss(NonDataCall(kind, self._opened_at, self._elapsed()))

    @on(OptionList.OptionSelected, "#kinds")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_log(event.option.id)
