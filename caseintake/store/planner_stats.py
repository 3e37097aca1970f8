"""Fresh planner statistics on a schedule the app controls (issue 11 item 3), not by hope.

Without statistics SQLite guesses, and at 1 M contacts one wrong guess (the open referrals of a
few cases found by scanning every open referral) costs a hundred milliseconds on each return to
the home. ``ANALYZE`` runs: in migration 0005; at the end of a bulk build; once per process at
the first home query when the statistics are missing or the contacts have more than doubled
since they were taken; and after every
``EVERY_WRITES`` saves of a process. On SQLite it samples (``analysis_limit``), so it costs
milliseconds even at 5 M contacts.
"""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.orm import Session

from caseintake.store.db import Database

EVERY_WRITES = 2_000
ANALYSIS_LIMIT = 1_000  # rows sampled per index: enough for the planner's averages


def analyse(session: Session) -> None:
    """Refresh the statistics inside the caller's write transaction."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}"))
    session.execute(text("ANALYZE"))


def stale(session: Session) -> bool:
    """True when the statistics are missing or the contacts have more than doubled since."""
    if session.get_bind().dialect.name != "sqlite":
        return False  # PostgreSQL's autovacuum daemon keeps them
    known = session.execute(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).scalar_one()
    recorded = None
    if known:
        stat = session.execute(
            text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'contacts' LIMIT 1")
        ).scalar_one_or_none()
        recorded = int(str(stat).split()[0]) if stat else None
    # max(rowid) reads one page: an upper bound of the row count, never a count(*) of 5 M rows.
    rows = session.execute(text("SELECT max(rowid) FROM contacts")).scalar_one() or 0
    if recorded is None:
        return rows > 0
    return rows > 2 * recorded


class PlannerStats:
    """Counts a process's writes and analyses when the schedule says so."""

    def __init__(self, db: Database, every: int = EVERY_WRITES) -> None:
        self._db = db
        self._every = every
        self._writes = 0
        self._checked = False
        self._lock = threading.Lock()

    def wrote(self) -> None:
        """Call after a committed write; every ``every``-th one refreshes the statistics."""
        with self._lock:
            self._writes += 1
            due = self._writes % self._every == 0
        if due:
            with self._db.write() as s:
                analyse(s)

    def ensure(self) -> None:
        """Once per process (at the first home): analyse when the statistics are stale."""
        with self._lock:
            if self._checked:
                return
            self._checked = True
        with self._db.read() as s:
            due = stale(s)
        if due:
            with self._db.write() as s:
                analyse(s)
