"""Which sums a reader can work out from everything released: exact linear algebra and bounds.

The unknowns are non-negative integer atoms (``linked``); every published cell is an equation.
A target sum (a hidden cell, or a small count of some period) is *determined* when

* its vector lies in the row space of the published sums (reduced row echelon form over the
  rationals, exact: ``fractions.Fraction``), or
* the bounds a reader knows close its range: every atom is at least 0, every hidden cell at
  least 1 (it is listed), and interval propagation over the published sums (and their
  differences, where one period's cell lies inside another's) gives each atom a range; a
  target whose lowest and highest possible values meet is determined.

Propagation can only miss a bound, never invent one; the property tests check the result
against an exact linear programme written apart (``tests/domain/exact_lp.py``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction

from caseintake.domain.statistics.linked import Target

Row = frozenset[int]
_MAX_DIFFERENCES = 1500  # the smallest differences first; past it, the ranks still check


class Echelon:
    """The published sums in reduced row echelon form (exact)."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.pivots: dict[int, dict[int, Fraction]] = {}
        for members in rows:
            self._add({i: Fraction(1) for i in members})

    def _reduce(self, row: dict[int, Fraction]) -> dict[int, Fraction]:
        for p in [k for k in row if k in self.pivots]:
            factor = row.get(p)
            if factor:
                for k, v in self.pivots[p].items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
        return {k: v for k, v in row.items() if v}

    def _add(self, raw: dict[int, Fraction]) -> None:
        row = self._reduce(raw)
        if not row:
            return
        pivot = min(row)
        lead = row[pivot]
        row = {k: v / lead for k, v in row.items()}
        for q, qrow in self.pivots.items():
            factor = qrow.get(pivot)
            if factor:
                for k, v in row.items():
                    qrow[k] = qrow.get(k, Fraction(0)) - factor * v
                self.pivots[q] = {k: v for k, v in qrow.items() if v}
        self.pivots[pivot] = row

    def spans(self, members: Row) -> bool:
        """True when the sum of ``members`` is a combination of the published sums."""
        return not self._reduce({i: Fraction(1) for i in members})


def _with_differences(published: Mapping[Row, int]) -> dict[Row, int]:
    """The sums and, where one lies inside another, their difference (the differencing attack)."""
    rows = dict(published)
    items = sorted(published.items(), key=lambda kv: len(kv[0]))
    for i, (small, v_small) in enumerate(items):
        for big, v_big in items[i + 1 :]:
            if len(rows) >= _MAX_DIFFERENCES:
                return rows
            if small < big:
                rows.setdefault(big - small, v_big - v_small)
    return rows


def atom_bounds(
    published: Mapping[Row, int], at_least_one: Iterable[Row], n_atoms: int
) -> tuple[list[int], list[float]]:
    """Each atom's range after interval propagation to a fixed point (integers)."""
    lo = [0] * n_atoms
    hi: list[float] = [math.inf] * n_atoms
    rows = [(sorted(m), v, float(v)) for m, v in _with_differences(published).items() if m]
    rows += [(sorted(m), 1, math.inf) for m in at_least_one if m]
    for _ in range(2 * n_atoms + 8):
        changed = False
        for members, low, high in rows:
            los = [lo[i] for i in members]
            his = [hi[i] for i in members]
            sum_lo = sum(los)
            unbounded = sum(1 for h in his if h == math.inf)
            sum_hi = sum(h for h in his if h != math.inf)
            for i, own_lo, own_hi in zip(members, los, his, strict=True):
                if high != math.inf:
                    top = high - (sum_lo - own_lo)
                    if top < hi[i]:
                        hi[i], changed = math.floor(top), True
                if own_hi == math.inf:
                    rest_hi = math.inf if unbounded > 1 else sum_hi
                else:
                    rest_hi = math.inf if unbounded else sum_hi - own_hi
                if low - rest_hi > lo[i]:
                    lo[i], changed = math.ceil(low - rest_hi), True
            if any(lo[i] > hi[i] for i in members):
                raise ValueError("the released sums contradict each other")
        if not changed:
            break
    return lo, hi


def determined(
    published: Mapping[Row, int], hidden: Mapping[Row, Target], targets: Iterable[Target], n: int
) -> set[Row]:
    """The members of every target a reader can work out exactly."""
    echelon = Echelon(m for m in published if m)
    lo, hi = atom_bounds(published, hidden, n)
    containing: dict[int, list[Row]] = defaultdict(list)
    for m in published:
        for i in m:
            containing[i].append(m)
    out: set[Row] = set()
    for target in targets:
        members = target.members
        if echelon.spans(members):
            out.add(members)
            continue
        low: float = max(sum(lo[i] for i in members), 1 if target.at_least_one else 0)
        high: float = sum(hi[i] for i in members)
        for row in {r for i in members for r in containing[i] if members <= r}:
            rest = row - members
            high = min(high, published[row] - sum(lo[i] for i in rest))
            low = max(low, published[row] - sum(hi[i] for i in rest))
        if low >= high:
            out.add(members)
    return out
