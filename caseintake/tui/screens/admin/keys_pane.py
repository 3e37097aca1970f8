"""The admin desk's keys tab: rotate the data key while operators work (a thread worker; the
number of fields re-encrypted comes back after each batch), resume one that was stopped. The
recovery key is rotated at the command line (``caseintake key rotate-recovery``): its new value
is printed once, for a terminal the admin controls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Label, ProgressBar, Static

from caseintake.i18n import t
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal


class KeysPane(Vertical):
    @dataclass
    class Progressed(Message):
        fields: int

    @dataclass
    class Finished(Message):
        text: str
        ok: bool

    def __init__(self, services: Services, principal: Principal, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._services = services
        self._principal = principal

    def _rotation(self) -> object:
        from caseintake.services.keys import KeyRotationService

        s = self._services
        return KeyRotationService(s.db, s.settings, s.audit_log)

    def compose(self) -> ComposeResult:
        yield Label(t("keys.tui.title"), classes="admin-title")
        yield Static(t("keys.tui.explain"), id="keys-explain", markup=False)
        yield Button(t("keys.tui.rotate"), id="keys-rotate", variant="primary")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="keys-progress")
        yield Static("", id="keys-status", markup=False)

    def on_mount(self) -> None:
        self.check_unfinished()

    @work(thread=True, group="admin-keys", exit_on_error=False)
    def check_unfinished(self) -> None:
        try:
            pending = self._rotation().unfinished()  # type: ignore[attr-defined]
        except Exception:  # nothing to say if the state cannot be read; rotating will say it
            return
        if pending is not None:
            text = t("keys.tui.unfinished", to_version=pending[1])
            self.post_message(self.Finished(text, ok=False))

    @on(Button.Pressed, "#keys-rotate")
    def start(self) -> None:
        self.query_one("#keys-rotate", Button).disabled = True
        self._show(t("admin.tui.working"), ok=True)
        self.run_rotation()

    @work(thread=True, group="admin-keys", exclusive=True, exit_on_error=False)
    def run_rotation(self) -> None:
        try:
            result = self._rotation().rotate(  # type: ignore[attr-defined]
                self._principal, lambda n: self.post_message(self.Progressed(n))
            )
        except Exception as error:  # one sentence on the pane, never a traceback
            self.post_message(self.Finished(describe(error), ok=False))
            return
        text = t("keys.rotation_finished", to_version=result.to_version, fields=result.fields)
        if result.disabled_left:
            names = ", ".join(result.disabled_left)
            text += " " + t("keys.rotation_disabled_left", names=names)
        self.post_message(self.Finished(text, ok=True))

    @on(Progressed)
    def _moved(self, message: Progressed) -> None:
        self._show(t("keys.rotation_progress", fields=message.fields), ok=True)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.query_one("#keys-rotate", Button).disabled = False
        bar = self.query_one("#keys-progress", ProgressBar)
        if message.ok:
            bar.update(total=1, progress=1)
        self._show(message.text, message.ok)

    def _show(self, text: str, ok: bool) -> None:
        status = self.query_one("#keys-status", Static)
        status.update(Text(text))
        status.set_class(not ok, "admin-error")
