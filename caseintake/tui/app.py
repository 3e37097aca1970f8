"""The Textual application (the operator's terminal is built in the TUI issue)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class CaseIntakeApp(App[None]):
    def __init__(self, settings: Any) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        yield Static("caseintake")
        yield Footer()
