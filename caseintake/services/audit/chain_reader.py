"""Reading the audit chain fast, in one process or split across cores.

Each link is checked against the MAC stored in the row before it, so links verify
independently; with the genesis anchor this is the same proof as walking the chain in order,
and it lets ``audit verify`` use every core on a decade-long trail (DESIGN §8).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from caseintake.crypto.audit_chain import ChainReport, genesis_mac, verify_links

# The canonical bytes of each event (crypto/audit_chain.py ``canonical``), built by the database.
_FIELDS = ("actor", "action", "entity", "entity_id")
_SQLITE_BODY = (
    "CAST(seq || '|' || at_us || '|' || "
    + " || ".join(f"length({f}) || ':' || {f} || '|'" for f in _FIELDS)
    + " || details || coalesce(X'7C527C' || states, X'') AS BLOB)"
)
_PG_BODY = (
    "convert_to(seq::text || '|' || at_us::text || '|' || "
    + " || ".join(f"char_length({f})::text || ':' || {f} || '|'" for f in _FIELDS)
    + ", 'UTF8') || details || coalesce('\\x7c527c'::bytea || states, ''::bytea)"
)
PARALLEL_FROM = 50_000  # below this, starting workers costs more than it saves


def chain_sql(is_sqlite: bool, lo: int | None = None, hi: int | None = None) -> str:
    """Rows of the chain; an open end (None) reads everything beyond it, so a row placed
    outside 1..last (seq 0 or -1, issue 10 item 4) is read, and named, by the range next to it."""
    body = _SQLITE_BODY if is_sqlite else _PG_BODY
    mark = "?" if is_sqlite else "%s"
    conditions = [f"seq {op} {mark}" for op, v in ((">=", lo), ("<=", hi)) if v is not None]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"SELECT seq, {body}, mac FROM audit_events{where} ORDER BY seq"


def stream(
    driver: Any, is_sqlite: bool, bounds: tuple[int | None, int | None] = (None, None)
) -> Iterator[Any]:
    """Rows straight from the driver: fast, and trusting no column type an attacker may change.
    A named (server-side) cursor on PostgreSQL streams millions of events in constant memory."""
    cursor = driver.cursor() if is_sqlite else driver.cursor(name="caseintake_audit_chain")
    cursor.execute(chain_sql(is_sqlite, *bounds), tuple(b for b in bounds if b is not None))
    while batch := cursor.fetchmany(5000):
        yield from batch
    cursor.close()


def _verify_range(
    url: str, is_sqlite: bool, key: bytes, lo: int, hi: int, last: int, anchor: bytes | None
) -> tuple[int | None, str | None]:
    """In a worker: links lo..hi, from ``anchor`` (genesis) or from the MAC stored at lo - 1.
    The first range reads every row below it and the last every row above it, so the workers
    together read exactly what the one-process walk reads."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    conn = engine.raw_connection()
    try:
        start = None if anchor else lo - 1
        end = None if hi == last else hi
        rows = stream(conn.driver_connection, is_sqlite, (start, end))
        return verify_links(key, lo, hi, rows, anchor)
    finally:
        conn.close()
        engine.dispose()


def verify_parallel(
    url: str, is_sqlite: bool, key: bytes, db_id: str, last: int, workers: int
) -> ChainReport:
    """Split seq 1..last into ranges, one per worker; the first bad link of any range wins."""
    size = -(-last // workers)
    ranges = [(lo, min(lo + size - 1, last)) for lo in range(1, last + 1, size)]
    genesis = genesis_mac(key, db_id)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(ranges), mp_context=context) as pool:
        futures = [
            pool.submit(
                _verify_range, url, is_sqlite, key, lo, hi, last, genesis if lo == 1 else None
            )
            for lo, hi in ranges
        ]
        results = [f.result() for f in futures]
    for bad, problem in results:  # ranges in seq order: the first bad link overall
        if bad is not None:
            good = max(bad - 1, 0)
            return ChainReport(False, good, good, bad, problem)
    return ChainReport(True, last, last)
