"""Adding another line to the directory from the admin desk (issue 24 item 2): the card file
(its name in the export folder, or a path) and the fingerprint the other line read out by
phone. A card that does not verify, or a fingerprint that does not match, is said inline and
nothing is stored; ``dismiss`` gives the new directory id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal


class AddLineDialog(ModalScreen[str | None]):
    CSS_PATH = "add_line_dialog.tcss"
    AUTO_FOCUS = "#line-card"
    BINDINGS = [
        Binding("ctrl+s", "add", "Add", id="line.add", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", id="line.cancel"),
    ]

    @dataclass
    class Refused(Message):
        text: str

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal

    def compose(self) -> ComposeResult:
        folder = self._services.settings.export_folder()
        with Vertical(id="line-box"):
            yield Static(t("line.tui.title"), id="line-title")
            yield Static(t("line.tui.hint", folder=str(folder)), id="line-hint", markup=False)
            files = _card_files(folder)
            if files:
                choices = [(name, name) for name in files]
                yield Select(choices, prompt=t("line.tui.choose"), id="line-choose")
            yield Input(placeholder=t("line.tui.card"), id="line-card")
            yield Input(placeholder=t("line.tui.fingerprint"), id="line-fingerprint")
            yield Static("", id="line-error", markup=False)
            with Horizontal(id="line-buttons"):
                yield Button(t("line.tui.add"), id="line-add", variant="primary")
                yield Button(t("line.tui.cancel"), id="line-cancel")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)

    @on(Select.Changed, "#line-choose")
    def chosen(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK:
            self.query_one("#line-card", Input).value = str(event.value)

    @on(Button.Pressed, "#line-cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#line-add")
    def action_add(self) -> None:
        name = self.query_one("#line-card", Input).value.strip()
        typed = self.query_one("#line-fingerprint", Input).value
        if not name:
            self._refuse(t("line.tui.no_card"))
            return
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = self._services.settings.export_folder() / path
        self._add(path, typed)

    @work(thread=True, group="line-add", exclusive=True, exit_on_error=False)
    def _add(self, path: Path, typed: str) -> None:
        from caseintake.services.line import read_card_file

        try:
            directory_id = self._services.line_cards.add_line(
                self._principal, read_card_file(path), typed
            )
        except Exception as error:
            self.post_message(self.Refused(describe(error)))
            return
        self.app.call_from_thread(self.dismiss, directory_id)

    @on(Refused)
    def _shown(self, message: Refused) -> None:
        self._refuse(message.text)

    def _refuse(self, text: str) -> None:
        error = self.query_one("#line-error", Static)
        error.update(Text(text))
        error.add_class("-shown")


MAX_LISTED = 50


def _card_files(folder: Path) -> list[str]:
    """The JSON files of the export folder, newest first, to choose the card from."""
    try:
        found = [p for p in folder.iterdir() if p.suffix == ".json" and p.is_file()]
    except OSError:
        return []
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return [p.name for p in found[:MAX_LISTED]]
