"""Disclosure control: small counts identify children, so they never leave the building.

Primary suppression hides every cell (inner, margin or total) from 1 to ``threshold - 1``;
statistics offices do the same (counts of 1–5 in UK children-in-need statistics, 1–10 at the
US CMS; DOMAIN §5). Secondary suppression then hides more cells until no hidden cell can be
worked out from what is published:

* no sum (a row, a column, a margin, the total) has exactly one hidden cell;
* no hidden cell is fixed by the published sums taken together (linear algebra: its unit
  vector is not in the row space of the sums restricted to the hidden cells);
* no hidden cell is fixed by the bounds a reader knows (every hidden cell occurs, so it is at
  least 1): interval propagation over the sums leaves each hidden cell a range, not a value.

The table is checked as its own ledger of one release (``protect``, ``disclosure``): cells
picked for secondary suppression are inner cells first, the smallest first, and a backward
pass publishes again every one not needed, so the grand total and the one-way margins stay
published whenever hiding inner cells can protect them (issue 21).
"""

from __future__ import annotations

from dataclasses import dataclass

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.lines import line_suppression
from caseintake.domain.statistics.linked import Atom, AtomIndex
from caseintake.domain.statistics.protect import NewTable, protect
from caseintake.domain.statistics.tables import CountTable, Key

DEFAULT_THRESHOLD = 10
MIN_THRESHOLD = 3  # below 3 a published 2 and a total tell too much; the issue sets the floor
MAX_THRESHOLD = 1000


@dataclass(frozen=True)
class PublishedTable:
    """What may leave the building: each cell's value, or ``None`` when suppressed."""

    dimensions: tuple[str, ...]
    threshold: int
    values: dict[Key, int | None]

    def is_suppressed(self, key: Key) -> bool:
        return self.values[key] is None

    @property
    def suppressed_count(self) -> int:
        return sum(1 for v in self.values.values() if v is None)


def check_threshold(threshold: int) -> int:
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        raise DomainError("stats.threshold_too_low", minimum=MIN_THRESHOLD, value=threshold)
    if threshold < MIN_THRESHOLD:
        raise DomainError("stats.threshold_too_low", minimum=MIN_THRESHOLD, value=threshold)
    if threshold > MAX_THRESHOLD:
        raise DomainError("stats.threshold_too_high", maximum=MAX_THRESHOLD, value=threshold)
    return threshold


def publish(
    table: CountTable, threshold: int = DEFAULT_THRESHOLD, exact: bool = True
) -> PublishedTable:
    hidden = hidden_cells(table, threshold, exact)
    return PublishedTable(
        table.dimensions,
        threshold,
        {k: (None if k in hidden else v) for k, v in table.values.items()},
    )


def hidden_cells(
    table: CountTable, threshold: int = DEFAULT_THRESHOLD, exact: bool = True
) -> frozenset[Key]:
    """Primary then secondary suppression, until nothing hidden can be worked out: the table
    is its own ledger of one release (``protect``)."""
    check_threshold(threshold)
    block = frozenset({0})
    index = AtomIndex(Atom(block, k, v) for k, v in table.inner().items())
    seed = line_suppression(table, threshold)
    return protect(index, 1, (), NewTable(block, dict(table.values)), threshold, seed, exact)
