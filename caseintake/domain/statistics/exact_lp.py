"""An exact linear programme (simplex over ``Fraction``, Bland's rule): the lowest and highest
value a reader can give a sum of non-negative atoms, knowing every published sum exactly and
every hidden cell to be at least 1. A sum is determined when one integer is left in between.

Complete where ``disclosure``'s interval propagation is not (a reader who combines several
overlapping periods at once), but dense and slow: ``protect`` runs it as the last word on
systems of up to ``EXACT_ATOMS`` atoms, and the tests run it on everything they release.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from fractions import Fraction

Eq = tuple[Collection[int], int]
EXACT_ATOMS = 100  # ~1 s on a shared 2-core machine; larger systems rely on propagation


def _pivot(tab: list[list[Fraction]], basis: list[int], r: int, c: int) -> None:
    row = tab[r]
    lead = row[c]
    tab[r] = row = [v / lead for v in row]
    for i, other in enumerate(tab):
        if i != r and other[c]:
            f = other[c]
            tab[i] = [a - f * b for a, b in zip(other, row, strict=True)]
    basis[r] = c


def _run(tab: list[list[Fraction]], basis: list[int], allowed: int) -> bool:
    """Minimise the objective in the last row; False when it is unbounded."""
    while True:
        obj = tab[-1]
        col = next((j for j in range(allowed) if obj[j] < 0), None)
        if col is None:
            return True
        best: tuple[Fraction, int, int] | None = None
        for i in range(len(tab) - 1):
            if tab[i][col] > 0:
                ratio = tab[i][-1] / tab[i][col]
                if best is None or (ratio, basis[i]) < best[:2]:
                    best = (ratio, basis[i], i)
        if best is None:
            return False
        _pivot(tab, basis, best[2], col)


class Polytope:
    """The sums as ``A x = b, x >= 0`` (a surplus per hidden cell), feasible basis found once
    (phase one); each objective then starts from a copy of it (phase two)."""

    def __init__(
        self, equalities: Sequence[Eq], at_least_one: Sequence[Collection[int]], n: int
    ) -> None:
        extra = len(at_least_one)
        width = n + extra
        rows: list[list[Fraction]] = []
        for members, value in equalities:
            coef = [Fraction(0)] * (width + 1)
            for i in members:
                coef[i] = Fraction(1)
            coef[-1] = Fraction(value)
            rows.append(coef)
        for s, members in enumerate(at_least_one):
            coef = [Fraction(0)] * (width + 1)
            for i in members:
                coef[i] = Fraction(1)
            coef[n + s] = Fraction(-1)  # surplus
            coef[-1] = Fraction(1)
            rows.append(coef)
        m = len(rows)
        tab = []
        for r, coef in enumerate(rows):
            art = [Fraction(0)] * m
            art[r] = Fraction(1)
            tab.append([*coef[:-1], *art, coef[-1]])
        basis = [width + r for r in range(m)]
        phase1 = [Fraction(0)] * (width + m + 1)
        for row in tab:
            for j in range(width):
                phase1[j] -= row[j]
            phase1[-1] -= row[-1]
        tab.append(phase1)
        _run(tab, basis, width)
        if tab[-1][-1] != 0:
            raise ValueError("the released sums contradict each other")
        keep_rows: list[int] = []
        for r, b in enumerate(basis):  # drive artificials out; a row that cannot is redundant
            if b >= width:
                col = next((j for j in range(width) if tab[r][j] != 0), None)
                if col is None:
                    continue
                _pivot(tab, basis, r, col)
            keep_rows.append(r)
        self.tab = [[*tab[r][:width], tab[r][-1]] for r in keep_rows]
        self.basis = [basis[r] for r in keep_rows]
        self.width = width

    def minimum(self, objective: dict[int, int]) -> Fraction | float:
        """min objective·x over the polytope; ``-inf`` when unbounded."""
        tab = [row[:] for row in self.tab]
        basis = self.basis[:]
        cost = [Fraction(objective.get(j, 0)) for j in range(self.width)] + [Fraction(0)]
        for r, b in enumerate(basis):
            if cost[b]:
                f = cost[b]
                cost = [a - f * v for a, v in zip(cost, tab[r], strict=True)]
        tab.append(cost)
        if not _run(tab, basis, self.width):
            return -math.inf
        return -tab[-1][-1]

    def is_determined(self, members: Collection[int]) -> bool:
        """True when every integer the LP allows is one: ceil(min) == floor(max)."""
        low = self.minimum({i: 1 for i in members})
        high = -self.minimum({i: -1 for i in members})
        return high != math.inf and math.ceil(low) >= math.floor(high)
