"""One audit event's details, decrypted on request (the reading itself is audited)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from caseintake.i18n import t
from caseintake.services.audit import detail_lines
from caseintake.tui.bindings import LocalFooter, localize_bindings


class EventDetailsDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    EventDetailsDialog {
        align: center middle;
    }
    EventDetailsDialog #event-box {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    EventDetailsDialog #event-title {
        text-style: bold;
        color: $accent;
    }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="event.close")]

    def __init__(self, seq: int, details: dict[str, Any]) -> None:
        super().__init__()
        self._seq = seq
        self._details = details

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="event-box"):
            yield Static(t("supervisor.audit_view.details_title", seq=self._seq), id="event-title")
            shown = "\n".join(detail_lines(self._details))
            yield Static(Text(shown), id="event-details")  # stored text: never markup
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
