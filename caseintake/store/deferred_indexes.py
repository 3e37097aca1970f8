"""Secondary indexes set aside while a bulk build loads rows, and made again after it.

Most of a decade's secondary indexes are keyed by random values (case ids, caller phone
indexes, audit entity ids): loaded row by row, each insert lands on a random page, and once
the indexes outgrow the page cache a 5 M build slows to a few hundred contacts a second.
Made once at the end, an index is one sort of its table.

Only the indexes the models name (``Index`` and ``index=True``; the migrations make the same,
``tests/store/test_migrations.py``) are set aside: the keys of the tables (primary keys,
UNIQUE constraints) stay and keep checking every row. They are made again when the build
ends, whether it succeeded or not; a killed build leaves them missing, and ``restore`` (at the
start of the next build and in ``caseintake db upgrade``) makes every missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, Index, inspect

from caseintake.store.models import Base


def _indexes(tables: Iterable[str] | None = None) -> list[Index]:
    wanted = None if tables is None else set(tables)
    found = [
        index
        for name, table in Base.metadata.tables.items()
        if wanted is None or name in wanted
        for index in table.indexes
    ]
    return sorted(found, key=lambda index: str(index.name))


def present(engine: Engine, tables: Iterable[str] | None = None) -> set[str]:
    """The names of the models' secondary indexes (of ``tables``, or all) the database has."""
    wanted = _indexes(tables)
    seen, have = inspect(engine), set()
    for table in sorted({str(index.table.name) for index in wanted if index.table is not None}):
        have |= {str(found["name"]) for found in seen.get_indexes(table)}
    return {str(index.name) for index in wanted} & have


def restore(engine: Engine) -> list[str]:
    """Makes every secondary index of the models that the database lacks; returns their names."""
    have = present(engine)
    missing = [index for index in _indexes() if index.name not in have]
    with engine.begin() as conn:
        for index in missing:
            index.create(conn)
    return [str(index.name) for index in missing]


@contextmanager
def deferred(engine: Engine, tables: Iterable[str]) -> Iterator[list[str]]:
    """The named tables' secondary indexes dropped for the block and made again after it,
    even when the block fails. Yields the names of the indexes set aside."""
    restore(engine)
    chosen = _indexes(tables)
    with engine.begin() as conn:
        for index in chosen:
            index.drop(conn)
    try:
        yield [str(index.name) for index in chosen]
    finally:
        restore(engine)
