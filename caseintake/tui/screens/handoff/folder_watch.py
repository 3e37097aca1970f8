"""The supervisor's desk reads the partners' drop folders by itself (issue 24, transport): every
N seconds (``Settings.drop_poll``, 60 s unless ``CASEINTAKE_DROP_POLL_SECONDS`` says otherwise)
and when the hand-off inbox opens, in a thread worker, never two at once. New packages and
receipts are announced ("2 gói mới từ 111") and the inbox, when it is the screen shown,
refreshed. A folder that cannot be read is one sentence in ``problem`` (the desk shows it on
its status line) and never stops the desk."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from caseintake.i18n import t
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal
    from caseintake.services.handoffs import PollResult


def announcements(result: PollResult) -> list[tuple[str, str]]:
    """What a poll brought, in words and a notification's severity: one line per sending line
    and kind, and how many files were refused."""
    said = [(t("handoff_folders.tui.new_packages", n=n, line=line), "information")
            for line, n in sorted(result.senders("package").items())]  # fmt: skip
    said += [(t("handoff_folders.tui.new_receipts", n=n, line=line), "information")
             for line, n in sorted(result.senders("receipt").items())]  # fmt: skip
    if result.refused:
        said.append((t("handoff_folders.tui.refused", n=len(result.refused)), "warning"))
    return said


class FolderWatch:
    """Polls for ``screen``; ``changed`` hears when ``problem`` changes. A screen shown (or the
    watching one) with a ``drop_folders_polled()`` method is told when a poll took or refused
    something."""

    def __init__(
        self,
        screen: Screen[None],
        services: Services,
        principal: Principal,
        changed: Callable[[], None] | None = None,
    ) -> None:
        self._screen = screen
        self._services = services
        self._principal = principal
        self._changed = changed
        self._running = False
        self.problem: str | None = None

    def start(self) -> None:
        """Poll now, then every N seconds while the screen lives."""
        seconds = self._services.settings.drop_poll.total_seconds()
        self._screen.set_interval(seconds, self.poll_now)
        self.poll_now()

    def poll_now(self) -> None:
        if self._running or self._principal.role != "supervisor":
            return
        self._running = True
        self._screen.run_worker(self._poll, thread=True, group="drop-folders", exit_on_error=False)

    def _poll(self) -> None:
        app = self._screen.app
        try:
            result = self._services.handoffs.poll(self._principal)
        except Exception as error:
            app.call_from_thread(self._finished, None, describe(error))
            return
        app.call_from_thread(self._finished, result, None)

    def _finished(self, result: PollResult | None, failed: str | None) -> None:
        self._running = False
        problem = failed or (result.errors[0] if result and result.errors else None)
        if problem != self.problem:
            self.problem = problem
            if self._changed is not None:
                self._changed()
        if result is None or not result.files:
            return
        app = self._screen.app
        for line, severity in announcements(result):
            app.notify(line, severity=severity)  # type: ignore[arg-type]
        for screen in dict.fromkeys((app.screen, self._screen)):
            told = getattr(screen, "drop_folders_polled", None)
            if callable(told):
                told()
