"""A three-way indicator as the two-way tables the directives use (issue 21 item 4).

Thông tư 13/2021/TT-BLĐTBXH breaks indicator 0101 (abused children) down by sex and by setting
of abuse, each with the form of abuse (DOMAIN §5); the children of counselling calls are
reported by age group and sex, and by province and sex. When a three-way table cannot keep its
grand total and its one-way margins at or above the threshold (hiding inner cells could not
protect them), the same counts are offered as those two-way tables: the cells of the three-way
table with the third dimension summed (``"*"``). They are cells of the same family of tables,
so the ledger checks them against every earlier release, three-way or two-way, like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caseintake.domain.statistics.linked import Atom, AtomIndex
from caseintake.domain.statistics.protect import NewTable, protect
from caseintake.domain.statistics.suppression import PublishedTable, publish
from caseintake.domain.statistics.tables import ALL, CountTable, Key, stars

TWO_WAY: dict[str, tuple[tuple[str, str], ...]] = {
    "abused_children_0101": (("abuse_form", "sex"), ("abuse_form", "setting")),
    "contact_children_by_age_sex_province": (("age_group", "sex"), ("province", "sex")),
}


def totals_lost(values: Mapping[Key, int | None], truth: Mapping[Key, int], threshold: int) -> bool:
    """True when the grand total or a one-way margin at or above ``threshold`` is hidden."""
    return any(
        values.get(key, 0) is None and truth[key] >= threshold
        for key in truth
        if len(key) > 1 and stars(key) >= len(key) - 1
    )


def two_way_keys(indicator_id: str, dimensions: tuple[str, ...], keys: Iterable[Key]) -> list[Key]:
    """The cells of ``keys`` that belong to one of the indicator's two-way tables (every
    dimension outside the pair summed), margins and grand total included, in order."""
    pairs = [{dimensions.index(a), dimensions.index(b)} for a, b in TWO_WAY.get(indicator_id, ())]
    return [
        k
        for k in keys
        if any(all(code == ALL for d, code in enumerate(k) if d not in pair) for pair in pairs)
    ]


def hidden_two_way(
    indicator_id: str, table: CountTable, threshold: int, exact: bool = True
) -> frozenset[Key]:
    """What the two-way tables of ``table`` hide, checked as their own ledger of one release
    (the screen's view; an export is checked against the ledger in ``publication``)."""
    block = frozenset({0})
    index = AtomIndex(Atom(block, k, v) for k, v in table.inner().items())
    keys = two_way_keys(indicator_id, table.dimensions, table.values)
    new = NewTable(block, {k: table.values[k] for k in keys})
    return protect(index, 1, (), new, threshold, exact=exact)


def on_screen(
    indicator_id: str, table: CountTable, threshold: int, two_way: bool
) -> PublishedTable:
    """What the statistics screen shows (nothing leaves: no ledger, propagation only)."""
    if not (two_way and indicator_id in TWO_WAY):
        return publish(table, threshold, exact=False)
    hidden = hidden_two_way(indicator_id, table, threshold, exact=False)
    keys = two_way_keys(indicator_id, table.dimensions, table.values)
    return PublishedTable(
        table.dimensions, threshold, {k: (None if k in hidden else table.values[k]) for k in keys}
    )
