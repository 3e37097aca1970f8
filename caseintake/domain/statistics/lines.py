"""Secondary suppression of one table along its lines (issue 9's heuristic): the seed that
``protect`` starts from before it checks the table against the whole ledger.

* a sum (a row, a column, a margin, the total) with exactly one hidden cell gets a partner:
  the published cell of that sum with the fewest ``"*"``, then the smallest;
* a hidden cell fixed by the sums taken together (its unit vector in the row space of the sums
  restricted to the hidden cells, exact) or by the bounds (each hidden cell is at least 1) gets
  a partner from one of its sums.

It is quick and usually near the fewest cells, but it may hide a total that inner cells could
protect; ``protect``'s backward pass publishes those again.
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

from caseintake.domain.statistics.tables import CountTable, Equation, Key, equations, stars


def line_suppression(table: CountTable, threshold: int) -> frozenset[Key]:
    """Primary then secondary suppression along the table's lines, until no hidden cell is
    fixed by its sums or by the bounds within the table."""
    eqs = equations(table)
    hidden = {k for k, v in table.values.items() if 1 <= v < threshold}
    for _ in range(len(table.values) + 1):
        if _close_lonely(table, eqs, hidden):
            continue
        pinned = pinned_cells(table, eqs, hidden)
        if not pinned or not _cover(table, eqs, hidden, pinned):
            break
    return frozenset(hidden)


def _partner(table: CountTable, cells: tuple[Key, ...], hidden: set[Key]) -> Key | None:
    """The published cell to hide next: fewest ``*`` (inner first), then smallest value."""
    open_cells = [c for c in cells if c not in hidden and table.values[c] > 0]
    if not open_cells:
        return None
    return min(open_cells, key=lambda c: (stars(c), table.values[c], c))


def _close_lonely(table: CountTable, eqs: list[Equation], hidden: set[Key]) -> bool:
    """Hide a partner in every sum with exactly one hidden cell; True when anything changed."""
    changed = False
    for eq in eqs:
        if sum(1 for c in eq.cells if c in hidden) == 1:
            partner = _partner(table, eq.cells, hidden)
            if partner is not None:
                hidden.add(partner)
                changed = True
    return changed


def _cover(table: CountTable, eqs: list[Equation], hidden: set[Key], pinned: set[Key]) -> bool:
    by_cell: dict[Key, list[Equation]] = defaultdict(list)
    for eq in eqs:
        for c in eq.cells:
            by_cell[c].append(eq)
    changed = False
    for cell in sorted(pinned):
        options = [p for eq in by_cell[cell] if (p := _partner(table, eq.cells, hidden))]
        if not options:  # its own sums are all hidden: open up a sum that touches the hidden
            touching = [eq for eq in eqs if any(c in hidden for c in eq.cells)]
            options = [p for eq in touching if (p := _partner(table, eq.cells, hidden))]
        if options:
            hidden.add(min(options, key=lambda c: (stars(c), table.values[c], c)))
            changed = True
    return changed


def pinned_cells(table: CountTable, eqs: list[Equation], hidden: set[Key]) -> set[Key]:
    """Hidden cells whose value a reader can work out from the published ones."""
    order = sorted(hidden)
    index = {k: i for i, k in enumerate(order)}
    rows: list[tuple[dict[int, int], int]] = []
    for eq in eqs:
        row: dict[int, int] = {}
        constant = 0  # sum of the hidden side = constant
        for cell, sign in ((eq.total, 1), *((p, -1) for p in eq.parts)):
            if cell in index:
                row[index[cell]] = row.get(index[cell], 0) + sign
            else:
                constant -= sign * table.values[cell]
        if row:
            rows.append((row, constant))
    fixed = _fixed_by_sums([r for r, _ in rows]) | _fixed_by_bounds(rows, len(order))
    return {order[i] for i in fixed}


def _fixed_by_sums(rows: list[dict[int, int]]) -> set[int]:
    """Variables whose unit vector lies in the row space (reduced row echelon, exact)."""
    pivots: dict[int, dict[int, Fraction]] = {}
    for raw in rows:
        row = {k: Fraction(v) for k, v in raw.items() if v}
        for p in [k for k in row if k in pivots]:
            factor = row.get(p, Fraction(0))
            if factor:
                for k, v in pivots[p].items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
                row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        pivot = min(row)
        lead = row[pivot]
        row = {k: v / lead for k, v in row.items()}
        for q, qrow in pivots.items():
            factor = qrow.get(pivot, Fraction(0))
            if factor:
                for k, v in row.items():
                    qrow[k] = qrow.get(k, Fraction(0)) - factor * v
                pivots[q] = {k: v for k, v in qrow.items() if v}
        pivots[pivot] = row
    return {p for p, row in pivots.items() if len(row) == 1}


def _fixed_by_bounds(rows: list[tuple[dict[int, int], int]], n: int) -> set[int]:
    """Interval propagation from ``x >= 1`` over every sum; fixed where the range closes."""
    lo: list[float] = [1.0] * n
    hi: list[float] = [math.inf] * n
    for _ in range(4 * n + 4):
        changed = False
        for row, constant in rows:
            for i, coef in row.items():
                rest_lo = sum(c * (lo[j] if c > 0 else hi[j]) for j, c in row.items() if j != i)
                rest_hi = sum(c * (hi[j] if c > 0 else lo[j]) for j, c in row.items() if j != i)
                # coef * x_i = constant - rest
                a, b = constant - rest_hi, constant - rest_lo
                if coef < 0:
                    a, b = -b, -a
                a, b = a / abs(coef), b / abs(coef)
                if a > lo[i] and not math.isnan(a):
                    lo[i], changed = math.ceil(a), True
                if b < hi[i] and not math.isnan(b):
                    hi[i], changed = math.floor(b), True
        if not changed:
            break
    return {i for i in range(n) if lo[i] == hi[i]}
