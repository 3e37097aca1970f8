"""The national line at scale (issue 11 item 1): a decade of contacts written in bulk.

The same rows, ciphertexts and chained audit events as the services write for the same plan
(``domain.national.plan.national_contacts``, replayed through the services by ``demo_replay``; a
test holds the two equal in every aggregate), but one transaction and one executemany per table
per batch: routing, deadlines, field encryption and blind indexes are the services' own
(``bulk_rows``, on every core through ``bulk_workers``), the audit chain is made as
``AuditLog.append`` makes it (``bulk_chain``); only the ORM's unit of work is left out.

The builder keeps the ordered part: it numbers the cases in plan order, chains each built
batch as it comes back (in order), has its runs signed, and writes it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.orm import Session

from caseintake.crypto.fields import FieldCipher
from caseintake.domain.national.plan import PlannedContact
from caseintake.domain.referrals.deadlines import to_local
from caseintake.services.bulk.chain import EVENT_COLUMNS, BulkChain, ChainedBatch
from caseintake.services.bulk.rows import TABLES, BuiltBatch, ContactRows, Numbered
from caseintake.services.bulk.workers import BulkWorkers, Pending
from caseintake.services.container import Services
from caseintake.services.core.principal import Principal
from caseintake.store.deferred_indexes import deferred
from caseintake.store.models import AuditEvent, Base, CaseCounter, CaseKeyRow
from caseintake.store.planner_stats import analyse

__all__ = ["BATCH", "BulkBuilder"]

BATCH = 5_000  # contacts per transaction
CACHE_KB = 200_000  # SQLite's page cache while building, in KiB
Counters = dict[tuple[str, int], int]


def _insert_many(conn: Connection, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """One executemany of plain tuples: the columns' own bind processors (UTC datetimes,
    booleans) applied once per value, without the per-row parameter building of Core."""
    names = list(rows[0])
    dialect, columns = conn.dialect, model.__table__.c
    procs = [columns[n].type._cached_bind_processor(dialect) for n in names]
    pairs = list(zip(names, procs, strict=True))
    values = [tuple(p(r[n]) if p else r[n] for n, p in pairs) for r in rows]
    _insert_values(conn, model.__tablename__, names, values)


def _insert_values(
    conn: Connection, table: str, names: list[str], values: list[tuple[Any, ...]]
) -> None:
    """One executemany of values already bound (see ``ContactRows``)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    conn.exec_driver_sql(sql, values)


@contextmanager
def _fast_sqlite(engine: Engine) -> Iterator[None]:
    """The build's SQLite connections skip the fsync of each commit (a cached database is
    marked done only after its build, so a build cut short is built again) and keep more of the
    growing indexes in memory; the connections are made anew before and after."""
    if engine.dialect.name != "sqlite":
        yield
        return

    def tune(dbapi_connection: Any, _record: Any) -> None:
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA synchronous = OFF")
        cur.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        cur.close()

    engine.dispose()
    event.listen(engine, "connect", tune)
    try:
        yield
    finally:
        event.remove(engine, "connect", tune)
        engine.dispose()


def default_workers() -> int:
    """One worker per core: the builder itself waits on them much of the time (measured on
    2 cores: 2 workers 213 µs a contact, 1 worker 329 µs)."""
    return int(os.environ.get("CASEINTAKE_BULK_WORKERS", os.cpu_count() or 1))


