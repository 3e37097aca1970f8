"""The screens' hot reads at the driver's speed (issue 11 item 3).

A case number found through the unique index costs SQLite about 20 µs; a pooled session, its
transaction and Core's execution of even a cached statement cost twenty times that. The
screens' statements are still written in Core (one dialect-neutral source, and the same
statements the query-plan tests check), but on SQLite each is compiled once into its SQL text,
the order of its parameters and its columns' result processors (UTC datetimes), and runs on a
small pool of the driver's own connections, opened read-only (``PRAGMA query_only``) with the
database's PRAGMAs. Each ``reads()`` block is one read transaction, so its statements see one
snapshot. An audited read (``lookup()``: the repeat-caller history) takes one of a second small
pool of connections that may write: its reads, then its audit event in a short write of its
own. On PostgreSQL the same statements run through SQLAlchemy as before: the network round
trip dominates there.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Dialect, Engine, Select
from sqlalchemy.sql import Executable

from caseintake.store.db_errors import plain_error
from caseintake.store.driver_watch import notify, unwatch, watch
from caseintake.store.types import UTCDateTime

Row = tuple[Any, ...] | list[Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Prepared:
    """One statement compiled for a dialect: its SQL, its parameters in order (name, bind
    processor, default value) and its columns' result processors."""

    stmt: Executable
    sql: str
    binds: tuple[tuple[str, Callable[[Any], Any] | None, Any], ...]
    results: tuple[tuple[int, Callable[[Any], Any]], ...]

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, proc, default in self.binds:
            value = params.get(name, default)
            out.append(proc(value) if proc is not None and value is not None else value)
        return tuple(out)

    def rows(self, fetched: list[Any]) -> list[Row]:
        if not self.results:
            return fetched
        out = []
        add, results = out.append, self.results
        for raw in fetched:
            row = list(raw)
            for i, proc in results:
                value = row[i]
                if value is not None:
                    row[i] = proc(value)
            add(row)
        return out


def prepare(stmt: Executable, dialect: Dialect) -> Prepared:
    """``stmt`` compiled for ``dialect``: its SQL text, its parameters in order and, for a
    SELECT, its columns' result processors (``store.fast_sql`` prepares its writes here too)."""
    compiled = stmt.compile(dialect=dialect)
    sql = compiled.string
    literal = set()
    for bind in compiled.literal_execute_params:  # constants such as a separator, inlined
        name = compiled.bind_names[bind]
        value = compiled.render_literal_value(bind.value, bind.type)
        sql = sql.replace(f"__[POSTCOMPILE_{name}]", value)
        literal.add(name)
    if not compiled.positional or "__[POSTCOMPILE" in sql:
        raise ValueError("fast reads need a positional dialect and no expanding parameters")
    binds = []
    for name in compiled.positiontup or ():
        if name not in literal:
            bind = compiled.binds[name]
            binds.append((name, bind.type._cached_bind_processor(dialect), bind.value))
    results = []
    for i, column in enumerate(getattr(stmt, "selected_columns", ())):
        proc = column.type._cached_result_processor(dialect, None)
        if isinstance(column.type, UTCDateTime):
            proc = _utc_text(proc)
        if proc is not None:
            results.append((i, proc))
    return Prepared(stmt, sql, tuple(binds), tuple(results))


