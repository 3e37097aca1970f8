"""Issue 21 item 4: a three-way indicator that cannot keep its grand total and one-way margins
leaves as the two-way tables the directives use, and they are checked like any release: a
reader with an exact LP over everything published (the three-way table too, when it left
first) works out no hidden cell and no small count.
"""

from __future__ import annotations

from caseintake.domain.statistics.exact_lp import Polytope
from caseintake.domain.statistics.linked import (
    Atom,
    AtomIndex,
    Release,
    release_rows,
    small_targets,
)
from caseintake.domain.statistics.protect import NewTable, protect
from caseintake.domain.statistics.suppression import hidden_cells
from caseintake.domain.statistics.tables import ALL, Key, build_table, stars
from caseintake.domain.statistics.two_way import (
    hidden_two_way,
    on_screen,
    totals_lost,
    two_way_keys,
)

ID = "abused_children_0101"
DIMS = ("abuse_form", "sex", "setting")
INNER: dict[Key, int] = {
    ("violence", "female", "family"): 6,
    ("violence", "female", "school"): 6,
    ("violence", "male", "family"): 3,
    ("violence", "male", "school"): 12,
    ("sexual_abuse", "female", "family"): 6,
    ("sexual_abuse", "female", "school"): 6,
    ("sexual_abuse", "male", "family"): 1,
    ("neglect", "female", "family"): 12,
    ("neglect", "female", "school"): 12,
    ("neglect", "male", "family"): 1,
    ("neglect", "male", "school"): 1,
}
TABLE = build_table(DIMS, INNER)
BLOCK = frozenset({0})


def reader_finds(releases: list[dict[Key, int | None]]) -> list[Key | str]:
    """Everything an exact LP over all ``releases`` (one period) pins down."""
    index = AtomIndex(Atom(BLOCK, k, v) for k, v in INNER.items())
    published, hidden = release_rows(index, [Release(BLOCK, cells) for cells in releases])
    polytope = Polytope(
        [(sorted(m), v) for m, v in published.items()],
        [sorted(m) for m in hidden],
        len(index.atoms),
    )
    targets = {*hidden, *small_targets(index, 1, 10)}
    return [str(sorted(m)) for m in targets if m and polytope.is_determined(m)]


def test_the_two_way_tables_are_the_pairs_of_the_directive() -> None:
    keys = two_way_keys(ID, DIMS, TABLE.values)
    assert keys and all(ALL in k for k in keys)  # no inner cell of the three-way table
    assert all(k[1] == ALL or k[2] == ALL for k in keys)  # form x sex, form x setting
    assert ("violence", "female", ALL) in keys and ("violence", ALL, "school") in keys
    assert (ALL, "female", "school") not in keys  # sex x setting is not one of them
    assert two_way_keys("contacts_by_type", ("contact_type",), [("report",)]) == []


def test_a_three_way_table_that_loses_its_margins_keeps_them_as_two_way_tables() -> None:
    three = hidden_cells(TABLE, 10)
    cells3 = {k: (None if k in three else v) for k, v in TABLE.values.items()}
    assert totals_lost(cells3, TABLE.values, 10)  # e.g. the girls, 48, hidden
    two = hidden_two_way(ID, TABLE, 10)
    cells2 = {
        k: (None if k in two else TABLE.values[k]) for k in two_way_keys(ID, DIMS, TABLE.values)
    }
    assert not totals_lost(cells2, TABLE.values, 10)
    for key, value in cells2.items():
        if stars(key) >= 2 and TABLE.values[key] >= 10:
            assert value == TABLE.values[key], f"{key} hidden"
        assert value is None or not 1 <= value < 10
    assert reader_finds([cells2]) == []
    assert reader_finds([cells3]) == []


def test_two_way_tables_after_the_three_way_table_are_checked_against_it() -> None:
    index = AtomIndex(Atom(BLOCK, k, v) for k, v in INNER.items())
    three = hidden_cells(TABLE, 10)
    cells3 = {k: (None if k in three else v) for k, v in TABLE.values.items()}
    keys = two_way_keys(ID, DIMS, TABLE.values)
    new = NewTable(BLOCK, {k: TABLE.values[k] for k in keys})
    two = protect(index, 1, [Release(BLOCK, cells3)], new, 10)
    cells2 = {k: (None if k in two else TABLE.values[k]) for k in keys}
    assert reader_finds([cells3, cells2]) == []
    # Published alone they would keep the margins: after the three-way table, they cannot.
    assert totals_lost(cells2, TABLE.values, 10)


def test_the_screen_shows_the_two_way_tables_only_when_asked() -> None:
    assert set(on_screen(ID, TABLE, 10, False).values) == set(TABLE.values)
    assert set(on_screen(ID, TABLE, 10, True).values) == set(two_way_keys(ID, DIMS, TABLE.values))
    one_way = build_table(("contact_type",), {("report",): 30})
    assert on_screen("contacts_by_type", one_way, 10, True).values == one_way.values
