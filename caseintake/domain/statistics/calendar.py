"""The directives' reporting calendar, read from ``rules/reporting.toml`` (data, STYLE §9).

Each report has a due day and the local days its figures cover; ``upcoming`` gives the next
due date of every report from a given day, with its period ready for an export.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from caseintake.domain.statistics.periods import Period

_RULES_PACKAGE = "caseintake.rules"
_FILE = "reporting.toml"


@dataclass(frozen=True)
class ReportRule:
    id: str
    due: tuple[int, int]  # month, day
    period_start: tuple[int, int]
    period_end: tuple[int, int]
    source: str
    source_short: str
    asks: str


@dataclass(frozen=True)
class DueReport:
    id: str
    due: date
    period: Period
    source: str
    source_short: str

    @property
    def title_key(self) -> str:
        return f"stats.report.{self.id}"


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    date(2024, month, day)  # a leap year: refuses 02-30 and the like
    return month, day


@cache
def rules() -> tuple[ReportRule, ...]:
    text = resources.files(_RULES_PACKAGE).joinpath(_FILE).read_text(encoding="utf-8")
    raw: dict[str, Any] = tomllib.loads(text)
    return tuple(
        ReportRule(
            id=key,
            due=_month_day(entry["due"]),
            period_start=_month_day(entry["period_start"]),
            period_end=_month_day(entry["period_end"]),
            source=str(entry["source"]),
            source_short=str(entry["source_short"]),
            asks=str(entry["asks"]),
        )
        for key, entry in raw["report"].items()
    )


@cache
def data_basis() -> tuple[str, str]:
    """The document that asks for data under Thông tư 13/2021 (full and short citation)."""
    text = resources.files(_RULES_PACKAGE).joinpath(_FILE).read_text(encoding="utf-8")
    entry = tomllib.loads(text)["data_basis"]
    return str(entry["source"]), str(entry["source_short"])


def _on_or_before(month_day: tuple[int, int], limit: date) -> date:
    candidate = date(limit.year, *month_day)
    return candidate if candidate <= limit else date(limit.year - 1, *month_day)


def due_on(rule: ReportRule, due: date) -> DueReport:
    """The report of ``rule`` due on ``due``: its period ends before the due day."""
    end = _on_or_before(rule.period_end, date.fromordinal(due.toordinal() - 1))
    start = _on_or_before(rule.period_start, end)
    period = Period(start, end, "month_of_action" if rule.id == "month_of_action" else "range")
    return DueReport(rule.id, due, period, rule.source, rule.source_short)


def upcoming(today: date) -> list[DueReport]:
    """The next due date of each report, on or after ``today``, soonest first."""
    out = []
    for rule in rules():
        due = date(today.year, *rule.due)
        if due < today:
            due = date(today.year + 1, *rule.due)
        out.append(due_on(rule, due))
    return sorted(out, key=lambda r: (r.due, r.id))
