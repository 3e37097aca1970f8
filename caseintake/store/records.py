"""The records bound to the audit trail (issue 20 item 1): which tables, how a row's state is
read back the same way on every path, and which rows a transaction has written so far.

A row's state is read from the database itself, never from what a writer meant to write, so
the services, the driver-level save (``store.fast_sql``) and the bulk builder all agree with
``audit verify``: times as UTC text in SQLite's stored form, booleans as 0/1, ciphertexts as
they are. On PostgreSQL the SELECT renders them in that same form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from hashlib import blake2b
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Boolean, Connection, DateTime, Integer, Table

from caseintake.crypto.record_states import DIGEST_SIZE, GONE, PERSON, RowState, row_digest
from caseintake.store.models import Base

# Codes are part of the signed bytes: append a table, never reorder or reuse one.
BOUND = (
    "cases",
    "case_concerns",
    "contacts",
    "children",
    "perpetrators",
    "case_notes",
    "referrals",
    "referral_updates",
    "escalations",
    "case_approvals",
    "directory_entries",
    "users",
    "security_settings",
    "retention_policy",
    "contact_children",
    "statistics_floor",
    "statistics_releases",
    "line_cards",  # issue 24: partner lines' cards pinned in the directory
    "child_pins",  # issue 24: children's personal identification numbers
    "handoffs",  # issue 24: packages sent and received, and their receipts
    "handoff_receipts",
    "drop_folders",  # issue 24 (transport): the partner lines' drop folders
)
CODE = {name: i + 1 for i, name in enumerate(BOUND)}
NAME = {code: name for name, code in CODE.items()}
_PG_TIME = "to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"

# The rows each open write transaction has written: table -> key -> the row's digest when it
# was inserted from known values (``inserted``), None when it must be read back. A key is the
# primary key's text, columns joined by "|". Kept per Connection, which lives as long as its
# transaction.
Written = dict[str, dict[str, bytes | None]]
_TOUCHED: WeakKeyDictionary[Connection, Written] = WeakKeyDictionary()


def touch(conn: Connection, table: str, keys: Iterable[str]) -> None:
    """Rows of ``table`` changed (or deleted) in ``conn``'s transaction: read back later."""
    if table in CODE:
        _TOUCHED.setdefault(conn, {}).setdefault(table, {}).update(dict.fromkeys(keys))


def inserted(
    conn: Connection, table: str, names: Sequence[str], values: Sequence[Sequence[Any]]
) -> None:
    """Rows inserted with these bind-ready values: their digests are known without a read
    (the same as reading them back: ``bound_digests``)."""
    if table not in CODE:
        return
    if table == "directory_entries" or not _covers(table, names):  # a default fills the rest
        touch(conn, table, _row_keys(table, names, values))
        return
    _TOUCHED.setdefault(conn, {}).setdefault(table, {}).update(bound_digests(table, names, values))


def known(conn: Connection, table: str, pairs: Iterable[tuple[str, bytes]]) -> None:
    """Rows of ``table`` whose digests were just read in ``conn``'s transaction (an admin
    adopting rows from before records were bound): the next audit event records them."""
    _TOUCHED.setdefault(conn, {}).setdefault(table, {}).update(pairs)


@cache
def _all_columns(table: str) -> frozenset[str]:
    return frozenset(c.name for c in Base.metadata.tables[table].columns)


