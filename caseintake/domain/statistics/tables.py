"""Count tables with every margin and the grand total, and the sums that tie them together.

A table has one or more dimensions (``sex``, ``age_group``...). Its inner cells are the
combinations of codes that occur; its margins replace one or more codes by ``"*"`` (all), and
the grand total has ``"*"`` everywhere. Only combinations that occur are kept, as the export
publishes them: a combination that is absent is known to be zero.

Each margin equals the sum of the cells one level below it along any one of its ``"*"``
dimensions. Those sums (``Equation``) are what a reader can use to work out a hidden cell,
so the disclosure control in ``statistics_suppression`` reasons over exactly them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import product

ALL = "*"
Key = tuple[str, ...]


@dataclass(frozen=True)
class Equation:
    """``total`` is the sum of ``parts``."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def cells(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class CountTable:
    dimensions: tuple[str, ...]
    values: Mapping[Key, int]  # inner cells, margins and the grand total; zero cells left out

    @property
    def grand_total_key(self) -> Key:
        return (ALL,) * len(self.dimensions)

    @property
    def grand_total(self) -> int:
        return self.values.get(self.grand_total_key, 0)

    def inner(self) -> dict[Key, int]:
        return {k: v for k, v in self.values.items() if ALL not in k}


def stars(key: Key) -> int:
    return sum(1 for code in key if code == ALL)


def build_table(dimensions: Iterable[str], inner: Mapping[Key, int]) -> CountTable:
    """The table of ``inner`` counts with all its margins and the grand total.

    Raises ValueError for a key of the wrong length, a ``"*"`` inside an inner key or a
    negative count (programming errors, never user input).
    """
    dims = tuple(dimensions)
    if not dims:
        raise ValueError("a table needs at least one dimension")
    values: dict[Key, int] = defaultdict(int)
    values[(ALL,) * len(dims)] = 0
    masks = list(product((False, True), repeat=len(dims)))
    for key, count in inner.items():
        if len(key) != len(dims) or ALL in key:
            raise ValueError(f"bad inner key {key!r} for {dims!r}")
        if count < 0:
            raise ValueError(f"negative count for {key!r}")
        if count == 0:
            continue
        for mask in masks:
            values[tuple(ALL if star else code for star, code in zip(mask, key, strict=True))] += (
                count
            )
    return CountTable(dims, dict(values))


def equations(table: CountTable) -> list[Equation]:
    """Every margin-equals-sum relation between cells that are present."""
    groups: dict[tuple[int, Key], list[Key]] = defaultdict(list)
    for key in table.values:
        for d, code in enumerate(key):
            if code != ALL:
                groups[(d, (*key[:d], ALL, *key[d + 1 :]))].append(key)
    return [
        Equation(total, tuple(sorted(parts)))
        for (_d, total), parts in sorted(groups.items())
        if total in table.values
    ]


def ordered_keys(table: CountTable, orders: Mapping[str, tuple[str, ...]]) -> list[Key]:
    """Inner cells first, then margins, the grand total last; codes in their listed order."""

    def rank(dim: str, code: str) -> tuple[int, int, str]:
        if code == ALL:
            return (1, 0, "")
        order = orders.get(dim, ())
        return (0, order.index(code) if code in order else len(order), code)

    return sorted(
        table.values,
        key=lambda k: (stars(k), [rank(d, c) for d, c in zip(table.dimensions, k, strict=True)]),
    )
