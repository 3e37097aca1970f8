"""Linked tables: every release of one family of tables, over the periods of the ledger, as
one system of sums a reader can solve.

The days of all the periods involved are cut into *blocks* at every period boundary. An
*atom* is the count of the units (contacts, children, cases...) of one inner combination of
codes that were counted in exactly one set of blocks: a contact is counted in one block, a case
with contacts on 30 November and on 1 December in two. A published cell of a period is then the
sum of the atoms whose key matches the cell's codes (``"*"`` matches any code) and whose blocks
meet the period: a linear sum of non-negative integers. What every release published, taken
together, is what a reader knows; statistical offices call this the linked-tables problem.

The atoms are the combinations that occur in the data. A reader who does not know which occur
has more unknowns, so the checks here are made against a reader who knows more than any real
one: a cell undetermined here is undetermined for anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise, product

from caseintake.domain.statistics.tables import ALL, Key

Blocks = frozenset[int]


@dataclass(frozen=True)
class Atom:
    blocks: Blocks  # the blocks in which these units were counted (one for a contact)
    key: Key  # inner codes over the family's dimensions (no "*")
    count: int


@dataclass(frozen=True)
class Release:
    """One released table: its period as blocks and each cell's value, ``None`` if hidden."""

    blocks: Blocks
    cells: Mapping[Key, int | None]


def matches(pattern: Key, key: Key) -> bool:
    return all(p in (ALL, k) for p, k in zip(pattern, key, strict=True))


class AtomIndex:
    """The atoms of a family, numbered, with the cell sums over them."""

    def __init__(self, atoms: Iterable[Atom]) -> None:
        self.atoms = tuple(a for a in atoms if a.count > 0)
        self._cache: dict[tuple[Blocks, Key], frozenset[int]] = {}

    def members(self, blocks: Blocks, pattern: Key) -> frozenset[int]:
        """The atoms summed by the cell ``pattern`` of a period made of ``blocks``."""
        found = self._cache.get((blocks, pattern))
        if found is None:
            found = frozenset(
                i for i, a in enumerate(self.atoms) if a.blocks & blocks and matches(pattern, a.key)
            )
            self._cache[(blocks, pattern)] = found
        return found

    def value(self, members: frozenset[int]) -> int:
        return sum(self.atoms[i].count for i in members)

    def patterns(self) -> set[Key]:
        """Every cell a table of the family can have: codes that occur, or ``"*"``."""
        out: set[Key] = set()
        for a in self.atoms:
            out.update(product(*[(code, ALL) for code in a.key]))
        return out


@dataclass(frozen=True)
class Target:
    """A sum that must stay undetermined: a hidden cell, or a small count of some period."""

    members: frozenset[int]
    at_least_one: bool  # a hidden cell is listed, so the reader knows it is not zero


def contiguous_ranges(count: int) -> list[Blocks]:
    """Every period made of whole blocks in a row: the periods someone could ask for."""
    return [frozenset(range(i, j + 1)) for i in range(count) for j in range(i, count)]


def small_targets(
    index: AtomIndex, block_count: int, threshold: int
) -> dict[frozenset[int], Target]:
    """Every count from 1 to ``threshold - 1`` of any run of blocks and any cell pattern."""
    out: dict[frozenset[int], Target] = {}
    patterns = index.patterns()
    for blocks in contiguous_ranges(block_count):
        for pattern in patterns:
            members = index.members(blocks, pattern)
            if members and 1 <= index.value(members) < threshold:
                out[members] = Target(members, False)
    return out


def release_rows(
    index: AtomIndex, releases: Iterable[Release]
) -> tuple[dict[frozenset[int], int], dict[frozenset[int], Target]]:
    """The published sums (members -> value) and the hidden cells of all ``releases``.

    A release says which cells it hid; the values are today's, counted from the atoms: an
    earlier export counted before a record was corrected still shows the reader the same sums.
    """
    published: dict[frozenset[int], int] = {}
    hidden: dict[frozenset[int], Target] = {}
    for release in releases:
        for pattern, value in release.cells.items():
            members = index.members(release.blocks, pattern)
            if value is None:
                hidden[members] = Target(members, True)
            else:
                published[members] = index.value(members)
    return published, hidden


def cut(periods: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The blocks: the days of ``periods`` (first and last day numbers, e.g. ordinals) cut at
    every first day and after every last day, keeping only days some period covers."""
    spans = sorted(set(periods))
    edges = sorted({s for s, _ in spans} | {e + 1 for _, e in spans})
    return [
        (first, nxt - 1)
        for first, nxt in pairwise(edges)
        if any(s <= first and nxt - 1 <= e for s, e in spans)
    ]


def blocks_of(period: tuple[int, int], blocks: Sequence[tuple[int, int]]) -> Blocks:
    """The numbers of the blocks that make up ``period`` (a union of them, by ``cut``)."""
    return frozenset(i for i, (s, e) in enumerate(blocks) if period[0] <= s and e <= period[1])
