"""A save's statements at the driver's speed (issue 11: saves within 3× of raw).

A Core ``insert(table)`` executed with a dict rebuilds its cache key, coerces every parameter
and sets up a compiled context on every call, and even ``exec_driver_sql`` costs an execution
context and a result: tens of microseconds per statement, which is most of a save once the
statements are few. Here the SQL text and each column's bind processor (UTC datetimes,
booleans) are worked out once per table, column list and dialect. On SQLite the values then go
straight to the driver connection under the session's transaction (``store.driver_watch``
shows them to the query-plan tests and the benchmarks); on PostgreSQL, where the round trip
dominates, through ``exec_driver_sql``.

The two ways to the database (README "How it is built"): everything goes through SQLAlchemy's
session except, on SQLite, the save's statements (here: inserts, the case number's upsert, the
chain's tail, from ``services/cases/writer``, ``services/intake/service`` and
``services/audit/log``), the screens' hot reads and the audited repeat-caller lookup
(``store.fast_read``). What they must keep: the audit event in the same transaction as what it
records (these statements run on the session's own connection, inside its transaction), the
same one-sentence errors (``store.db_errors``), and the same Core statements, shown to the
query-plan tests by ``store.driver_watch``. Held by ``tests/services/test_save_statements.py``,
``tests/store/test_write_errors.py``, ``tests/store/test_fast_read.py``,
``tests/store/test_query_plans.py`` and ``tests/services/test_caller_lookup.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table
from sqlalchemy.sql import Executable

from caseintake.store.driver_watch import notify
from caseintake.store.fast_read import Prepared, prepare
from caseintake.store.records import CODE, inserted

_Prepared = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]]
_PREPARED: dict[tuple[str, tuple[str, ...], str], _Prepared] = {}


def _prepared(dialect: Dialect, table: Table, names: tuple[str, ...]) -> _Prepared:
    key = (table.name, names, dialect.name)
    found = _PREPARED.get(key)
    if found is None:
        procs = tuple((n, table.c[n].type._cached_bind_processor(dialect)) for n in names)
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        columns, marks = ", ".join(names), ", ".join([mark] * len(names))
        found = _PREPARED[key] = (f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", procs)
    return found


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys, column names of ``table``): one statement for
    one row, one executemany for several."""
    if not rows:
        return
    sql, values = _statement(conn.dialect, table, rows)
    if table.name in CODE:  # bound to the trail: the transaction's next audit event says so
        inserted(conn, table.name, tuple(rows[0]), values)
    driver = driver_of(conn)
    if driver is None:
        conn.exec_driver_sql(sql, values[0] if len(values) == 1 else values)
        return
    many = len(values) > 1
    notify(conn.engine.pool, sql, values if many else values[0])
    driver.executemany(sql, values) if many else driver.execute(sql, values[0])


def driver_of(conn: Connection) -> Any | None:
    """The SQLite driver connection under ``conn`` (in its transaction); None elsewhere."""
    if conn.dialect.name != "sqlite":
        return None
    return conn.connection.driver_connection


def one(conn: Connection, stmt: Executable, params: Mapping[str, Any] | None = None) -> Any:
    """The one row ``stmt`` returns: on SQLite from the driver connection under ``conn``,
    elsewhere through Core."""
    driver = driver_of(conn)
    if driver is None:
        return conn.execute(stmt, dict(params or {})).one()
    return driver_one(driver, conn.dialect, stmt, params, conn.engine.pool)


def driver_one(
    driver: Any,
    dialect: Dialect,
    stmt: Executable,
    params: Mapping[str, Any] | None = None,
    pool: Any = None,
) -> Any:
    """The one row ``stmt`` (module-level, so kept alive; prepared once as the fast reads
    prepare theirs) returns on ``driver``, as the driver gives it: callers read integers, text
    and bytes. ``pool`` names the database whose watchers see the statement."""
    key = (id(stmt), dialect.name)
    prepared = _ONE.get(key)
    if prepared is None or prepared.stmt is not stmt:
        prepared = _ONE[key] = prepare(stmt, dialect)
    args = prepared.args(params or {})
    if pool is not None:
        notify(pool, prepared.sql, args)
    row = driver.execute(prepared.sql, args).fetchone()
    if row is None:
        raise LookupError(f"no row from: {prepared.sql}")
    return row


_ONE: dict[tuple[int, str], Prepared] = {}


def insert_driver_rows(
    driver: Any, dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]]
) -> None:
    """The same inserts on a driver connection of ``dialect`` (``store.fast_read``'s)."""
    if rows:
        sql, values = _statement(dialect, table, rows)
        driver.executemany(sql, values) if len(values) > 1 else driver.execute(sql, values[0])


def _statement(
    dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]]
) -> tuple[str, list[tuple[Any, ...]]]:
    sql, procs = _prepared(dialect, table, tuple(rows[0]))
    return sql, [tuple(p(r[n]) if p else r[n] for n, p in procs) for r in rows]
