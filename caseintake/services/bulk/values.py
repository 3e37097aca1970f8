"""The values of a bulk build, made cheaply (issue 11 item 1): bound columns.

What the ordinary path makes, only without its per-value overhead: a row's columns through the
columns' own bind processors (found once per table; UTC times on SQLite formatted in one step,
as the two processors would). Ids come from ``domain.ids`` and the events' details JSON from
``AuditLog``'s encoder, as on the ordinary path.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Dialect, LargeBinary

from caseintake.store.models import Base
from caseintake.store.types import UTCDateTime


def sqlite_utc(value: datetime | None) -> str | None:
    """What ``UTCDateTime`` then SQLite's ``DATETIME`` bind a time to: naive UTC text."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


class Binder:
    """Rows (dicts of one shape per table) to tuples of bound values."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._procs: dict[str, list[tuple[int, Callable[[Any], Any]]]] = {}

    def _processor(self, kind: Any) -> Callable[[Any], Any] | None:
        if isinstance(kind, LargeBinary):
            return None  # bytes go to the driver as they are (a memoryview would not pickle)
        if isinstance(kind, UTCDateTime) and self._dialect.name == "sqlite":
            return sqlite_utc
        found: Callable[[Any], Any] | None = kind._cached_bind_processor(self._dialect)
        return found

    def bind(
        self, model: type[Base], rows: list[dict[str, Any]]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        names = list(rows[0])
        procs = self._procs.get(model.__tablename__)
        if procs is None:
            columns = model.__table__.c
            found = [self._processor(columns[n].type) for n in names]
            procs = self._procs[model.__tablename__] = [(i, p) for i, p in enumerate(found) if p]
        get = itemgetter(*names)
        out = []
        for row in rows:
            values = list(get(row))
            for i, proc in procs:
                values[i] = proc(values[i])
            out.append(tuple(values))
        return names, out
