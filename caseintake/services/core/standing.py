"""Whether an open session's user still stands as they logged in (issue 20 item 7).

An admin may disable a user or change their role while that user's session is open. Every
service call asks ``Principal.check_standing``; the answer is read from the ``users`` row and
kept for at most ``MAX_AGE`` seconds, so a refused user is stopped within seconds, at the cost
of one indexed read every few seconds per session. Once ended, a session stays ended: the
user logs in again (with their new role), the screen locks meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import monotonic

from sqlalchemy import select

from caseintake.domain.errors import DomainError
from caseintake.store.db import Database
from caseintake.store.models import User


class SessionEnded(DomainError):
    """The session's user was disabled, removed or given another role since login."""


class Standing:
    MAX_AGE = 2.0

    def __init__(
        self, db: Database, user_id: str, role: str, now: Callable[[], float] = monotonic
    ) -> None:
        self._db = db
        self._user_id = user_id
        self._role = role
        self._now = now
        self._checked_at: float | None = None
        self._lock = threading.Lock()
        self.ended: str | None = None  # the message key, once the session has ended
        # Called at each service call that passed: the checkpoint cadence (issue 20 item 4).
        self.on_call: Callable[[], object] | None = None

    def check(self) -> None:
        """Raise ``SessionEnded`` when the user no longer stands as at login."""
        with self._lock:
            if self.ended is None and not self._fresh():
                self.ended = self._read()
                self._checked_at = self._now()
        if self.ended is not None:
            raise SessionEnded(self.ended)
        if self.on_call is not None:
            self.on_call()

    def _fresh(self) -> bool:
        return self._checked_at is not None and self._now() - self._checked_at < self.MAX_AGE

    def _read(self) -> str | None:
        with self._db.read() as s:
            row = s.execute(
                select(User.disabled, User.role).where(User.id == self._user_id)
            ).first()
        if row is None or row.disabled:
            return "access_checks.session_disabled"
        if row.role != self._role:
            return "access_checks.session_role_changed"
        return None
