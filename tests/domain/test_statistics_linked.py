"""Linked tables: random tables and random sequences of overlapping exports, each suppressed
against every earlier one (``protect``), then attacked by a reader who solves an exact linear
programme over everything released (``exact_lp``): no hidden cell of any export
is ever determined, and no small count of any period made of whole blocks either.

Units are counted like contacts (one day each) or like cases (every day they had a contact
on, counted once per period: the union of two periods is not the sum of its parts).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.exact_lp import Polytope
from caseintake.domain.statistics.linked import (
    Atom,
    AtomIndex,
    Release,
    blocks_of,
    cut,
    release_rows,
    small_targets,
)
from caseintake.domain.statistics.protect import NewTable, protect
from caseintake.domain.statistics.tables import Key, build_table

Unit = tuple[frozenset[int], Key]  # the days a unit was counted on, its codes
Period = tuple[int, int]


def atoms_for(units: Sequence[Unit], blocks: Sequence[Period]) -> list[Atom]:
    counts: dict[tuple[frozenset[int], Key], int] = {}
    for days, key in units:
        sig = frozenset(i for i, (s, e) in enumerate(blocks) if any(s <= d <= e for d in days))
        if sig:
            counts[(sig, key)] = counts.get((sig, key), 0) + 1
    return [Atom(sig, key, n) for (sig, key), n in counts.items()]


def table_of(units: Sequence[Unit], period: Period, dims: int) -> dict[Key, int]:
    inner: dict[Key, int] = {}
    for days, key in units:
        if any(period[0] <= d <= period[1] for d in days):
            inner[key] = inner.get(key, 0) + 1
    return dict(build_table([f"d{i}" for i in range(dims)], inner).values)


def run_ledger(
    units: Sequence[Unit], periods: Sequence[Period], dims: int, threshold: int
) -> list[tuple[Period, dict[Key, int | None]]]:
    """Export each period in turn, as the service does: cut blocks, protect, record."""
    ledger: list[tuple[Period, dict[Key, int | None]]] = []
    for period in periods:
        blocks = cut([p for p, _ in ledger] + [period])
        index = AtomIndex(atoms_for(units, blocks))
        prior = [Release(blocks_of(p, blocks), cells) for p, cells in ledger]
        values = table_of(units, period, dims)
        try:
            hidden = protect(
                index, len(blocks), prior, NewTable(blocks_of(period, blocks), values), threshold
            )
        except DomainError:
            continue  # refused: nothing leaves, nothing is recorded
        ledger.append((period, {k: (None if k in hidden else v) for k, v in values.items()}))
    return ledger


def reader_solves(
    units: Sequence[Unit], ledger: Sequence[tuple[Period, dict[Key, int | None]]], threshold: int
) -> list[str]:
    """What a reader with an exact LP works out: hidden cells and small period counts."""
    blocks = cut([p for p, _ in ledger])
    index = AtomIndex(atoms_for(units, blocks))
    releases = [Release(blocks_of(p, blocks), cells) for p, cells in ledger]
    published, hidden = release_rows(index, releases)
    eqs = [(sorted(m), v) for m, v in published.items()]
    ones = [sorted(m) for m in hidden]
    polytope = Polytope(eqs, ones, len(index.atoms))
    found = []
    for members in {*hidden, *small_targets(index, len(blocks), threshold)}:
        if members and polytope.is_determined(members):
            found.append(str(sorted(index.atoms[i].key for i in members)))
    return found


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Unit], list[Period], int, int]:
    dims = draw(st.integers(1, 2))
    sizes = [draw(st.integers(2, 3)) for _ in range(dims)]
    keys = list(product(*[[f"c{i}" for i in range(n)] for n in sizes]))
    days = draw(st.integers(2, 5))
    threshold = draw(st.integers(3, 6))
    spanning = draw(st.booleans())  # cases counted on several days, or contacts on one
    units: list[Unit] = []
    for key in keys:
        for _ in range(draw(st.integers(0, 9))):
            first = draw(st.integers(1, days))
            last = draw(st.integers(first, min(days, first + 1))) if spanning else first
            units.append((frozenset(range(first, last + 1)), key))
    count = draw(st.integers(2, 4))
    periods = []
    for _ in range(count):
        first = draw(st.integers(1, days))
        periods.append((first, draw(st.integers(first, days))))
    return units, periods, dims, threshold


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_hidden_cell_is_ever_determined_by_everything_released(
    case: tuple[list[Unit], list[Period], int, int],
) -> None:
    units, periods, dims, threshold = case
    ledger = run_ledger(units, periods, dims, threshold)
    for _period, cells in ledger:
        for key, value in cells.items():
            assert value is None or not 1 <= value < threshold, f"small cell {key}={value}"
    assert reader_solves(units, ledger, threshold) == []


def test_the_difference_of_two_nested_periods_is_protected() -> None:
    # 1..25 and 1..24 published in full would give day 25 away: 3 follow-ups.
    units: list[Unit] = [(frozenset({d}), ("report",)) for d in range(1, 25) for _ in range(2)]
    units += [(frozenset({25}), ("follow_up",))] * 3 + [
        (frozenset({d}), ("follow_up",)) for d in range(1, 25)
    ]
    units += [(frozenset({25}), ("report",))] * 12
    ledger = run_ledger(units, [(25, 25), (1, 25), (1, 24)], 1, 10)
    day = dict(ledger[0][1])
    assert day[("follow_up",)] is None
    assert [p for p, _ in ledger] == [(25, 25), (1, 25), (1, 24)]
    assert reader_solves(units, ledger, 10) == []
    whole, before = ledger[1][1], ledger[2][1]
    for key, value in whole.items():
        earlier = before.get(key)
        if value is not None and earlier is not None:
            assert not 1 <= value - earlier < 10, f"{key}: {value} - {earlier} is small"


def test_the_reader_finds_what_publishing_everything_would_tell() -> None:
    """The attack of issue 21, against tables published with no ledger: the LP finds it."""
    units: list[Unit] = [(frozenset({d}), ("report",)) for d in range(1, 25) for _ in range(2)]
    units += [(frozenset({25}), ("follow_up",))] * 3
    units += [(frozenset({d}), ("follow_up",)) for d in range(1, 25)]
    naive = [(p, dict(table_of(units, p, 1))) for p in [(1, 25), (1, 24)]]
    cells: dict[Key, int | None] = {k: v for k, v in naive[1][1].items()}
    assert reader_solves(units, [naive[0], ((1, 24), cells)], 10) != []


def test_a_second_export_of_the_same_period_hides_the_same_cells() -> None:
    units: list[Unit] = [(frozenset({1}), (f"c{i % 4}",)) for i in range(43)]
    units += [(frozenset({1}), ("c9",))] * 2
    first, second = run_ledger(units, [(1, 1), (1, 1)], 1, 10)
    assert first[1] == second[1]


@pytest.mark.parametrize("spanning", [False, True])
def test_the_export_is_refused_when_nothing_it_hides_can_protect_an_earlier_one(
    spanning: bool,
) -> None:
    # Day 2 alone was published whole (12 and 12); 1..2 then holds a 3 on day 1 that its own
    # totals would give away unless hidden, and hiding is what it does: nothing is refused.
    days = frozenset({1, 2}) if spanning else frozenset({1})
    units: list[Unit] = [(frozenset({2}), ("a",))] * 12 + [(frozenset({2}), ("b",))] * 12
    units += [(days, ("a",))] * 3
    ledger = run_ledger(units, [(2, 2), (1, 2)], 1, 10)
    assert reader_solves(units, ledger, 10) == []


def test_more_than_a_hundred_atoms_are_checked_exactly() -> None:
    # 34 codes on 3 days, exported as days 1-3, 2-3 and 3: 102 atoms (the LP used to stop at
    # 100 and leave the rest to propagation), four codes small; the exact reader finds nothing.
    units: list[Unit] = [
        (frozenset({day}), (f"c{code:02}",))
        for code in range(34)
        for day in (1, 2, 3)
        for _ in range(1 + day + code if code < 4 else 10 + (code * 7 + day * 3) % 13)
    ]
    blocks = cut([(1, 3), (2, 3), (3, 3)])
    assert len(atoms_for(units, blocks)) > 100
    ledger = run_ledger(units, [(1, 3), (2, 3), (3, 3)], 1, 10)
    assert len(ledger) == 3 and any(None in cells.values() for _, cells in ledger)
    assert reader_solves(units, ledger, 10) == []
