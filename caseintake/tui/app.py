"""The operator's terminal. The login screen paints first; the services (SQLAlchemy, crypto) are
built by a thread worker after that, so launching costs little more than a bare Textual app."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from caseintake.i18n import set_language, t
from caseintake.tui.bindings import (
    BindingCommands,
    localize_bindings,
    localized_system_commands,
)
from caseintake.tui.messages import BackToLogin, LoggedIn, LoggedOut
from caseintake.tui.screens.session.login_screen import LoginScreen
from caseintake.tui.texts import describe
from caseintake.tui.theme import CASEINTAKE_THEME

if TYPE_CHECKING:
    from caseintake.services.access import EarlyKey, LoginGate
    from caseintake.services.container import Services
    from caseintake.services.core import Principal, Settings
    from caseintake.tui.screens.session.lock_screen import LockScreen

BENCH_PAINTED_ENV = "CASEINTAKE_BENCH_PAINTED"
BENCH_USABLE_ENV = "CASEINTAKE_BENCH_USABLE"  # the login can check a password from here on
KEY_SETTLE_SECONDS = 0.25
_ACTIVITY = (events.Key, events.MouseDown, events.MouseMove, events.MouseScrollDown, events.Paste)


class CaseIntakeApp(App[None]):
    # The login screen is the default screen, whose own CSS_PATH Textual does not load.
    CSS_PATH = ["app.tcss", "screens/session/login_screen.tcss"]
    COMMANDS = App.COMMANDS | {BindingCommands}
    BINDINGS = [
        Binding("ctrl+l", "lock", "Lock", id="app.lock"),
        # Declared here (Textual then adds none of its own) so its words follow the language.
        Binding(
            "ctrl+p", "command_palette", "palette", id="app.palette", show=False, priority=True
        ),
    ]

    def __init__(self, settings: Settings, services: Callable[[], Services]) -> None:
        super().__init__()
        self.settings = settings
        self.principal: Principal | None = None
        self._factory = services
        self._services: Services | None = None
        self._services_error: BaseException | None = None
        self._gate: LoginGate | None = None
        self._services_ready = threading.Event()
        self._last_activity = monotonic()
        self._lock: LockScreen | None = None
        self.register_theme(CASEINTAKE_THEME)
        self.theme = CASEINTAKE_THEME.name
        set_language(settings.language)
        self.title = t("tui.app.title")

    def get_default_screen(self) -> LoginScreen:
        return LoginScreen(self.services_blocking, self.early_key)

    def on_mount(self) -> None:
        localize_bindings(self)
        self.call_after_refresh(self._first_paint_done)

    def _first_paint_done(self) -> None:
        marker = os.environ.get(BENCH_PAINTED_ENV)
        if marker:  # bench/bench_startup.py times launch until this point
            Path(marker).write_text("painted", encoding="utf-8")
            self.exit()
            return
        self._build_services()
        idle = self.settings.idle_lock.total_seconds()
        self.set_interval(min(1.0, max(idle / 4, 0.05)), self._check_idle)

    @work(thread=True, exit_on_error=False)
    def _build_services(self) -> None:
        try:
            from caseintake.services.access import LoginGate

            # The driver alone, first: the schema at head, the crypto loaded; a password typed
            # from here on starts its key derivation while the services load (early_login.py).
            self._gate = LoginGate.open(self.settings.db_url)
            if self._gate is not None and self._usable():
                return
            self._services = self._factory()
            if self._gate is None and self._usable():
                return
        except Exception as error:  # shown at once, and again on each login attempt
            self._services_error = error
            self.call_from_thread(self.notify, describe(error), severity="error", timeout=60)
        finally:
            self._services_ready.set()

    def _usable(self) -> bool:
        """bench/bench_startup.py times launch until a login accepts a password: True when
        it does (the app then exits)."""
        marker = os.environ.get(BENCH_USABLE_ENV)
        if marker:
            Path(marker).write_text("usable", encoding="utf-8")
            self.call_from_thread(self.exit)
        return bool(marker)

    def early_key(self, name: str, password: str) -> EarlyKey | None:
        """For the login's worker: this password's key, derived now when the services are
        not built yet (their imports run beside it); None once they are, or when unsure."""
        gate = self._gate
        if gate is None or self._services_ready.is_set():
            return None
        try:
            return gate.derive(name, password)
        except Exception:  # the login's own derivation says what is wrong, in one sentence
            return None

    def services_blocking(self) -> Services:
        """For worker threads: the services once built, or the error that stopped them."""
        self._services_ready.wait()
        if self._services is None:
            raise self._services_error or RuntimeError("services unavailable")
        return self._services

    @property
    def services_ready(self) -> bool:
        """The services are built (or failed): a login goes straight to its check."""
        return self._services_ready.is_set()

    @property
    def services(self) -> Services:
        assert self._services is not None, "services are built before anyone logs in"
        return self._services

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _ACTIVITY):
            self._last_activity = monotonic()
        target = self.focused if isinstance(event, events.Key) and not event.is_forwarded else None
        if target is None:
            await super().on_event(event)
            return
        if event.key in ("tab", "shift+tab") and not isinstance(self.screen, ModalScreen):
            # Moved here, at once, rather than when the key bubbles back: typed-ahead keys
            # after a Tab must find the cursor already in the next field.
            self.screen.focus_next() if event.key == "tab" else self.screen.focus_previous()
            return
        # Keys typed in a burst: the field finishes with this key (which may move the cursor)
        # before the next key is routed, so each lands where the operator meant it. Bounded, so
        # a handler that waits on the app itself costs a pause, never a hang.
        settled = asyncio.Event()

        def _done(message: object) -> None:
            if message is event:
                settled.set()

        target.message_signal.subscribe(self, _done, immediate=True)
        try:
            await super().on_event(event)
            if event.is_forwarded:  # not taken by a priority binding
                with suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(settled.wait(), KEY_SETTLE_SECONDS)
        finally:
            target.message_signal.unsubscribe(self)

    def _check_idle(self) -> None:
        idle = monotonic() - self._last_activity
        standing = self.principal.standing if self.principal is not None else None
        if idle >= self.settings.idle_lock.total_seconds():
            self.action_lock()
        elif standing is not None and standing.ended is not None:
            self.action_lock()  # disabled or given another role by an admin (issue 20 item 7)
        elif (
            self.principal is not None
            and self._services is not None
            and self._services.cadence.due()  # every M minutes while it writes (issue 20 #4)
        ):
            self._sign_head(self.principal, False)

    @property
    def locked(self) -> bool:
        return self._lock is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("lock", "logout"):
            return self.principal is not None and not self.locked
        return True

    def action_lock(self) -> None:
        if self.principal is None or self.locked:
            return
        from caseintake.tui.screens.session.lock_screen import LockScreen

        self.clear_notifications()  # a toast must not show over the lock what it hides
        self._lock = LockScreen(self.services, self.principal)
        self.push_screen(self._lock, callback=self._unlocked)
        self._sign_head(self.principal, True)  # at the idle lock (issue 20 item 4)

    @work(thread=True, exclusive=True, group="cadence", exit_on_error=False)
    def _sign_head(self, principal: Principal, force: bool) -> None:
        """A checkpoint when this process wrote (at the lock) or when one is due by time."""
        if principal.standing is not None and principal.standing.ended is not None:
            return
        with suppress(Exception):  # the next lock, call or logout signs it again
            self.services.cadence.maybe(principal, force=force)

    def _unlocked(self, _result: Any) -> None:
        self._lock = None
        self._last_activity = monotonic()

    def action_command_palette(self) -> None:
        if self.locked:  # the palette must not reach the screens under the lock
            return
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = t("tui.palette.placeholder")
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's own entries (theme, quit, keys...) in the chosen language.
        return localized_system_commands(super().get_system_commands(screen))

    @on(LoggedIn)
    async def _start_shift(self, message: LoggedIn) -> None:
        from caseintake.tui.role_homes import home_for

        self.principal = message.principal
        self._last_activity = monotonic()
        localize_bindings(self)
        await self._back_to_base()
        await self.push_screen(home_for(self.services, message.principal))

    def action_logout(self) -> None:
        if self.principal is not None and not self.locked:
            self._logout(self.principal)

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def _logout(self, principal: Principal) -> None:
        try:
            _path, seq = self.services.audit.write_checkpoint(principal)
            self.services.auth.logout(principal)
        except Exception as error:
            self.call_from_thread(self.notify, describe(error), severity="error")
            return
        self.post_message(LoggedOut(seq))

    # Leaving (ctrl+q, and ctrl+c outside a text field) ----------------------------------
    async def action_quit(self) -> None:
        """Ask first when a form holds unsaved words; then keep it as the encrypted draft,
        write the audit checkpoint, log out, and exit."""
        from caseintake.tui.screens.session.quit_dialog import QuitDialog

        if isinstance(self.screen, QuitDialog):  # ctrl+q again: the answer is yes
            self.screen.dismiss(True)
        elif self.principal is None:
            self.exit()
        elif any(getattr(screen, "unsaved", False) for screen in self.screen_stack):
            self.push_screen(QuitDialog(), self._quit_answered)
        else:
            self._leave(self.principal)

    async def action_help_quit(self) -> None:
        # Textual's ctrl+c shows an English toast; here it is the same quit as ctrl+q.
        await self.action_quit()

    def _quit_answered(self, confirmed: bool | None) -> None:
        if confirmed and self.principal is not None:
            self._leave(self.principal)

    def _leave(self, principal: Principal) -> None:
        drafts = [
            write
            for screen in self.screen_stack
            if (pending := getattr(screen, "pending_draft", None)) is not None
            and (write := pending()) is not None
        ]
        self._quit(principal, drafts)

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def _quit(self, principal: Principal, drafts: list[Callable[[], object]]) -> None:
        if principal.standing is not None and principal.standing.ended is not None:
            # Disabled or given another role (issue 20 item 7): such a session writes nothing
            # more, not even its form, and leaving must still work.
            self.call_from_thread(self.exit)
            return
        try:
            for write in drafts:
                write()
            self.services.audit.write_checkpoint(principal)
            self.services.auth.logout(principal)
        except Exception as error:  # stays open: nothing is lost, the operator can try again
            detail = t("tui.quit.failed", detail=describe(error))
            self.call_from_thread(self.notify, detail, severity="error")
            return
        self.call_from_thread(self.exit)

    @on(LoggedOut)
    async def _ended(self, message: LoggedOut) -> None:
        self.principal = None
        await self._show_login()
        self.notify(t("tui.home.logged_out", seq=message.seq))

    @on(BackToLogin)
    async def _show_login(self) -> None:
        await self._back_to_base()
        self.screen_stack[0].query_one("#user").focus()

    async def _back_to_base(self) -> None:
        """The login screen stays at the bottom of the stack, under the whole shift."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
