"""First login: the one-time password is replaced by the user's own (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.messages import BackToLogin, LoggedIn
from caseintake.tui.texts import apply_texts, describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

_TEXTS = {
    "#password-title": "tui.password.title",
    "#new-label": "tui.password.new",
    "#confirm-label": "tui.password.confirm",
    "#submit": "tui.password.submit",
}


class PasswordScreen(Screen[None]):
    CSS_PATH = "password_screen.tcss"
    AUTO_FOCUS = "#new"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="password.cancel"),
        Binding("enter", "next_field", show=False, priority=True),
    ]

    @dataclass
    class Changed(Message):
        principal: Principal

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Callable[[], Services], name: str, current: str) -> None:
        super().__init__()
        self._services = services
        self._user = name
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="password-box"):
            yield Static(id="password-title")
            yield Static(t("tui.password.explain", name=self._user), id="explain")
            yield Label(id="new-label")
            yield Input(id="new", password=True, max_length=256)
            yield Label(id="confirm-label")
            yield Input(id="confirm", password=True, max_length=256)
            yield Button(id="submit", variant="primary")
            yield LoadingIndicator(id="busy")
            yield Static(id="error")
        yield LocalFooter()

    def on_mount(self) -> None:
        apply_texts(self, _TEXTS)
        localize_bindings(self)

    def action_cancel(self) -> None:
        self.post_message(BackToLogin())

    def action_next_field(self) -> None:
        """Enter moves on at once, so keys typed ahead land in the next field, not this one."""
        if self.focused is not self.query_one("#new"):
            raise SkipAction()  # the last field submits through its own Enter, after its keys
        self.set_focus(self.query_one("#confirm"))

    @on(Input.Submitted, "#confirm")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if self.query_one("#submit", Button).disabled:
            return  # one check at a time: the first one's answer is on its way
        new = self.query_one("#new", Input).value
        if new != self.query_one("#confirm", Input).value:
            self._show_error(t("tui.password.mismatch"))
            return
        self._set_busy(True)
        self._change(new)

    @work(thread=True, exclusive=True, group="password", exit_on_error=False)
    def _change(self, new: str) -> None:
        try:
            principal = self._services().auth.change_password(self._user, self._current, new)
        except Exception as error:  # the password rules speak through DomainError messages
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Changed(principal))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self._current = ""
        self.post_message(LoggedIn(message.principal))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._set_busy(False)
        self._show_error(message.text)
        for selector in ("#new", "#confirm"):
            self.query_one(selector, Input).clear()
        self.query_one("#new", Input).focus()

    def _show_error(self, text: str) -> None:
        error = self.query_one("#error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#busy").set_class(busy, "-shown")
        self.query_one("#submit", Button).disabled = busy
        if busy:
            self._show_error("")
