"""The app as one browser tab runs it (``caseintake serve``): the terminal app itself, plus
what a tab needs that a terminal does not.

- A closed tab (textual-serve sends the process a ``quit``) leaves like Ctrl+Q without the
  question: the open form is kept as the encrypted draft, the audit checkpoint is written and
  the user logged out, so the next login restores the draft.
- A tab starts without the keyboard's focus; the screen's own field gets it when the tab does.
- A session idle for the configured time is ended the same way; the idle lock comes first,
  exactly as in the terminal (``CaseIntakeApp``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import work
from textual.drivers.web_driver import WebDriver
from textual.message import Message

from caseintake.tui.app import CaseIntakeApp

if TYPE_CHECKING:
    from textual.driver import Driver

    from caseintake.services.container import Services
    from caseintake.services.core import Principal, Settings


class SessionEnd(Message):
    """The tab was closed, or the session sat idle past its time."""


class TabDriver(WebDriver):
    """textual-serve's driver; its ``quit`` (the tab closed) ends the session, keeping drafts."""

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":
            self._app.post_message(SessionEnd())
            return
        super().on_meta(packet_type, payload)


class ServedApp(CaseIntakeApp):
    def __init__(
        self, settings: Settings, services: Callable[[], Services], session_timeout: float
    ) -> None:
        super().__init__(settings, services)
        self.session_timeout = session_timeout
        self._ending = False

    def get_driver_class(self) -> type[Driver]:
        return TabDriver

    def on_mount(self) -> None:
        self.set_interval(min(5.0, max(self.session_timeout / 4, 0.05)), self._check_session)

    def watch_app_focus(self, focus: bool) -> None:
        # A browser tab starts blurred, and Textual skips a screen's auto focus while the app
        # is blurred: the login screen would take no keys. Focus comes when the tab gets it,
        # or with the first key typed: at once, before that key is dispatched (a later
        # callback would come after the whole burst of keys already queued, issue 19 item 1).
        if focus and self.screen.focused is None:
            self.screen._update_auto_focus()

    def _check_session(self) -> None:
        if monotonic() - self._last_activity >= self.session_timeout:
            self.post_message(SessionEnd())

    def on_session_end(self, _message: SessionEnd) -> None:
        if self._ending:
            return
        self._ending = True
        if self.principal is None:
            self.exit()
            return
        drafts = [
            write
            for screen in self.screen_stack
            if (pending := getattr(screen, "pending_draft", None)) is not None
            and (write := pending()) is not None
        ]
        self._end(self.principal, drafts)

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def _end(self, principal: Principal, drafts: list[Callable[[], Any]]) -> None:
        # Nobody is left to read an error: each step is tried, and the process ends regardless.
        try:
            for write in drafts:
                with suppress(Exception):
                    write()
            with suppress(Exception):
                self.services.audit.write_checkpoint(principal)
            with suppress(Exception):
                self.services.auth.logout(principal)
        finally:
            self.call_from_thread(self.exit)