def _row_keys(table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """The primary key's text of each row (columns joined by "|"), to be read back later."""
    index = {n: i for i, n in enumerate(names)}
    pk = [index[c.name] for c in Base.metadata.tables[table].primary_key.columns]
    return ["|".join(str(row[i]) for i in pk) for row in rows]


def _covers(table: str, names: Sequence[str]) -> bool:
    """Every column given a value: the row's state is known without reading it back."""
    return _all_columns(table) <= set(names)


def take(conn: Connection) -> Written:
    """What ``conn``'s transaction wrote since the last take; forgotten here."""
    return _TOUCHED.pop(conn, {})


def forget(conn: Connection) -> None:
    _TOUCHED.pop(conn, None)


def key_of(table: Table, row: dict[str, Any]) -> str:
    return "|".join(str(row[c.name]) for c in table.primary_key.columns)


def key_sql(table: Table, sqlite: bool) -> str:
    cols = [c.name for c in table.primary_key.columns]
    if len(cols) == 1:
        return f"CAST({cols[0]} AS TEXT)" if sqlite else f"{cols[0]}::text"
    return " || '|' || ".join(cols)


def column_sql(table: Table, sqlite: bool) -> list[str]:
    out = []
    for c in table.columns:
        if sqlite:
            out.append(c.name)
        elif isinstance(c.type, Boolean):
            out.append(f"{c.name}::int")
        elif isinstance(getattr(c.type, "impl", c.type), DateTime):
            out.append(_PG_TIME.format(c=c.name))
        else:
            out.append(c.name)
    return out


@cache
def select_sql(name: str, sqlite: bool, where: str = "") -> str:
    table = Base.metadata.tables[name]
    cols = ", ".join([key_sql(table, sqlite), *column_sql(table, sqlite)])
    return f"SELECT {cols} FROM {name}{where}"


def digests(
    code: int, rows: Iterable[Sequence[Any]], sqlite: bool = True
) -> Iterator[tuple[str, bytes]]:
    """(key, digest) of rows read by ``select_sql``: the key first, then every column (the
    same bytes as ``row_digest``; a tight loop, as ``audit verify`` runs it on every row)."""
    person, size, make = PERSON, DIGEST_SIZE, blake2b
    for row in rows:
        if not sqlite:
            row = tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
        text = repr((code, *row)).encode("utf-8", "surrogatepass")
        yield row[0], make(text, digest_size=size, person=person).digest()


def states_of(conn: Connection, written: Written) -> list[RowState]:
    """The states of the rows ``written`` as they now stand in ``conn``'s transaction (read
    back unless inserted from known values); a row no longer there is recorded as deleted."""
    sqlite = conn.dialect.name == "sqlite"
    out: list[RowState] = []
    for name in BOUND:
        rows = written.get(name)
        if not rows:
            continue
        code = CODE[name]
        unread = sorted(k for k, digest in rows.items() if digest is None)
        found = _read_back(conn, name, unread, sqlite) if unread else {}
        for key in sorted(rows):
            digest = rows[key]
            out.append((code, key, digest if digest is not None else found.get(key, GONE)))
    return out


def _read_back(conn: Connection, name: str, keys: list[str], sqlite: bool) -> dict[str, bytes]:
    table = Base.metadata.tables[name]
    pk = list(table.primary_key.columns)
    driver = conn.connection.driver_connection
    found: dict[str, bytes] = {}
    mark = "?" if sqlite else "%s"
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        params: list[Any]
        if len(pk) == 1:
            params = [int(k) if isinstance(pk[0].type, Integer) else k for k in chunk]
        else:  # case_concerns: by case, then the keys asked
            params = sorted({k.split("|", 1)[0] for k in chunk})
        where = f" WHERE {pk[0].name} IN ({', '.join([mark] * len(params))})"
        cursor = driver.cursor()
        cursor.execute(select_sql(name, sqlite, where), params)
        found.update(digests(CODE[name], cursor.fetchall(), sqlite))
        cursor.close()
    return found


def _flushed(session: Any, _context: Any) -> None:
    """The ORM's inserts, updates and deletes of bound rows, noted for the next audit event."""
    written: dict[str, list[str]] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None or table.name not in CODE:
            continue
        key = "|".join(str(getattr(obj, c.key)) for c in table.primary_key.columns)
        written.setdefault(table.name, []).append(key)
    if written:
        conn = session.connection()
        for name, keys in written.items():
            touch(conn, name, keys)


def _committing(session: Any) -> None:
    """Rows written after the transaction's last audit event stay unbound: the next verify
    names them as changed outside the application (nothing here hides them). Forgotten."""
    if _TOUCHED:
        session.flush()
        take(session.connection())


def watch_writes(factory: Any) -> None:
    """Note what sessions of ``factory`` write (and forget it at commit)."""
    from sqlalchemy import event

    event.listen(factory, "after_flush", _flushed)
    event.listen(factory, "before_commit", _committing)


def _plain(value: Any) -> Any:
    """A bound value as the database gives it back (see the module's docstring)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(" ", "microseconds")
    if isinstance(value, (memoryview, bytearray)):
        return bytes(value)
    wrapped = getattr(value, "obj", None)  # psycopg's Binary around a bytea parameter
    if isinstance(wrapped, (bytes, bytearray, memoryview)):
        return bytes(wrapped)
    return value


def bound_digests(
    name: str, names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[tuple[str, bytes]]:
    """(key, digest) of rows about to be inserted with the bind-ready ``rows`` of columns
    ``names`` (the bulk builder's): the same digests as reading the rows back."""
    table = Base.metadata.tables[name]
    index = {n: i for i, n in enumerate(names)}
    columns = [index.get(c.name) for c in table.columns]
    pk = [index[c.name] for c in table.primary_key.columns]
    code = CODE[name]
    out = []
    for row in rows:
        key = "|".join(str(row[i]) for i in pk)
        values = tuple(None if i is None else _plain(row[i]) for i in columns)
        out.append((key, row_digest(code, key, values)))
    return out
