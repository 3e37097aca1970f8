"""What replacing a live database by a copy would lose (issue 20 item 5).

The trail is a MAC chain, so two files share their history up to the last event whose MAC
they agree on, and disagree on every event after it: a binary search on the stored MACs finds
that point. Every live event after it is lost by the replacement, and so is every case the
live file holds that the copy does not.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from caseintake.services.core.private_files import read_only_uri


@dataclass(frozen=True)
class Loss:
    events: int
    cases: int
    live_head: int
    copy_head: int

    @property
    def any(self) -> bool:
        return self.events > 0 or self.cases > 0


def _live_uri(path: Path) -> str:
    """The live file read-only but with its WAL (its newest commits may be only there)."""
    return f"{Path(os.path.abspath(path)).as_uri()}?mode=ro"


def loss_if_replaced(live: Path, copy: Path) -> Loss:
    conn = sqlite3.connect(_live_uri(live), uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS copy", (read_only_uri(copy),))
        live_head = _head(conn, "main")
        copy_head = _head(conn, "copy")
        shared = _shared(conn, min(live_head, copy_head))
        cases = conn.execute(
            "SELECT count(*) FROM main.cases WHERE id NOT IN (SELECT id FROM copy.cases)"
        ).fetchone()[0]
    finally:
        conn.close()
    return Loss(live_head - shared, int(cases), live_head, copy_head)


def _head(conn: sqlite3.Connection, schema: str) -> int:
    row = conn.execute(f"SELECT coalesce(max(seq), 0) FROM {schema}.audit_events").fetchone()
    return int(row[0])


def _same(conn: sqlite3.Connection, seq: int) -> bool:
    a = conn.execute("SELECT mac FROM main.audit_events WHERE seq = ?", (seq,)).fetchone()
    b = conn.execute("SELECT mac FROM copy.audit_events WHERE seq = ?", (seq,)).fetchone()
    return a is not None and b is not None and bytes(a[0]) == bytes(b[0])


def _shared(conn: sqlite3.Connection, upto: int) -> int:
    """The last seq (0: none) on which both files agree; the chain makes agreement a prefix."""
    lo, hi = 0, upto
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _same(conn, mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
