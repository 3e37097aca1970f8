"""Legal deadlines in Viet Nam time: immediately, hours, working days and calendar days.

A deadline is written in the rules file as a compact spec: ``immediately``, ``12h``, ``5wd``
(working days) or ``15d`` (calendar days). ``due_at`` turns a spec and a receipt time into an
aware datetime, always returned in UTC; ``to_local`` shows it in Viet Nam time.

What "N working days from receipt" means here (Decree 56/2017/NĐ-CP ch. III counts the support
plan in working days; the counting follows Bộ luật Dân sự 2015 Arts. 147–148):

* the day of receipt is never counted, whatever the hour, so a report at 23:30 on a Friday and
  one at 08:00 on that Friday have the same deadline (Civil Code Art. 147(1): a period in days
  starts on the next day);
* counting starts on the next working day, so a report on a Saturday or on a holiday starts its
  count on the first working day after it;
* the deadline falls at the end of office hours (17:00 local by default) of the N-th working day
  [check: Civil Code Art. 148 would end the day at 24:00; 17:00 is stricter and configurable
  through ``WorkingCalendar.office_close``].

Hours run on the clock (Viet Nam has had no daylight saving since 1975, so 12 h is 12 h), and
calendar days are N × 24 h from receipt [check: stricter than the Civil Code's end-of-day
reading, so a 15-day separation never overruns].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from typing import Literal

import holidays

from caseintake.domain.errors import DomainError
from caseintake.i18n import t

DeadlineKind = Literal["immediately", "hours", "working_days", "days"]

_SPEC = re.compile(r"^(?P<n>[1-9][0-9]{0,3})(?P<unit>h|wd|d)$")
_UNITS: dict[str, DeadlineKind] = {"h": "hours", "wd": "working_days", "d": "days"}
_SUFFIX: dict[DeadlineKind, str] = {"hours": "h", "working_days": "wd", "days": "d"}
_MAX_SPEC_LENGTH = 16
_MAX_N = 366  # no legal deadline in this field runs longer than a year


def _viet_nam_tz() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo("Asia/Ho_Chi_Minh")
        except (ZoneInfoNotFoundError, ValueError):
            pass
    except ImportError:  # pragma: no cover - zoneinfo is in the standard library since 3.9
        pass
    # Without tzdata a fixed offset is exact: Viet Nam has kept UTC+7 without DST since 1975.
    return timezone(timedelta(hours=7), "ICT")


VN_TZ: tzinfo = _viet_nam_tz()


def to_local(moment: datetime) -> datetime:
    """The same instant in Viet Nam time (for display)."""
    return _require_aware(moment).astimezone(VN_TZ)


def format_local(moment: datetime) -> str:
    """``dd/mm/yyyy HH:MM`` in Viet Nam time, the way operators read dates."""
    return to_local(moment).strftime("%d/%m/%Y %H:%M")


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError("deadline.naive_time", value=moment.isoformat())
    return moment


@cache
def _vn_holidays() -> holidays.HolidayBase:
    # A maintained calendar with the lunar holidays and the observed/substitute days (STYLE §9).
    this_year = datetime.now(UTC).year
    return holidays.country_holidays("VN", years=range(this_year - 5, this_year + 6))


@lru_cache(maxsize=8192)
def _vn_working_day(day: date) -> bool:
    """The package's answer, kept: asking it costs tens of µs a day, and the queue asks for
    the same days on every page (issue 23)."""
    return bool(_vn_holidays().is_working_day(day))


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days of Vietnamese public offices: Monday to Friday minus public holidays.

    ``extra_closures`` adds days off decided locally or after the package was released;
    ``extra_working_days`` adds make-up working days (the package already knows the official
    swapped Saturdays). ``office_close`` is when a working-day deadline falls [check].
    """

    office_close: time = time(17, 0)
    extra_closures: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_closures:
            return False
        if day in self.extra_working_days:
            return True
        return _vn_working_day(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, received_at: datetime, n: int) -> datetime:
        """End of office hours of the N-th working day after the day of receipt, in UTC."""
        day = to_local(received_at).date()
        for _ in range(n):
            day = self.next_working_day(day)
        return datetime.combine(day, self.office_close, VN_TZ).astimezone(UTC)


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline spec; ``n`` is 0 for ``immediately``."""

    kind: DeadlineKind
    n: int = 0

    @classmethod
    def parse(cls, spec: str) -> Deadline:
        """``immediately``, ``<n>h``, ``<n>wd`` or ``<n>d``; a DomainError names a bad spec."""
        if not isinstance(spec, str) or len(spec) > _MAX_SPEC_LENGTH:
            raise DomainError("deadline.bad_spec", spec=str(spec)[:_MAX_SPEC_LENGTH])
        return _parse(spec)

    @property
    def spec(self) -> str:
        return "immediately" if self.kind == "immediately" else f"{self.n}{_SUFFIX[self.kind]}"

    def due_at(self, received_at: datetime, calendar: WorkingCalendar) -> datetime:
        received = _require_aware(received_at).astimezone(UTC)
        try:
            return self._due(received, calendar)
        except OverflowError:
            raise DomainError("deadline.out_of_range", value=received.isoformat()) from None

    def _due(self, received: datetime, calendar: WorkingCalendar) -> datetime:
        if self.kind == "immediately":
            return received  # Decree 56/2017 ch. III: forward "chuyển ngay", due at receipt
        if self.kind == "hours":
            return received + timedelta(hours=self.n)
        if self.kind == "days":
            return received + timedelta(days=self.n)
        return calendar.add_working_days(received, self.n)

    def label(self, lang: str | None = None) -> str:
        """A readable form such as "5 ngày làm việc"."""
        return t(f"deadline.kind.{self.kind}", lang, n=self.n)

    def __str__(self) -> str:
        return self.spec


@cache
def _parse(spec: str) -> Deadline:
    text = spec.strip().lower()
    if text == "immediately":
        return Deadline("immediately")
    match = _SPEC.match(text)
    if match is None or int(match["n"]) > _MAX_N:
        raise DomainError("deadline.bad_spec", spec=spec)
    return Deadline(_UNITS[match["unit"]], int(match["n"]))


def is_valid_spec(spec: str) -> bool:
    try:
        Deadline.parse(spec)
    except DomainError:
        return False
    return True


def due_at(received_at: datetime, spec: str | Deadline, calendar: WorkingCalendar) -> datetime:
    """When a duty with this deadline falls due, in UTC."""
    deadline = spec if isinstance(spec, Deadline) else Deadline.parse(spec)
    return deadline.due_at(received_at, calendar)
