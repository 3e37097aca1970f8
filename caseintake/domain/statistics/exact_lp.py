"""An exact linear programme: the lowest and highest value a reader can give a sum of
non-negative atoms, knowing every published sum exactly and every hidden cell to be at least 1.
A sum is determined when one integer at most is left in between.

Simplex with Bland's rule over integers: each row of the tableau is an equation with integer
coefficients (scaled by the pivot, divided by the row's gcd), so nothing is rounded and no
``Fraction`` is normalised at every step (ten times faster than a tableau of fractions). The
objective row carries its positive scale in a column of its own.

Most targets need no programme at all: every vertex found on the way, and the true counts
when given, are exact feasible points; a target to which two of them give values with two
integers in between has at least two possible values, whatever the optimum. Only the targets
the points cannot separate are minimised and maximised.

The work is bounded (``budget`` pivots): past it, ``Unproven`` is raised and the caller
refuses to publish rather than publish what it could not prove.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from fractions import Fraction

Eq = tuple[Collection[int], int]
PIVOT_BUDGET = 20_000  # a few seconds on a loaded 2-core machine


class Unproven(Exception):
    """The programme needed more pivots than its budget: nothing is proven either way."""


Point = tuple[list[int], int]  # numerators and their common positive denominator


class _Tableau:
    def __init__(self, rows: list[list[int]], basis: list[int], budget: list[int]) -> None:
        self.rows = rows
        self.basis = basis
        self.budget = budget

    def pivot(self, r: int, c: int, obj: list[int]) -> list[int]:
        if self.budget[0] <= 0:
            raise Unproven
        self.budget[0] -= 1
        row = self.rows[r]
        p = row[c]
        if p < 0:
            row = [-v for v in row]
            p = -p
            self.rows[r] = row
        for i, other in enumerate(self.rows):
            if i != r and other[c]:
                self.rows[i] = _reduced(other, row, p, other[c])
        self.basis[r] = c
        return _reduced(obj, row, p, obj[c]) if obj[c] else obj

    def run(self, obj: list[int], allowed: int) -> tuple[bool, list[int]]:
        """Minimise; ``obj`` is ``[reduced costs..., scale, -value*scale]``."""
        while True:
            col = next((j for j in range(allowed) if obj[j] < 0), None)
            if col is None:
                return True, obj
            best: tuple[int, int, int] | None = None  # (rhs, coefficient, row)
            for i, row in enumerate(self.rows):
                a = row[col]
                if a > 0:
                    if best is None:
                        best = (row[-1], a, i)
                        continue
                    lhs, rhs = row[-1] * best[1], best[0] * a
                    if lhs < rhs or (lhs == rhs and self.basis[i] < self.basis[best[2]]):
                        best = (row[-1], a, i)
            if best is None:
                return False, obj
            obj = self.pivot(best[2], col, obj)


def _reduced(other: list[int], row: list[int], p: int, f: int) -> list[int]:
    new = [p * a - f * b for a, b in zip(other, row, strict=True)]
    g = math.gcd(*new)
    return [v // g for v in new] if g > 1 else new


class Polytope:
    """The sums as ``A x = b, x >= 0`` (a surplus per hidden cell); a feasible basis is found
    once (phase one) and each objective starts from it (phase two)."""

    def __init__(
        self,
        equalities: Sequence[Eq],
        at_least_one: Sequence[Collection[int]],
        n: int,
        known: Sequence[Point] = (),
        budget: int | None = None,
    ) -> None:
        self.n = n
        self._budget = [PIVOT_BUDGET if budget is None else budget]
        self._eqs = [(frozenset(m), v) for m, v in equalities]
        self._ones = [frozenset(m) for m in at_least_one]
        # The true counts and earlier vertices, when they still fit what was released.
        self.points: list[Point] = []
        self._seen: set[tuple[tuple[int, ...], int]] = set()
        for point in known:
            if self._feasible(*point):
                self._keep(point)
        width = n + len(self._ones)
        rows: list[list[int]] = []
        for members, value in self._eqs:
            rows.append([1 if i in members else 0 for i in range(width)] + [value])
        for s, members in enumerate(self._ones):
            coef = [1 if i in members else 0 for i in range(width)]
            coef[n + s] = -1  # surplus
            rows.append([*coef, 1])
        m = len(rows)
        tab = [
            [*coef[:-1], *[int(r == k) for k in range(m)], coef[-1]] for r, coef in enumerate(rows)
        ]
        tableau = _Tableau(tab, [width + r for r in range(m)], self._budget)
        phase1 = [0] * (width + m + 1)
        for row in tab:
            for j in range(width):
                phase1[j] -= row[j]
            phase1[-1] -= row[-1]
        _, phase1 = tableau.run(phase1, width)
        if phase1[-1] != 0:
            raise ValueError("the released sums contradict each other")
        keep: list[int] = []
        for r, b in enumerate(
            tableau.basis
        ):  # drive artificials out; a row that cannot is redundant
            if b >= width:
                col = next((j for j in range(width) if tableau.rows[r][j] != 0), None)
                if col is None:
                    continue
                tableau.pivot(r, col, [0] * (width + m + 1))
            keep.append(r)
        self._rows = [[*tableau.rows[r][:width], tableau.rows[r][-1]] for r in keep]
        self._basis = [tableau.basis[r] for r in keep]
        self.width = width
        self._keep(self._vertex(self._rows, self._basis))

    def _keep(self, point: Point) -> None:
        key = (tuple(point[0]), point[1])
        if key not in self._seen:
            self._seen.add(key)
            self.points.append(point)

    def _feasible(self, num: list[int], den: int) -> bool:
        return (
            all(v >= 0 for v in num)
            and all(sum(num[i] for i in m) == v * den for m, v in self._eqs)
            and all(sum(num[i] for i in m) >= den for m in self._ones)
        )

    def _vertex(self, rows: list[list[int]], basis: list[int]) -> Point:
        values = {b: Fraction(row[-1], row[b]) for row, b in zip(rows, basis, strict=True)}
        den = math.lcm(1, *(v.denominator for v in values.values()))
        num = [0] * self.n
        for b, v in values.items():
            if b < self.n:
                num[b] = v.numerator * (den // v.denominator)
        return num, den

    def minimum(self, objective: dict[int, int]) -> Fraction | float:
        """min objective·x over the polytope; ``-inf`` when unbounded. The vertex reached
        joins the points."""
        tableau = _Tableau([row[:] for row in self._rows], self._basis[:], self._budget)
        obj = [objective.get(j, 0) for j in range(self.width)] + [1, 0]
        for row, b in zip(tableau.rows, tableau.basis, strict=True):
            if obj[b]:
                obj = _reduced(obj, [*row[:-1], 0, row[-1]], row[b], obj[b])
        rows = [[*row[:-1], 0, row[-1]] for row in tableau.rows]  # the scale column
        tableau.rows = rows
        bounded, obj = tableau.run(obj, self.width)
        if not bounded:
            return -math.inf
        tableau.rows = [[*row[:-2], row[-1]] for row in tableau.rows]
        self._keep(self._vertex(tableau.rows, tableau.basis))
        return Fraction(-obj[-1], obj[-2])

    def _separated(self, members: Collection[int]) -> bool:
        """Two known points whose values have two integers in between (ceil and floor are
        monotone: the ceiling of the lowest value is the lowest ceiling)."""
        floors, ceilings = [], []
        for num, den in self.points:
            total = sum(num[i] for i in members)
            floors.append(total // den)
            ceilings.append(-(-total // den))
        return max(floors) - min(ceilings) >= 1

    def is_determined(self, members: Collection[int]) -> bool:
        """True when at most one integer is possible: ceil(min) >= floor(max). Raises
        ``Unproven`` past the pivot budget."""
        if self._separated(members):
            return False
        low = self.minimum({i: 1 for i in members})
        if self._separated(members):
            return False
        high = -self.minimum({i: -1 for i in members})
        return high != math.inf and math.ceil(low) >= math.floor(high)
