"""One table of an export, suppressed against the ledger: the earlier releases of the same
indicator that overlap its period (directly or through one another) are read back, the days
are cut into blocks at every boundary, the atoms counted over the blocks, and ``protect``
chooses what the new table hides so that, with everything released so far, no hidden cell and
no small count of any run of blocks can be worked out.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.indicators import OPT_IN, Indicator
from caseintake.domain.statistics.lines import line_suppression
from caseintake.domain.statistics.linked import AtomIndex, Release, blocks_of, cut
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.protect import NewTable, protect
from caseintake.domain.statistics.suppression import PublishedTable
from caseintake.domain.statistics.tables import CountTable, build_table
from caseintake.domain.statistics.two_way import TWO_WAY, two_way_keys
from caseintake.services.statistics import ledger
from caseintake.services.statistics.linked_counts import atoms


def _days(first: date, last: date) -> tuple[int, int]:
    return first.toordinal(), last.toordinal()


def linked_table(
    s: Session,
    indicator: Indicator,
    period: Period,
    threshold: int,
    sqlite: bool,
    now: datetime,
    two_way: bool = False,
) -> tuple[CountTable, PublishedTable]:
    """The table of ``period`` (counted from the atoms) and what of it may leave; with
    ``two_way``, only the cells of the indicator's two-way tables (``domain.two_way``), checked
    against the same releases, since they are sums of the same units."""
    earlier = ledger.linked_releases(s, indicator.id, period)
    spans = [_days(r.first, r.last) for r in earlier]
    day_blocks = cut([*spans, _days(period.start, period.end)])
    blocks = [(date.fromordinal(a), date.fromordinal(b)) for a, b in day_blocks]
    index = AtomIndex(atoms(s, indicator.id, blocks, sqlite, now))
    mine = blocks_of(_days(period.start, period.end), day_blocks)
    inner: dict[tuple[str, ...], int] = {}
    for atom in index.atoms:
        if atom.blocks & mine:
            inner[atom.key] = inner.get(atom.key, 0) + atom.count
    table = build_table(indicator.dimensions, inner)
    prior = [
        Release(blocks_of(span, day_blocks), r.cells)
        for span, r in zip(spans, earlier, strict=True)
    ]
    values = dict(table.values)
    if two_way and indicator.id in TWO_WAY:
        values = {k: values[k] for k in two_way_keys(indicator.id, table.dimensions, values)}
        seed = frozenset[tuple[str, ...]]()
    else:
        seed = line_suppression(table, threshold)
    hidden = protect(index, len(day_blocks), prior, NewTable(mine, values), threshold, seed)
    if indicator.id in OPT_IN and hidden:
        raise DomainError("stats.commune_small", threshold=threshold)
    return table, PublishedTable(
        table.dimensions,
        threshold,
        {k: (None if k in hidden else v) for k, v in values.items()},
    )