def _utc_text(generic: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """A UTC moment as SQLite holds it (``2026-03-02 02:00:00.000000``) read by the C parser
    in one call, with its offset appended: 0.2 µs, where parsing and then ``replace(tzinfo=)``
    costs 1 µs and the type's generic chain more; anything else goes that way."""
    parse = datetime.fromisoformat

    def process(value: Any) -> Any:
        try:
            return parse(value + "+00:00")
        except (TypeError, ValueError):
            return generic(value) if generic is not None else value

    return process


class Reader:
    """One read transaction: ``rows`` runs a prepared statement with named parameters;
    ``driver`` is its SQLite driver connection (None elsewhere), for statements of one's own
    in the same transaction."""

    def __init__(
        self, run: Callable[[Prepared, Mapping[str, Any]], list[Row]], driver: Any = None
    ) -> None:
        self._run = run
        self.driver = driver

    def rows(self, prepared: Prepared, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(prepared, params or {})


class Lookup:
    """An audited read (``FastReads.lookup``): ``reads()`` once, then ``write`` its event."""

    def __init__(self, fast: FastReads, driver: Any) -> None:
        self._fast = fast
        self.driver = driver  # None: not SQLite; the caller writes through a session

    @contextmanager
    def reads(self) -> Iterator[Reader]:
        if self.driver is None:
            with self._fast.reads() as reader:
                yield reader
            return
        conn, run = self.driver, self._fast._run
        conn.execute("BEGIN")
        yield Reader(lambda p, params: run(conn, p, params), conn)
        conn.execute("COMMIT")

    def write(self, fn: Callable[[Any], T]) -> T:
        """``fn(driver connection)`` in a write transaction of its own (``BEGIN IMMEDIATE``):
        committed if it returns, rolled back if it raises. A full disk or a lock held too long
        becomes one sentence (``store.db_errors``)."""
        conn = self.driver
        try:
            conn.execute("BEGIN IMMEDIATE")
            done = fn(conn)
            conn.execute("COMMIT")
        except sqlite3.OperationalError as err:
            plain = plain_error(str(err))
            if plain is not None:
                raise plain from None
            raise
        return done


class FastReads:
    """The driver connections kept for the hot reads, and the statements prepared for them."""

    def __init__(self, engine: Engine, connect: Callable[[bool], Any] | None) -> None:
        self._engine = engine
        # connect(writes): a driver connection, read-only unless ``writes``; None: not SQLite,
        # statements go through SQLAlchemy.
        self._connect = connect
        self._idle: dict[bool, queue.SimpleQueue[tuple[int, Any]]] = {
            False: queue.SimpleQueue(),
            True: queue.SimpleQueue(),
        }
        self._prepared: dict[tuple[int, tuple[str, str] | None], Prepared] = {}
        self._lock = threading.Lock()
        self._generation = 0  # close() starts a new one: older connections are not reused
        # Per pooled connection (by id, the connection kept beside): what a caller found true
        # of the file at a ``PRAGMA data_version`` of it (the cases a list found clean).
        self.seen: dict[int, tuple[Any, int, set[str]]] = {}

    def prepared(self, stmt: Select[Any], indexed_by: tuple[str, str] | None = None) -> Prepared:
        """``stmt`` compiled once (statements are module-level or cached, so kept alive).

        ``indexed_by`` (table, index) names SQLite's index for that table outright, where its
        statistics would lead it to a plan that reads far more (SQLAlchemy renders no table
        hints for SQLite); other databases plan for themselves."""
        key = (id(stmt), indexed_by)
        found = self._prepared.get(key)
        if found is None or found.stmt is not stmt:
            # Through SQLAlchemy (not SQLite) the statement itself is all that is needed.
            plain = Prepared(stmt, "", (), ())
            found = prepare(stmt, self._engine.dialect) if self._connect else plain
            if self._connect and indexed_by is not None:
                table, index = indexed_by
                named = found.sql.replace(f"FROM {table} ", f"FROM {table} INDEXED BY {index} ", 1)
                if named == found.sql:
                    raise ValueError(f"no FROM {table} to name an index for")
                found = replace(found, sql=named)
            self._prepared[key] = found
        return found

    def watch(self, callback: Callable[[str, Any], None]) -> None:
        """Call ``callback(sql, args)`` before each statement sent straight to a driver
        connection of this database: the fast reads, a lookup's, a save's (``fast_sql``). The
        query-plan tests see these statements as they see the engine's."""
        watch(self._engine.pool, callback)

    def unwatch(self, callback: Callable[[str, Any], None]) -> None:
        unwatch(self._engine.pool, callback)

    def _run(self, conn: Any, prepared: Prepared, params: Mapping[str, Any]) -> list[Row]:
        args = prepared.args(params)
        notify(self._engine.pool, prepared.sql, args)
        return prepared.rows(conn.execute(prepared.sql, args).fetchall())

    def rows(self, stmt: Select[Any], params: Mapping[str, Any] | None = None) -> list[Row]:
        """One statement on its own (its own snapshot): no transaction to open and close."""
        prepared = self.prepared(stmt)
        if self._connect is None:
            with self.reads() as reader:
                return reader.rows(prepared, params)
        generation, conn = self._checkout(False)
        ok = False
        try:
            found = self._run(conn, prepared, params or {})
            ok = True
            return found
        finally:
            self._checkin(False, generation, conn, ok)

    @contextmanager
    def reads(self) -> Iterator[Reader]:
        if self._connect is None:
            with self._engine.connect() as conn, conn.begin():
                yield Reader(lambda p, params: [tuple(r) for r in conn.execute(p.stmt, params)])
            return
        generation, conn = self._checkout(False)
        ok = False
        try:
            conn.execute("BEGIN")
            yield Reader(lambda p, params: self._run(conn, p, params), conn)
            conn.execute("COMMIT")
            ok = True
        finally:
            self._checkin(False, generation, conn, ok)

    @contextmanager
    def driver(self) -> Iterator[Any]:
        """A read-only driver connection of the pool for a few statements of one's own, each
        its own snapshot (the rows a list shows held against their events, issue 20); None
        elsewhere than SQLite."""
        if self._connect is None:
            yield None
            return
        generation, conn = self._checkout(False)
        ok = False
        try:
            yield conn
            ok = not conn.in_transaction
        finally:
            self._checkin(False, generation, conn, ok)

    @contextmanager
    def lookup(self) -> Iterator[Lookup]:
        """An audited read (issue 11 item 3): its reads in one read transaction, then its audit
        event in a short write of its own, both on one driver connection that may write. The
        reads hold no write lock; and since that connection made the last write, the next
        lookup's reads find SQLite's page cache still valid (a read-only connection would
        refill it after every event: a third of a lookup at 1 M contacts). Elsewhere than
        SQLite the reads are ``reads()`` and ``Lookup.driver`` is None."""
        if self._connect is None:
            yield Lookup(self, None)
            return
        generation, conn = self._checkout(True)
        ok = False
        try:
            yield Lookup(self, conn)
            ok = not conn.in_transaction
        finally:
            self._checkin(True, generation, conn, ok)

    def _checkout(self, writes: bool) -> tuple[int, Any]:
        idle = self._idle[writes]
        while True:
            try:
                generation, conn = idle.get_nowait()
            except queue.Empty:
                break
            if generation == self._generation:
                return generation, conn
            self._drop(conn)
        assert self._connect is not None
        return self._generation, self._connect(writes)

    def _checkin(self, writes: bool, generation: int, conn: Any, ok: bool) -> None:
        if not ok:
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except Exception:  # a broken connection is dropped, never reused
                self._drop(conn)
                return
        if generation != self._generation:
            self._drop(conn)
        else:
            self._idle[writes].put((generation, conn))

    @staticmethod
    def _drop(conn: Any) -> None:
        try:
            conn.close()
        except Exception:  # already unusable: nothing left to release
            return

    def close(self) -> None:
        """Closes every driver connection (before the file is replaced, or at exit); reads
        after this open new ones."""
        with self._lock:
            self._generation += 1
        for idle in self._idle.values():
            while True:  # connections in use are closed when their block ends
                try:
                    _, conn = idle.get_nowait()
                except queue.Empty:
                    break
                self._drop(conn)
