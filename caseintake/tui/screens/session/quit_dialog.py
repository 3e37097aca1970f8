"""Quit with a form open: ask once. Enter and Esc stay (the safe default); ``q`` or ctrl+q again
quits, after the form goes to the encrypted draft, the audit checkpoint is written and the
operator is logged out (the app does that; this dialog only asks)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter


class QuitDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    QuitDialog { align: center middle; }
    QuitDialog > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    QuitDialog #quit-title { text-style: bold; color: $accent; }
    QuitDialog .dialog-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("q", "dismiss(True)", "Quit", id="intake.quit_confirm"),
        Binding("enter", "dismiss(False)", "Stay", id="intake.quit_stay"),
        Binding("escape", "dismiss(False)", "Stay", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("tui.quit.title"), id="quit-title")
            yield Static(t("tui.quit.unsaved"))
            yield Static(t("tui.quit.keys"), classes="dialog-hint")
        yield LocalFooter()
