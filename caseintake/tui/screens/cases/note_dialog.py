"""A note (or the reason a move needs) typed in a dialog: ``dismiss`` gives the text or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings

MAX_NOTE = 4000


class NoteDialog(ModalScreen[str | None]):
    CSS_PATH = "note_dialog.tcss"
    AUTO_FOCUS = "#note"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str | None = None) -> None:
        super().__init__()
        self._title = title or t("tui.note.title")

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(self._title, id="note-title")
            yield TextArea(id="note", soft_wrap=True, show_line_numbers=False)
            yield Static(id="note-error")
            yield Static(t("tui.note.hint"), id="note-hint")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)

    def action_save(self) -> None:
        text = self.query_one("#note", TextArea).text.strip()
        if not text:
            error = self.query_one("#note-error", Static)
            error.update(t("tui.note.empty"))
            error.add_class("-shown")
            return
        self.dismiss(text[:MAX_NOTE])
