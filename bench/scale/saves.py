"""Save one report against raw sqlite3 inserts of the same rows (issue 11 item 2, DESIGN §8).

Two copies of the same database: on one the service saves the reference report (validation,
routing, encryption, audit chain, one transaction); every INSERT/UPDATE/DELETE it sent is caught
on the engine, or on its way straight to SQLite's driver (``FastReads.watch``). On the other,
plain ``sqlite3`` runs exactly those statements with the same parameters in ``BEGIN IMMEDIATE``
… ``COMMIT``, with the same PRAGMAs (WAL, synchronous=FULL, foreign keys, busy timeout): the
same rows, written by hand. Rounds alternate between the two, and between the sizes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.build_db import END, BenchDb
from bench.common import min_median, timed

REFERENCE = Path(__file__).parents[1] / "reference_report.json"
WRITES = ("INSERT", "UPDATE", "DELETE")


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("busy_timeout = 60000", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class _Saves:
    """One size's pair: the service on one copy, plain ``sqlite3`` on the other."""

    def __init__(self, db: BenchDb, work: Path) -> None:
        from caseintake.domain.intake.validation import parse_intake
        from caseintake.services.bulk.replay import NATIONAL_PASSWORD
        from caseintake.services.container import Services

        self.db = db
        self.paths = [work / f"saves-{db.contacts}-{side}.db" for side in ("service", "raw")]
        for copy in self.paths:
            shutil.copyfile(db.path, copy)
        self.svc = Services(BenchDb(self.paths[0], db.contacts, None).settings())
        operator = self.svc.auth.login("tv001", NATIONAL_PASSWORD)
        data = json.loads(REFERENCE.read_text(encoding="utf-8"))
        data["received_at"] = (END - timedelta(minutes=10)).isoformat()
        self.save = lambda: self.svc.intake.save(operator, parse_intake(data))
        self.caught: list[tuple[str, Any, bool]] = []
        event.listen(self.svc.db.engine, "before_cursor_execute", self._catch)
        self.svc.db.fast.watch(self._catch_driver)
        self.raw = _raw(self.paths[1])
        self.ours: list[float] = []
        self.base: list[float] = []
        self.statements: list[int] = []

    def _catch(self, _c: Any, _cur: Any, statement: str, params: Any, _x: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            self.caught.append((statement, params, many))

    def _catch_driver(self, statement: str, args: Any) -> None:  # straight to SQLite's driver
        self._catch(None, None, statement, args, None, isinstance(args, list))

    def round(self, kept: bool) -> None:
        self.caught.clear()
        spent = timed(self.save)
        batch = list(self.caught)

        def by_hand() -> None:
            self.raw.execute("BEGIN IMMEDIATE")
            for statement, params, many in batch:
                (self.raw.executemany if many else self.raw.execute)(statement, params)
            self.raw.execute("COMMIT")

        by_hand_spent = timed(by_hand)
        if kept:
            self.ours.append(spent)
            self.base.append(by_hand_spent)
            self.statements.append(len(batch))

    def run(self, saves: int) -> dict[str, Any]:
        """``saves`` in a row on each side, each timed: the tail (p99) against the median, with
        the WAL checkpoints that land among them (DESIGN §8: p99 ≤ 3 × the median)."""
        self.ours.clear()
        self.base.clear()
        for _ in range(saves):
            self.round(kept=True)
        figures = {"saves": saves}
        for side, times in (("service", self.ours), ("raw_sqlite3", self.base)):
            ms = sorted(t * 1000 for t in times)
            p50, p99 = statistics.median(ms), ms[min(len(ms) - 1, round(0.99 * len(ms)) - 1)]
            figures[side] = {"p50_ms": p50, "p99_ms": p99, "max_ms": ms[-1], "p99_ratio": p99 / p50}
        self.ours.clear()
        self.base.clear()
        return figures

    def close(self) -> dict[str, Any]:
        self.raw.close()
        self.svc.close()
        for copy in self.paths:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        return {
            "contacts": self.db.contacts,
            "rounds": len(self.ours),
            "service": min_median(self.ours),
            "raw_sqlite3": min_median(self.base),
            "write_statements_per_save": statistics.median(self.statements),
            "ratio": statistics.median(self.ours) / statistics.median(self.base),
        }


def measure(
    dbs: list[BenchDb], work: Path, rounds: int = 15, tail: int = 300
) -> dict[int, dict[str, Any]]:
    """Each size's save against its own baseline, and the sizes against each other: every
    round saves once at every size (ours, then by hand), so the growth from 0 to the largest
    compares saves made seconds apart, not minutes apart on a disk whose fsync drifts."""
    pairs = [_Saves(db, work) for db in dbs]
    # The copies on disk before the first save: a commit's fsync measured while the kernel
    # writes back gigabytes of copy measures the copy.
    os.sync()
    runs: dict[int, dict[str, Any]] = {}
    try:
        for i in range(rounds + 1):
            for pair in pairs:
                pair.round(kept=i > 0)  # the first round warms every pair up
        kept = [(list(p.ours), list(p.base), list(p.statements)) for p in pairs]
        if tail:  # the largest size, after the rounds: a run of saves in a row
            runs[pairs[-1].db.contacts] = pairs[-1].run(tail)
        for pair, (ours, base, statements) in zip(pairs, kept, strict=True):
            pair.ours, pair.base, pair.statements = ours, base, statements
    finally:
        figures = {pair.db.contacts: pair.close() for pair in pairs}
    for contacts, run in runs.items():
        figures[contacts]["run"] = run
    return figures
