"""A partner line's drop folder, from the admin desk's directory tab (issue 24, transport): the
entry chosen in the form, the folder's path typed (the one kept is shown first), set or
cleared. A path that cannot be a drop folder is said inline, nothing stored, what was typed
kept; ``dismiss`` gives the sentence of what was done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal


class DropFolderDialog(ModalScreen[str | None]):
    CSS_PATH = "drop_folder_dialog.tcss"
    AUTO_FOCUS = "#drop-path"
    BINDINGS = [
        Binding("ctrl+s", "set", "Set", id="handoff_folders.set_key", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", id="handoff_folders.cancel_key"),
    ]

    @dataclass
    class Refused(Message):
        text: str

    @dataclass
    class Current(Message):
        path: str

    def __init__(self, services: Services, principal: Principal, entry_id: str) -> None:
        super().__init__()
        self._services = services
        self._principal = principal
        self._entry = entry_id

    def compose(self) -> ComposeResult:
        with Vertical(id="line-box"):
            yield Static(Text(t("handoff_folders.tui.title", id=self._entry)), id="line-title")
            yield Static(t("handoff_folders.tui.hint"), id="line-hint", markup=False)
            yield Input(placeholder=t("handoff_folders.tui.path"), id="drop-path")
            yield Static("", id="line-error", markup=False)
            with Horizontal(id="line-buttons"):
                yield Button(t("handoff_folders.tui.set"), id="drop-set", variant="primary")
                yield Button(t("handoff_folders.tui.clear"), id="drop-clear", variant="warning")
                yield Button(t("line.tui.cancel"), id="drop-cancel")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self._read()

    @work(thread=True, group="drop-read", exit_on_error=False)
    def _read(self) -> None:
        try:
            kept = self._services.drop_folders.folder(self._entry)
        except Exception as error:
            self.post_message(self.Refused(describe(error)))
            return
        if kept is not None:
            self.post_message(self.Current(str(kept)))

    @on(Current)
    def _current(self, message: Current) -> None:
        field = self.query_one("#drop-path", Input)
        if not field.value:
            field.value = message.path

    @on(Button.Pressed, "#drop-cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#drop-set")
    def action_set(self) -> None:
        typed = self.query_one("#drop-path", Input).value
        folders = self._services.drop_folders
        self._write(lambda: folders.set_folder(self._principal, self._entry, typed),
                    lambda kept: t("handoff_folders.set", id=self._entry, path=kept))  # fmt: skip

    @on(Button.Pressed, "#drop-clear")
    def clear(self) -> None:
        folders = self._services.drop_folders
        self._write(lambda: folders.clear(self._principal, self._entry),
                    lambda _r: t("handoff_folders.cleared", id=self._entry))  # fmt: skip

    @work(thread=True, group="drop-write", exclusive=True, exit_on_error=False)
    def _write(self, action: Callable[[], Any], sentence: Callable[[Any], str]) -> None:
        try:
            done = action()
        except Exception as error:
            self.post_message(self.Refused(describe(error)))
            return
        self.app.call_from_thread(self.dismiss, sentence(done))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        error = self.query_one("#line-error", Static)
        error.update(Text(message.text))
        error.add_class("-shown")
