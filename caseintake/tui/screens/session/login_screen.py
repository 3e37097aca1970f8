"""Login: Vietnamese by default, F2 switches language; the key derivation runs in a worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from caseintake.i18n import language, set_language, t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.messages import LoggedIn
from caseintake.tui.texts import apply_texts, describe

if TYPE_CHECKING:
    from caseintake.services.access import EarlyKey
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

_TEXTS = {
    "#login-title": "tui.login.title",
    "#login-subtitle": "tui.login.subtitle",
    "#user-label": "tui.login.user",
    "#password-label": "tui.login.password",
    "#submit": "tui.login.submit",
}


class LoginScreen(Screen[None]):
    CSS_PATH = "login_screen.tcss"
    AUTO_FOCUS = "#user"
    BINDINGS = [
        Binding("f2", "toggle_language", "English", id="login.language"),
        Binding("enter", "next_field", show=False, priority=True),
    ]

    @dataclass
    class Succeeded(Message):
        principal: Principal
        password: str

    @dataclass
    class Failed(Message):
        text: str

    def __init__(
        self,
        services: Callable[[], Services],
        early: Callable[[str, str], EarlyKey | None] | None = None,
    ) -> None:
        super().__init__()
        self._services = services
        self._early_key = early  # a password typed before the services are built (issue 23)
        self._early = False  # keys came before the name field had the cursor
        self._early_field: Input | None = None
        localize_bindings(self, refresh=False)

    def compose(self) -> ComposeResult:
        # Words are set here, not on mount: one layout before the first paint (bench_startup).
        with Vertical(id="login-box"):
            yield Static(t(_TEXTS["#login-title"]), id="login-title")
            yield Static(t(_TEXTS["#login-subtitle"]), id="login-subtitle")
            yield Label(t(_TEXTS["#user-label"]), id="user-label")
            yield Input(id="user", max_length=64)
            yield Label(t(_TEXTS["#password-label"]), id="password-label")
            yield Input(id="password", password=True, max_length=256)
            yield Button(t(_TEXTS["#submit"]), id="submit", variant="primary")
            yield LoadingIndicator(id="busy")
            yield Static(id="error")
        yield LocalFooter()

    def _retext(self) -> None:
        apply_texts(self, _TEXTS)
        localize_bindings(self)
        localize_bindings(self.app)

    def action_toggle_language(self) -> None:
        set_language("en" if language() == "vi" else "vi")
        self.app.title = t("tui.app.title")
        self._retext()

    def on_key(self, event: events.Key) -> None:
        """Keys typed before any field had the cursor (the screen still being drawn, a browser
        tab not focused yet) were sent to the screen: they go, in order, where they would have
        gone, name, Tab, password, Enter (issue 19 item 1). A key that reaches the screen from
        a field (a letter or a Tab is taken by the field or the app first) never gets here
        as a letter or a Tab; an Enter does only after early keys."""
        printable = bool(event.is_printable and event.character)
        # An Enter typed before the app took the terminal arrives as a line feed (ctrl+j).
        enter = event.key in ("enter", "ctrl+j")
        early = printable or event.key == "tab" or (enter and self._early)
        if not early:
            return
        event.stop()
        event.prevent_default()
        self._early = True
        name, password = self.query_one("#user", Input), self.query_one("#password", Input)
        field = self._early_field or name
        if event.key == "tab":
            field = password
        elif enter:
            if field is not name:
                self.submit()
                return
            field = password
        else:
            field.insert_text_at_cursor(event.character or "")  # now: an Enter may follow
        self._early_field = field
        self.set_focus(field)

    def action_next_field(self) -> None:
        """Enter moves on at once, so keys typed ahead land in the next field, not this one."""
        if self.focused is not self.query_one("#user"):
            raise SkipAction()  # the last field submits through its own Enter, after its keys
        self.set_focus(self.query_one("#password"))

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if self.query_one("#submit", Button).disabled:
            return  # one check at a time: the first one's answer is on its way
        name = self.query_one("#user", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not name or not password:
            self._show_error(t("tui.login.empty"))
            return
        self._set_busy(True)
        self._login(name, password)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def _login(self, name: str, password: str) -> None:
        try:
            early = self._early_key(name, password) if self._early_key is not None else None
            services = self._services()
            principal = services.auth.login(name, password, early)
            # The rest of the stack loads now, after the key derivation (its 64 MiB freed),
            # here in the worker, not on the event loop when the home opens (issue 23 item 3).
            services.warm()
        except Exception as error:  # AuthError and any database failure: one sentence
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Succeeded(principal, password))

    @on(Succeeded)
    def _succeeded(self, message: Succeeded) -> None:
        self._set_busy(False)
        if message.principal.must_change_password:
            from caseintake.tui.screens.session.password_screen import PasswordScreen

            screen = PasswordScreen(self._services, message.principal.name, message.password)
            self.app.push_screen(screen)
        else:
            self.post_message(LoggedIn(message.principal))
        self._reset()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._set_busy(False)
        self._show_error(message.text)
        password = self.query_one("#password", Input)
        password.clear()
        password.focus()

    def _reset(self) -> None:
        """Ready for the next login: no password left in the field, no old message."""
        self.query_one("#password", Input).clear()
        self._show_error("")

    def _show_error(self, text: str) -> None:
        error = self.query_one("#error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#busy").set_class(busy, "-shown")
        self.query_one("#submit", Button).disabled = busy
        if busy:
            self._show_error("")
