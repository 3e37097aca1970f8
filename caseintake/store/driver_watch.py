"""Statements sent straight to a driver connection, shown to whoever watches (the query-plan
tests, the benchmarks' statement catchers): they bypass the engine's events.

Watchers are kept per connection pool, which an engine shares with the engines derived from it
(``execution_options``), so one ``watch`` sees the reads and the writes of one database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

# callback(sql, args): args is a tuple for one statement, a list of tuples for executemany.
Watcher = Callable[[str, Any], None]

_WATCHERS: WeakKeyDictionary[Any, list[Watcher]] = WeakKeyDictionary()
_watching = [0]  # watchers anywhere: a statement's check is one comparison when none


def watch(pool: Any, callback: Watcher) -> None:
    _WATCHERS.setdefault(pool, []).append(callback)
    _watching[0] += 1


def unwatch(pool: Any, callback: Watcher) -> None:
    _WATCHERS.get(pool, []).remove(callback)
    _watching[0] -= 1


def notify(pool: Any, sql: str, args: Any) -> None:
    if _watching[0]:
        for callback in _WATCHERS.get(pool, ()):
            callback(sql, args)
