"""Inserts that skip Core's per-call statement building (issue 11: saves within 3× of raw).

A Core ``insert(table)`` executed with a dict rebuilds its cache key, coerces every parameter
and sets up a compiled context on every call: tens of microseconds per statement, which is most
of a save once the statements are few. Here the SQL text and each column's bind processor (UTC
datetimes, booleans) are worked out once per table, column list and dialect, and the values go
to the driver through ``exec_driver_sql``, so the engine's events (the benchmarks' statement
catcher) still see every statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table

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
    conn.exec_driver_sql(sql, values[0] if len(values) == 1 else values)


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
