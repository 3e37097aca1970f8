"""The publication ledger's rows: every table that left, read back for the next export, and the
threshold floor. Functions take a session and never commit: the service owns the transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.suppression import DEFAULT_THRESHOLD
from caseintake.domain.statistics.tables import Key
from caseintake.store.models import StatisticsFloor, StatisticsRelease


@dataclass(frozen=True)
class Recorded:
    first: date
    last: date
    cells: dict[Key, int | None]


def _cells(text: str) -> dict[Key, int | None]:
    return {tuple(str(c) for c in row[:-1]): row[-1] for row in json.loads(text)}


def linked_releases(s: Session, indicator: str, period: Period) -> list[Recorded]:
    """The releases of ``indicator`` joined to ``period`` by overlapping periods, directly or
    through one another (what a reader can combine with the new table), oldest first."""
    rows = s.execute(
        select(StatisticsRelease.first_day, StatisticsRelease.last_day, StatisticsRelease.cells)
        .where(StatisticsRelease.indicator == indicator)
        .order_by(StatisticsRelease.id)
    ).all()
    spans = [(first, last) for first, last, _ in rows]
    joined: set[int] = set()
    reach = [(period.start, period.end)]
    while reach:
        start, end = reach.pop()
        for i, (first, last) in enumerate(spans):
            if i not in joined and first <= end and start <= last:
                joined.add(i)
                reach.append((first, last))
    return [Recorded(rows[i][0], rows[i][1], _cells(rows[i][2])) for i in sorted(joined)]


def last_id(s: Session) -> int:
    return int(s.scalar(select(func.coalesce(func.max(StatisticsRelease.id), 0))) or 0)


def record(
    s: Session,
    export_id: str,
    indicator: str,
    period: Period,
    threshold: int,
    who: str,
    when: datetime,
    destination: str,
    cells: dict[Key, int | None],
) -> None:
    s.add(
        StatisticsRelease(
            export_id=export_id,
            indicator=indicator,
            first_day=period.start,
            last_day=period.end,
            threshold=threshold,
            released_at=when,
            released_by=who,
            destination=destination,
            cells=json.dumps([[*k, v] for k, v in cells.items()], ensure_ascii=False),
        )
    )


def floor(s: Session) -> int:
    row = s.get(StatisticsFloor, 1)
    return DEFAULT_THRESHOLD if row is None else row.floor


def set_floor(s: Session, value: int, who: str, when: datetime) -> int:
    """Store the floor; returns the one it replaces."""
    row = s.get(StatisticsFloor, 1)
    before = DEFAULT_THRESHOLD if row is None else row.floor
    if row is None:
        s.add(StatisticsFloor(id=1, floor=value, updated_at=when, updated_by=who))
    else:
        row.floor, row.updated_at, row.updated_by = value, when, who
    return before
