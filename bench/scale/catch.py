"""The statements a service call sends, caught on the engine and on SQLite's driver
(``FastReads.watch``), to be replayed by hand on a plain ``sqlite3`` connection: the product's
own statements typed by hand, with the same parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event

READS = ("SELECT", "WITH")


def reads_of(svc: Any, call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECTs ``call`` sends (not the transaction's BEGIN/COMMIT, nor its writes)."""
    caught: list[tuple[str, Any]] = []

    def engine(_c: Any, _cur: Any, statement: str, params: Any, _x: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(READS) and not many:
            caught.append((statement, params))

    def driver(statement: str, args: Any) -> None:
        engine(None, None, statement, args, None, isinstance(args, list))

    event.listen(svc.db.engine, "before_cursor_execute", engine)
    svc.db.fast.watch(driver)
    try:
        call()
    finally:
        event.remove(svc.db.engine, "before_cursor_execute", engine)
        svc.db.fast.unwatch(driver)
    return caught
