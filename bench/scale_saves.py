"""Save one report against raw sqlite3 inserts of the same rows (issue 11 item 2, DESIGN §8).

Two copies of the same database: on one the service saves the reference report (validation,
routing, encryption, audit chain, one transaction); every INSERT/UPDATE/DELETE it sent is caught
on the engine, or on its way straight to SQLite's driver (``FastReads.watch``). On the other,
plain ``sqlite3`` runs exactly those statements with the same parameters in ``BEGIN IMMEDIATE``
… ``COMMIT``, with the same PRAGMAs (WAL, synchronous=FULL, foreign keys, busy timeout): the
same rows, written by hand. Rounds alternate between the two.
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

REFERENCE = Path(__file__).parent / "reference_report.json"
WRITES = ("INSERT", "UPDATE", "DELETE")


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("busy_timeout = 60000", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def measure(db: BenchDb, work: Path, rounds: int = 15) -> dict[str, Any]:
    from caseintake.domain.validation import parse_intake
    from caseintake.services.container import Services
    from caseintake.services.demo_replay import NATIONAL_PASSWORD

    ours_path, raw_path = work / "saves-service.db", work / "saves-raw.db"
    for copy in (ours_path, raw_path):
        shutil.copyfile(db.path, copy)
    # The copies on disk before the first save: a commit's fsync measured while the kernel
    # writes back gigabytes of copy measures the copy.
    os.sync()
    svc = Services(BenchDb(ours_path, db.contacts, None).settings())
    operator = svc.auth.login("tv001", NATIONAL_PASSWORD)
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    data["received_at"] = (END - timedelta(minutes=10)).isoformat()
    caught: list[tuple[str, Any, bool]] = []

    def catch(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            caught.append((statement, params, many))

    def catch_driver(statement: str, args: Any) -> None:  # sent straight to SQLite's driver
        catch(None, None, statement, args, None, isinstance(args, list))

    event.listen(svc.db.engine, "before_cursor_execute", catch)
    svc.db.fast.watch(catch_driver)
    raw = _raw(raw_path)
    ours, base, statements = [], [], []
    for i in range(rounds + 1):
        caught.clear()
        spent = timed(lambda: svc.intake.save(operator, parse_intake(data)))
        batch = list(caught)

        def by_hand(batch: list[tuple[str, Any, bool]] = batch) -> None:
            raw.execute("BEGIN IMMEDIATE")
            for statement, params, many in batch:
                (raw.executemany if many else raw.execute)(statement, params)
            raw.execute("COMMIT")

        by_hand_spent = timed(by_hand)
        if i:  # the first round warms both up
            ours.append(spent)
            base.append(by_hand_spent)
            statements.append(len(batch))
    raw.close()
    svc.close()
    for copy in (ours_path, raw_path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return {
        "contacts": db.contacts,
        "rounds": rounds,
        "service": min_median(ours),
        "raw_sqlite3": min_median(base),
        "write_statements_per_save": statistics.median(statements),
        "ratio": statistics.median(ours) / statistics.median(base),
    }
