"""Choosing what a new table hides so that, with every earlier release, nothing small is told.

Primary suppression hides the new table's cells from 1 to ``threshold - 1``. Then, while a
reader could work out a hidden cell of any release, or a count from 1 to ``threshold - 1`` of
any run of blocks (the difference of two overlapping periods, a day inside a month), the new
table hides one more cell for each such sum: one that shares codes with it, inner cells first
and the smallest first, so that the grand total and the one-way margins stay published whenever
hiding inner cells can protect them (as statistical offices publish the total and suppress
inside). Earlier releases cannot change, so only the new table's cells are ever chosen; when
even hiding all of them leaves something determined, the export is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.disclosure import determined
from caseintake.domain.statistics.exact_lp import Point, Polytope, Unproven
from caseintake.domain.statistics.linked import (
    AtomIndex,
    Blocks,
    Release,
    Target,
    release_rows,
    small_targets,
)
from caseintake.domain.statistics.tables import ALL, Key, stars


@dataclass(frozen=True)
class NewTable:
    blocks: Blocks
    values: Mapping[Key, int]  # the true cells over the family's dimensions, margins included


def _compatible(a: Key, b: Key) -> bool:
    """Two cells that can hold the same units (or sit side by side in one sum)."""
    return sum(1 for x, y in zip(a, b, strict=True) if x != y and ALL not in (x, y)) <= 1


def _choose(
    table: NewTable, index: AtomIndex, hidden: set[Key], target: frozenset[int]
) -> Key | None:
    """The published cell of the new table whose hiding best covers ``target``."""
    codes = [index.atoms[i].key for i in target]
    options = [
        k
        for k, v in table.values.items()
        if k not in hidden and v > 0 and any(_compatible(k, c) for c in codes)
    ]
    if not options:
        options = [k for k, v in table.values.items() if k not in hidden and v > 0]
    if not options:
        return None

    # The same cell in the new period first (what differencing subtracts), then inner cells,
    # the smallest first; a margin or the total only when nothing inside will do.
    pattern = tuple(
        column[0] if len(set(column)) == 1 else ALL for column in zip(*codes, strict=True)
    )

    def cost(key: Key) -> tuple[int, int, int, Key]:
        return (0 if key == pattern else 1, stars(key), table.values[key], key)

    return min(options, key=cost)


def protect(
    index: AtomIndex,
    block_count: int,
    prior: Sequence[Release],
    table: NewTable,
    threshold: int,
    seed: frozenset[Key] = frozenset(),
    exact: bool = True,
) -> frozenset[Key]:
    """The cells the new table must hide; DomainError when no choice protects everything.

    ``seed``: cells to start from (``lines.line_suppression`` of the table alone, which is
    quick and close to the fewest), checked against the whole ledger like any other choice.
    ``exact``: let the exact LP check the result, and refuse (``linked_tables.unproven``)
    when it cannot within its budget; the screen, where nothing leaves, goes without it.

    A forward pass hides cells until nothing is determined; a backward pass then publishes
    again each secondary cell that is not needed, the grand total first, then the margins
    with the most ``"*"``, so the totals stay published whenever inner cells can protect them.
    """
    primary = {k for k, v in table.values.items() if 1 <= v < threshold}
    small = small_targets(index, block_count, threshold)
    # What the earlier releases give away by themselves (a count of 17 published at a floor of
    # 15 is small at 20): no choice of this table can take it back, so it is not this table's
    # exposure; refusing for it would refuse every later export at a higher threshold.
    before, before_hidden = release_rows(index, prior)
    already = determined(
        before, before_hidden, {**small, **before_hidden}.values(), len(index.atoms)
    )

    def exposed(hidden: set[Key]) -> set[frozenset[int]]:
        cells = {k: (None if k in hidden else v) for k, v in table.values.items()}
        published, hidden_rows = release_rows(index, [*prior, Release(table.blocks, cells)])
        targets: dict[frozenset[int], Target] = {**small, **hidden_rows}
        return determined(published, hidden_rows, targets.values(), len(index.atoms)) - already

    # A cell the earlier releases already give away protects nothing when hidden.
    cells = {k: Target(index.members(table.blocks, k), False) for k in table.values}
    known_members = determined(before, before_hidden, cells.values(), len(index.atoms))
    known = {k for k, t in cells.items() if t.members in known_members}
    hidden = primary | (seed & set(table.values))
    for _ in range(len(table.values) + 1):
        found = exposed(hidden)
        if not found:
            break
        target = min(found, key=lambda m: (len(m), sorted(m)))
        choice = _choose(table, index, hidden | known, target)
        if choice is None:
            raise DomainError("publication.cannot_protect")
        hidden.add(choice)
    else:
        raise DomainError("publication.cannot_protect")
    for key in sorted(hidden - primary, key=lambda k: (-stars(k), -table.values[k], k)):
        if not exposed(hidden - {key}):
            hidden.discard(key)
    if exact:  # the exact LP has the last word: what it cannot prove does not leave
        points: list[Point] = [([a.count for a in index.atoms], 1)]
        try:
            for _ in range(len(table.values) + 1):
                pinned = _exposed_exactly(index, prior, table, hidden, small, points, already)
                if not pinned:
                    break
                choice = _choose(table, index, hidden | known, pinned[0])
                if choice is None:
                    raise DomainError("publication.cannot_protect")
                hidden.add(choice)
            else:
                raise DomainError("publication.cannot_protect")
        except Unproven:
            raise DomainError("linked_tables.unproven") from None
    return frozenset(hidden)


def _exposed_exactly(
    index: AtomIndex,
    prior: Sequence[Release],
    table: NewTable,
    hidden: set[Key],
    small: dict[frozenset[int], Target],
    points: list[Point],
    already: set[frozenset[int]],
) -> list[frozenset[int]]:
    """The targets the exact LP pins down; ``points`` (exact feasible points, the true counts
    first) carries the vertices found over to the next round, where hiding one more cell only
    widens what the reader must allow."""
    cells = {k: (None if k in hidden else v) for k, v in table.values.items()}
    published, hidden_rows = release_rows(index, [*prior, Release(table.blocks, cells)])
    polytope = Polytope(
        [(sorted(m), v) for m, v in published.items() if m],
        [sorted(m) for m in hidden_rows if m],
        len(index.atoms),
        known=points,
    )
    targets = {**small, **hidden_rows}
    found = sorted(
        (m for m in targets if m and m not in already and polytope.is_determined(m)),
        key=lambda m: (len(m), sorted(m)),
    )
    points[:] = polytope.points
    return found
