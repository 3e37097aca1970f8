"""Which periods may leave the building as an export (issue 21).

On screen a supervisor may look at any range. An export is limited to periods that are whole
calendar units (a day, a week from Monday to Sunday, a month, a quarter, a half year, a year)
or a period of the directives' reporting calendar (``rules/reporting.toml``): ranges cut at
arbitrary days are what a differencing attack needs, and they serve no report.
"""

from __future__ import annotations

import calendar as months
from datetime import date, timedelta

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.calendar import rules
from caseintake.domain.statistics.periods import Period


def _month_end(year: int, month: int) -> date:
    return date(year, month, months.monthrange(year, month)[1])


def _whole_months(period: Period, length: int, starts: tuple[int, ...]) -> bool:
    start, end = period.start, period.end
    if start.day != 1 or start.month not in starts:
        return False
    last_month = start.month + length - 1
    return last_month <= 12 and end == _month_end(start.year, last_month)


def _in_calendar(period: Period) -> bool:
    for rule in rules():
        try:
            first = date(period.end.year, *rule.period_start)
            last = date(period.end.year, *rule.period_end)
        except ValueError:  # 29 February in a common year
            continue
        if (period.start, period.end) == (first, last):
            return True
    return False


def is_exportable(period: Period) -> bool:
    start, end = period.start, period.end
    return (
        start == end
        or (start.weekday() == 0 and end == start + timedelta(days=6))
        or _whole_months(period, 1, tuple(range(1, 13)))
        or _whole_months(period, 3, (1, 4, 7, 10))
        or _whole_months(period, 6, (1, 7))
        or _whole_months(period, 12, (1,))
        or _in_calendar(period)
    )


def check_exportable(period: Period) -> Period:
    if not is_exportable(period):
        raise DomainError(
            "publication.not_exportable",
            start=period.start.strftime("%d/%m/%Y"),
            end=period.end.strftime("%d/%m/%Y"),
        )
    return period
