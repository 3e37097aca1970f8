"""Saves and ``audit verify`` on PostgreSQL against their hand-written baselines: the twins of
``bench/scale/saves.py`` and ``bench/scale/verify.py``.

Saves: two copies of the built database (``CREATE DATABASE … TEMPLATE``). On one the service
saves the reference report; every INSERT/UPDATE/DELETE it sent is caught on the engine. On the
other, psycopg replays exactly those statements with the same parameters in one transaction
that first takes a transaction-scoped advisory lock (what ``BEGIN IMMEDIATE`` is to the SQLite
baseline, and what the app takes to keep the audit chain gapless). Rounds alternate.

Verify: the app's ``audit verify`` on every core against a bare loop doing the same HMACs and
Ed25519 checks over the same events, read beforehand through psycopg (bare ÷ verify).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.build_db import END
from bench.common import min_median, timed
from bench.pg.reads import BENCH_LOCK, connect
from bench.pg.server import create_database, drop_database

REFERENCE = Path(__file__).parents[1] / "reference_report.json"
WRITES = ("INSERT", "UPDATE", "DELETE")


def measure_saves(
    server_url: str, template: str, settings_for: Callable[[str], Any], rounds: int = 15
) -> dict[str, Any]:
    """``settings_for(url)`` gives the app's settings for a copy."""
    from caseintake.domain.intake.validation import parse_intake
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.container import Services

    names = (f"{template}_saves_ours", f"{template}_saves_raw")
    for name in names:
        drop_database(server_url, name)
    ours_url, raw_url = (create_database(server_url, n, template) for n in names)
    svc = Services(settings_for(ours_url))
    operator = svc.auth.login("tv001", NATIONAL_PASSWORD)
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    data["received_at"] = (END - timedelta(minutes=10)).isoformat()
    caught: list[tuple[str, Any, bool]] = []

    def catch(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            caught.append((statement, params, many))

    event.listen(svc.db.engine, "before_cursor_execute", catch)
    raw = connect(raw_url)
    ours, base, statements = [], [], []
    try:
        for i in range(rounds + 1):
            caught.clear()
            spent = timed(lambda: svc.intake.save(operator, parse_intake(data)))
            batch = list(caught)

            def by_hand(batch: list[tuple[str, Any, bool]] = batch) -> None:
                with raw.transaction(), raw.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (BENCH_LOCK,))
                    for statement, params, many in batch:
                        if many:
                            cur.executemany(statement, params)
                        else:
                            cur.execute(statement, params)

            by_hand_spent = timed(by_hand)
            if i:  # the first round warms both up
                ours.append(spent)
                base.append(by_hand_spent)
                statements.append(len(batch))
    finally:
        raw.close()
        svc.close()
        for name in names:
            drop_database(server_url, name)
    return {
        "rounds": rounds,
        "service": min_median(ours),
        "raw_psycopg": min_median(base),
        "write_statements_per_save": statistics.median(statements),
        "ratio": statistics.median(ours) / statistics.median(base),
    }


def measure_verify(url: str, settings: Any, rounds: int = 3) -> dict[str, Any]:
    """``bench.scale.verify``'s comparison, the bare loop's events read through psycopg."""
    from bench.scale.verify import compare

    return compare(settings, connect(url), rounds)


def measure_concurrency(
    url: str, state: Path, processes: int = 20, saves: int = 10
) -> dict[str, Any]:
    """Many offices on one database: ``processes`` operators (tv001…) in their own processes
    save ``saves`` reports each at once (``bench.concurrent_writer``, as in the SQLite
    concurrency bench); every acknowledged save must be there afterwards."""
    from bench.bench_concurrency import run_writers
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD

    users = [(f"tv{i + 1:03d}", NATIONAL_PASSWORD) for i in range(processes)]
    with connect(url) as conn:
        before = conn.execute("SELECT count(*) FROM contacts").fetchone()
    started = time.perf_counter()
    saved, errors = run_writers(url, state, users, saves)
    seconds = time.perf_counter() - started
    with connect(url) as conn:
        after = conn.execute("SELECT count(*) FROM contacts").fetchone()
        kept = {r[0] for r in conn.execute("SELECT id FROM contacts WHERE id = ANY(%s)", (saved,))}
    return {
        "processes": processes,
        "saves_attempted": processes * saves,
        "saves_acknowledged": len(saved),
        "lost_saves": sum(1 for contact_id in saved if contact_id not in kept),
        "contacts_added": (after[0] if after else 0) - (before[0] if before else 0),
        "errors": errors[:5],
        "error_count": len(errors),
        "seconds": seconds,
    }
