"""Making an erasure true in the file (issue 20 item 6).

Erasing nulls the ciphertexts inside a transaction; the old pages stay in the file until
``VACUUM`` rebuilds it and a complete WAL checkpoint copies the rebuilt pages over them. A
reader holding an older snapshot stops that checkpoint, so the erasure stays *pending*
(``case_erasures.completed_at`` NULL) and is completed here, by whoever comes next: the
checkpoint a session writes, the next start, or ``case erase`` again.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update

from caseintake.store.db import Database, sqlite_file
from caseintake.store.models import CaseErasure

# How long the final checkpoint waits for readers to move on before leaving it pending.
CHECKPOINT_WAIT_MS = 2000


class CompactionError(Exception):
    """The file could not be rebuilt (disk full, locked for good): the message says why."""


def compact(path: Path, vacuum: bool = True) -> bool:
    """VACUUM with secure_delete (when asked), then empty the WAL; False while a reader keeps
    old frames or pages."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        if vacuum:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("VACUUM")
        conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        busy, _frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(busy == 0)
    except sqlite3.OperationalError as err:
        raise CompactionError(str(err)) from None
    finally:
        conn.close()


def pending_erasures(db: Database) -> list[str]:
    """Case ids whose erasure is not yet true in the file."""
    with db.read() as s:
        stmt = select(CaseErasure.case_id).where(CaseErasure.completed_at.is_(None))
        return list(s.execute(stmt).scalars())


def finish_pending(db: Database, now: datetime, vacuum: bool = True) -> bool:
    """Complete pending erasures when the file allows it; True when none is left pending.
    Cheap when there is none (one read of a small table)."""
    if not pending_erasures(db):
        return True
    path = sqlite_file(db.url)
    if path is None:
        done = True  # PostgreSQL: the server keeps no WAL snapshot of ours to wait for
    else:
        try:
            done = compact(path, vacuum)
        except CompactionError:
            return False
    if done:
        with db.write() as s:
            s.execute(
                update(CaseErasure)
                .where(CaseErasure.completed_at.is_(None))
                .values(completed_at=now)
            )
    return done
