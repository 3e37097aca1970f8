"""How often a writing process signs a checkpoint (issue 20 item 4): the insider's window.

An insider can rewrite their own events only after the last checkpoint anyone signed, so
every process that writes signs one at least every ``events`` of its own events and every
``seconds`` while it writes (both admin settings in ``security_settings``, never from the
environment), besides at logout, at exit, at the idle lock, at a backup and after each CLI
command that wrote. The counters are this process's (``AuditLog.since_checkpoint``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING

from sqlalchemy import select

from caseintake.store.db import Database
from caseintake.store.models import SecuritySettings

if TYPE_CHECKING:
    from caseintake.services.audit.log import AuditLog
    from caseintake.services.core.principal import Principal

DEFAULT_EVENTS, DEFAULT_SECONDS = 50, 300
EVENTS_RANGE, SECONDS_RANGE = (1, 10_000), (30, 86_400)


def cadence_of(db: Database) -> tuple[int, int]:
    """(events, seconds), clamped: a tampered value never widens the window past the bounds."""
    with db.read() as s:
        row = s.execute(
            select(SecuritySettings.checkpoint_every_events, SecuritySettings.checkpoint_every_s)
        ).first()
    events, seconds = (row[0], row[1]) if row is not None else (None, None)
    events = events if isinstance(events, int) else DEFAULT_EVENTS
    seconds = seconds if isinstance(seconds, int) else DEFAULT_SECONDS
    return (
        min(max(events, EVENTS_RANGE[0]), EVENTS_RANGE[1]),
        min(max(seconds, SECONDS_RANGE[0]), SECONDS_RANGE[1]),
    )


class Cadence:
    def __init__(self, db: Database, log: AuditLog, write: Callable[[Principal], object]) -> None:
        self._db = db
        self._log = log
        self._write = write
        self._busy = threading.local()
        self._signing = threading.Lock()  # one checkpoint at a time in this process
        self._starting = threading.Lock()  # guards ``_behind``; never held while signing
        self._behind: threading.Thread | None = None
        self._policy: tuple[float, tuple[int, int]] | None = None
        # The bulk replay writes exactly what the bulk builder writes (services/bulk/replay.py).
        self.paused = False

    def _cadence(self) -> tuple[int, int]:
        """The admin's setting, read again at most every few seconds (a read per call costs)."""
        now = monotonic()
        if self._policy is None or now - self._policy[0] > 5.0:
            self._policy = (now, cadence_of(self._db))
        return self._policy[1]

    def due(self) -> bool:
        written = self._log.since_checkpoint
        if written == 0 or self.paused:
            return False
        events, seconds = self._cadence()
        return written >= events or monotonic() - self._log.checkpointed_at >= seconds

    def wrote(self) -> bool:
        return self._log.since_checkpoint > 0

    def soon(self, principal: Principal) -> None:
        """At each service call: when a checkpoint is due, sign it on a thread of its own, so
        the call that happens to cross the threshold (a save) never waits for the signature,
        the file's fsync and the event's commit (issue 23 item 3: those were every p99 save).
        The window stays about ``events``: the signature lands while the next calls run."""
        if getattr(self._busy, "on", False) or self.paused or not self.due():
            return
        with self._starting:  # a checkpoint being signed right now is already on its way
            if self._behind is not None and self._behind.is_alive():
                return
            self._behind = threading.Thread(
                target=self._in_background, args=(principal,), name="checkpoint", daemon=True
            )
            self._behind.start()

    def _in_background(self, principal: Principal) -> None:
        try:
            self.maybe(principal)
        except Exception as error:  # the next due call tries again; a save is never refused
            logging.getLogger(__name__).warning("checkpoint not signed: %s", type(error).__name__)

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a checkpoint being signed in the background (tests, exit)."""
        behind = self._behind
        if behind is not None and behind is not threading.current_thread():
            behind.join(timeout)

    def maybe(self, principal: Principal, force: bool = False) -> bool:
        """Sign a checkpoint now when due (or when ``force`` and this process wrote), after any
        one being signed in the background; never from inside another one (the checkpoint's
        own calls come back here)."""
        if getattr(self._busy, "on", False) or self.paused:
            return False
        if force:
            self.settle()
        with self._signing:
            if not (self.due() or (force and self.wrote())):
                return False
            self._busy.on = True
            try:
                self._write(principal)
            finally:
                self._busy.on = False
        return True
