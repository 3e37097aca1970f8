"""A row's physical key for joins the screens make by key (issue 11 item 3).

The case summaries join each case to its nearest unmet referral found by a correlated
subquery. Joined by the referral's text primary key, SQLite descends two B-trees per case (the
key's index, then the table); by its ``rowid``, one. Elsewhere the primary key is used.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class RowKey(ColumnElement[Any]):
    """``row_key(table.c.id)``: ``table.rowid`` on SQLite, ``table.id`` elsewhere."""

    __visit_name__ = "row_key"
    inherit_cache = True
    _traverse_internals = [("key", InternalTraversal.dp_clauseelement)]

    def __init__(self, key: ColumnElement[Any]) -> None:
        self.key = key
        self.type = key.type

    @property
    def _from_objects(self) -> list[Any]:
        return list(self.key._from_objects)


def row_key(key: ColumnElement[Any]) -> RowKey:
    return RowKey(key)


@compiles(RowKey)
def _by_key(element: RowKey, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.key, **kw))


@compiles(RowKey, "sqlite")
def _by_rowid(element: RowKey, compiler: SQLCompiler, **kw: Any) -> str:
    rendered = str(compiler.process(element.key, **kw))
    table, _, _column = rendered.rpartition(".")
    return f"{table}.rowid" if table else "rowid"
