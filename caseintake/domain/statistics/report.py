"""A finished statistics report: published tables only, in the shape every output reads.

Nothing here holds a name, a phone, a free text, an exact date or a commune: the tables carry
codes and counts, suppressed cells carry ``None``; the only dates are the period's first and
last days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseintake.domain.intake import geography
from caseintake.domain.statistics.indicators import LABEL_KINDS, Indicator
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.suppression import PublishedTable
from caseintake.domain.statistics.tables import ALL, Key
from caseintake.i18n import has, t


@dataclass(frozen=True)
class IndicatorTable:
    indicator: Indicator
    table: PublishedTable
    keys: tuple[Key, ...]  # display order: inner cells, margins, grand total
    # A three-way table that had to hide its grand total or a one-way margin at or above the
    # threshold: the same counts may leave as two-way tables instead (``two_way``).
    totals_lost: bool = False

    def cells(self) -> list[tuple[Key, int | None]]:
        return [(k, self.table.values[k]) for k in self.keys]


@dataclass(frozen=True)
class MedianCell:
    body: str  # a body code, or "*" for all bodies
    hours: float | None  # None when its group has fewer referrals than the threshold


@dataclass(frozen=True)
class StatisticsReport:
    period: Period
    threshold: int
    tables: tuple[IndicatorTable, ...]
    medians: tuple[MedianCell, ...] = ()
    median_asked: bool = False  # the medians block is shown, even with no cell to publish

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of issue 9 (plus each indicator's unit and the medians)."""
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "threshold": self.threshold,
            "indicators": [
                {
                    "id": it.indicator.id,
                    "dimensions": list(it.indicator.dimensions),
                    "unit": it.indicator.unit,
                    "cells": [
                        {
                            **dict(zip(it.indicator.dimensions, key, strict=True)),
                            "value": value,
                            "suppressed": value is None,
                        }
                        for key, value in it.cells()
                    ],
                }
                for it in self.tables
            ],
            "medians": [
                {
                    "id": "median_hours_to_acknowledgement",
                    "dimensions": ["body"],
                    "cells": [
                        {"body": m.body, "value": m.hours, "suppressed": m.hours is None}
                        for m in self.medians
                    ],
                }
            ]
            if self.median_asked
            else [],
        }


def code_label(dimension: str, code: str, lang: str | None = None) -> str:
    """The readable name of one code of a dimension; ``*`` reads "Tổng" / "Total"."""
    if code == ALL:
        return t("stats.all", lang)
    if code == "unknown":
        return t("stats.unknown", lang)
    kind = LABEL_KINDS.get(dimension, dimension)
    if kind == "province":
        province = geography.province(int(code)) if code.isdigit() else None
        return province.short_name if province else code
    if kind == "commune":
        ward = geography.ward(int(code)) if code.isdigit() else None
        return ward.short_name if ward else code
    key = f"{kind}.{code}"
    return t(key, lang) if has(key) or has(key, lang) else code


def dimension_label(dimension: str, lang: str | None = None) -> str:
    return t(f"stats.dimension.{dimension}", lang)


def cell_text(value: int | None, lang: str | None = None) -> str:
    """A published count, or the suppression mark (never a zero)."""
    return t("stats.suppressed_mark", lang) if value is None else f"{value:,}".replace(",", ".")