class BulkBuilder:
    """Writes planned contacts for the given operators (and a supervisor for the closures),
    building batches on ``workers`` processes (0: all in this one)."""

    def __init__(
        self,
        services: Services,
        operators: list[Principal],
        supervisor: Principal,
        workers: int = 0,
    ) -> None:
        self._svc = services
        self._operators = operators
        self._supervisor = supervisor
        self._workers = workers
        self._keys = supervisor.keys
        # Each user's events are signed with that user's own key, as their sessions would.
        self._keys_of = {p.name: p.keys for p in (*operators, supervisor)}
        self._chain = BulkChain(self._keys, self._keys_of)
        self._counters: Counters = {}
        self._writer: ThreadPoolExecutor | None = None
        self._writes: deque[Future[None]] = deque()

    def write(self, plan: Iterable[PlannedContact], batch: int = BATCH) -> tuple[int, int]:
        """Returns (contacts, cases) written; statistics are refreshed at the end."""
        engine = self._svc.db.engine
        loaded = [m.__tablename__ for m in TABLES] + [AuditEvent.__tablename__]
        with _fast_sqlite(engine), deferred(engine, loaded):
            contacts, cases = self._write(plan, batch)
        with self._svc.db.write() as s:
            analyse(s)
        return contacts, cases

    def _write(self, plan: Iterable[PlannedContact], batch: int) -> tuple[int, int]:
        with self._svc.db.read() as s:
            for row in s.execute(select(CaseCounter)).scalars():
                self._counters[(row.line, row.year)] = row.last
            self._chain.open(s)
        totals = [0, 0]
        built: deque[tuple[Pending[BuiltBatch], Counters]] = deque()
        signing: deque[tuple[BuiltBatch, ChainedBatch, Pending[list[bytes]], Counters]] = deque()
        rows, signers = self._rows(), self._signers()
        # One writer thread: SQLite inserts and commits without holding the GIL, so the
        # builder chains the next batch meanwhile.
        with BulkWorkers(rows, signers, self._workers) as workers, ThreadPoolExecutor(1) as out:
            self._writer = out
            for planned, counters in self._numbered(plan, batch):
                built.append((workers.build(planned), counters))
                self._advance(workers, built, signing, totals, keep=workers.window)
            self._advance(workers, built, signing, totals, keep=0)
            while self._writes:
                self._writes.popleft().result()
        return totals[0], totals[1]

    def _rows(self) -> ContactRows:
        routing = self._svc.routing
        routing.entries()  # read now: a worker never touches the database
        data_key = self._keys.data_key
        current = data_key.ring.current if data_key.ring is not None else data_key
        # The current version alone: a forked worker must not refresh a ring from the database
        # (the write transaction checks the version is still the newest).
        cipher = FieldCipher(replace(current, ring=None))
        dialect = self._svc.db.engine.dialect
        return ContactRows(
            cipher, self._keys.blind_key, routing, self._operators, self._supervisor, dialect
        )

    def _signers(self) -> dict[str, Ed25519PrivateKey]:
        return {name: k.signing for name, k in self._keys_of.items() if k.signing is not None}

    def _numbered(
        self, plan: Iterable[PlannedContact], batch: int
    ) -> Iterator[tuple[list[Numbered], Counters]]:
        """Batches of the plan, each report with its case number, and the counters after it."""
        chunk: list[Numbered] = []
        for planned in plan:
            intake = planned.intake
            number = None
            if intake.contact_type == "report":
                number = self._number(intake.line, intake.received_at)
            chunk.append((planned, number))
            if len(chunk) == batch:
                yield chunk, dict(self._counters)
                chunk = []
        if chunk:
            yield chunk, dict(self._counters)

    def _advance(
        self,
        workers: BulkWorkers,
        built: deque[tuple[Pending[BuiltBatch], Counters]],
        signing: deque[tuple[BuiltBatch, ChainedBatch, Pending[list[bytes]], Counters]],
        totals: list[int],
        keep: int,
    ) -> None:
        """Chain the built batches in plan order, keeping ``keep`` in the workers' hands, and
        write the signed ones, keeping as many waiting for their signatures."""
        while len(built) > keep:
            pending, counters = built.popleft()
            done = pending.get()
            self._chain.add_scopes(done.scopes)
            chained = self._chain.chain(done.events)
            signing.append((done, chained, workers.sign(chained.jobs), counters))
        while len(signing) > keep:
            done, chained, signatures, counters = signing.popleft()
            chained.sign(signatures.get())
            self._write_later(done, chained, counters)
            totals[0] += done.contacts
            totals[1] += done.cases

    def _write_later(self, done: BuiltBatch, chained: ChainedBatch, counters: Counters) -> None:
        """The batch's transaction on the writer thread, in order; one waits there at most."""
        assert self._writer is not None  # set by _write
        self._writes.append(self._writer.submit(self._flush, done, chained, counters))
        while len(self._writes) > 1:
            self._writes.popleft().result()

    def _flush(self, done: BuiltBatch, chained: ChainedBatch, counters: Counters) -> None:
        if not chained.events:
            return
        with self._svc.db.write() as s:
            self._chain.check(s, chained.events[0][0])
            conn = s.connection()
            for model in TABLES:
                found = done.rows.get(model.__tablename__)
                if found:
                    _insert_values(conn, model.__tablename__, *found)
            self._save_counters(s, counters)
            if chained.case_keys:
                _insert_many(conn, CaseKeyRow, chained.case_keys)
            events = [tuple(row) for row in chained.events]
            _insert_values(conn, AuditEvent.__tablename__, EVENT_COLUMNS, events)

    def _save_counters(self, s: Session, counters: Counters) -> None:
        known = {(r.line, r.year): r for r in s.execute(select(CaseCounter)).scalars()}
        for (line, year), last in counters.items():
            row = known.get((line, year))
            if row is None:
                s.add(CaseCounter(line=line, year=year, last=last))
            else:
                row.last = last
        s.flush()

    def _number(self, line: str, received_at: datetime) -> str:
        year = to_local(received_at).year
        last = self._counters.get((line, year), 0) + 1
        self._counters[(line, year)] = last
        return f"{'111' if line == '111' else 'PL'}-{year}-{last:06d}"
