"""Reporting periods in Viet Nam time: a month, six months, a year, the Month of Action, any range.

A period is a closed range of local calendar days. Its UTC bounds run from 00:00 (UTC+7) of the
first day to 00:00 of the day after the last, so a call at 23:30 on 30 June in Hà Nội belongs
to June whatever the server's clock says. The Month of Action for children runs 1–30 June
(Công văn của Sở LĐTBXH tỉnh Lạng Sơn ngày 25/4/2019 triển khai Tháng hành động vì trẻ em).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.deadlines import VN_TZ

PeriodKind = Literal["month", "six_months", "year", "month_of_action", "range"]

MAX_DAYS = 366 * 10  # nobody reports on more than ten years at once


@dataclass(frozen=True)
class Period:
    """Local days ``start`` to ``end``, both included."""

    start: date
    end: date
    kind: PeriodKind = "range"

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise DomainError(
                "stats.period_reversed", start=self.start.isoformat(), end=self.end.isoformat()
            )
        if (self.end - self.start).days > MAX_DAYS:
            raise DomainError("stats.period_too_long", years=MAX_DAYS // 366)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month")

    @classmethod
    def six_months(cls, year: int, half: int) -> Period:
        """The first (January–June) or second (July–December) half of a year."""
        if half not in (1, 2):
            raise DomainError("stats.bad_half", half=half)
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30), "six_months")
        return cls(date(year, 7, 1), date(year, 12, 31), "six_months")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def month_of_action(cls, year: int) -> Period:
        """Tháng hành động vì trẻ em: 1 to 30 June."""
        return cls(date(year, 6, 1), date(year, 6, 30), "month_of_action")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(start, end, "range")

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        """Two days (``dd/mm/yyyy`` or ``YYYY-MM-DD``); a DomainError names a bad one."""
        return cls(parse_day(start), parse_day(end), "range")

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end): local midnight of the first day to local midnight after the last."""
        first = datetime.combine(self.start, time(0), VN_TZ).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), VN_TZ).astimezone(UTC)
        return first, after

    def contains(self, moment: datetime) -> bool:
        first, after = self.utc_bounds()
        return first <= moment.astimezone(UTC) < after

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def parse_day(text: str) -> date:
    """A day as people in Viet Nam write it, ``dd/mm/yyyy``, or ``YYYY-MM-DD``; a DomainError
    names a bad one (issue 19, item 9: the same dates as the case search)."""
    text = str(text).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            if len(text) == 10:  # two digits for day and month: "2026-1-1" is a slip
                return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError("stats.bad_date", value=text[:20])
