"""The idle lock: an opaque modal over every screen; the screens beneath keep what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter
from caseintake.tui.texts import apply_texts, describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

_TEXTS = {
    "#lock-title": "tui.lock.title",
    "#password-label": "tui.lock.password",
    "#submit": "tui.lock.submit",
}


class LockScreen(ModalScreen[None]):
    CSS_PATH = "lock_screen.tcss"
    AUTO_FOCUS = "#password"

    @dataclass
    class Checked(Message):
        ok: bool
        error: str = ""

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static(id="lock-title")
            yield Static(t("tui.lock.explain", name=self._principal.name), id="explain")
            yield Label(id="password-label")
            yield Input(id="password", password=True, max_length=256)
            yield Button(id="submit", variant="primary")
            yield LoadingIndicator(id="busy")
            yield Static(id="error")
        yield LocalFooter()

    def on_mount(self) -> None:
        apply_texts(self, _TEXTS)
        standing = self._principal.standing
        if standing is not None and standing.ended is not None:  # why it locked (issue 20)
            self._show_error(t(standing.ended))

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if self.query_one("#submit", Button).disabled:
            return  # one check at a time: the first one's answer is on its way
        password = self.query_one("#password", Input).value
        if not password:
            return
        self._set_busy(True)
        self._verify(password)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def _verify(self, password: str) -> None:
        try:
            ok = self._services.auth.verify_password(self._principal, password)
        except Exception as error:
            self.post_message(self.Checked(False, describe(error)))
            return
        self.post_message(self.Checked(ok, "" if ok else t("tui.lock.wrong")))

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        self._set_busy(False)
        if message.ok:
            self.dismiss(None)
            return
        self._show_error(message.error)
        password = self.query_one("#password", Input)
        password.clear()
        password.focus()

    def _show_error(self, text: str) -> None:
        error = self.query_one("#error", Static)
        error.update(text)
        error.add_class("-shown")

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#busy").set_class(busy, "-shown")
        self.query_one("#submit", Button).disabled = busy
