"""Anonymised statistics: the indicators of a period, with disclosure control, and their export.

Only supervisors and admins see or export statistics. The database counts (``statistics_queries``),
the domain builds the margins and suppresses small cells, and an export is written, audited
with its parameters and sealed with a checkpoint of the audit chain.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select as sql_select

from caseintake.domain.errors import DomainError
from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.referrals.deadlines import to_local
from caseintake.domain.statistics.calendar import DueReport, upcoming
from caseintake.domain.statistics.indicators import (
    AGE_GROUPS,
    MEDIAN_ACK_ID,
    ON_TIME,
    OPT_IN,
    SEXES,
    Indicator,
    select,
)
from caseintake.domain.statistics.output import Format, check_writable, write
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.report import IndicatorTable, MedianCell, StatisticsReport
from caseintake.domain.statistics.suppression import DEFAULT_THRESHOLD, check_threshold, publish
from caseintake.domain.statistics.tables import build_table, ordered_keys
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trail import AuditTrailService
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.statistics import queries
from caseintake.store.db import Database
from caseintake.store.models import Contact

STATS_ROLES = ("supervisor", "admin")
Progress = Callable[[int, int], None]  # (steps done, steps in all)


def _codes(kind: str) -> tuple[str, ...]:
    try:
        return taxonomy.ordered_codes(kind)
    except ValueError:
        return ()


def _orders() -> dict[str, tuple[str, ...]]:
    return {
        "contact_type": _codes("contact_type"),
        "channel": _codes("channel"),
        "topic": _codes("counselling_topic"),
        "concern": taxonomy.top_concerns(),
        "abuse_form": taxonomy.top_concerns(abuse=True),
        "sex": SEXES,
        "age_group": AGE_GROUPS,
        "setting": _codes("setting"),
        "province": tuple(str(p.code) for p in geography.provinces()),
        "body": _codes("body"),
        "status": ("pending", "sent", "acknowledged", "in_progress", "done", "declined", "revoked"),
        "on_time": ON_TIME,
        "commune": (),
    }


def split_ids(ids: list[str] | tuple[str, ...] | None) -> tuple[tuple[Indicator, ...], bool]:
    """The count tables asked for and whether the median is asked for (all when none is)."""
    if not ids:
        return select(None), True
    tables = [i for i in ids if i != MEDIAN_ACK_ID]
    return (select(tables) if tables else ()), MEDIAN_ACK_ID in ids


class StatisticsService:
    def __init__(
        self, db: Database, settings: Settings, audit: AuditLog, trail: AuditTrailService
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._trail = trail

    def calendar(self) -> list[DueReport]:
        """The next due report of each kind, from today in Viet Nam."""
        return upcoming(to_local(self._settings.clock()).date())

    def latest_period(self, principal: Principal) -> Period:
        """Where the statistics screen opens: the month of the latest contact (so a new
        screen shows data, not an empty future report), or this month when there is none."""
        principal.require(*STATS_ROLES)
        with self._db.read() as s:
            last = s.execute(sql_select(func.max(Contact.received_at))).scalar_one_or_none()
        day = to_local(last if last is not None else self._settings.clock()).date()
        return Period.month(day.year, day.month)

    def compute(
        self,
        principal: Principal,
        period: Period,
        indicator_ids: list[str] | tuple[str, ...] | None = None,
        threshold: int = DEFAULT_THRESHOLD,
        progress: Progress | None = None,
    ) -> StatisticsReport:
        """The published tables of ``period``: counted in SQL, margins added, small cells
        suppressed. Refuses an operator, a threshold below 3 and an unknown indicator."""
        principal.require(*STATS_ROLES)
        check_threshold(threshold)
        indicators, with_median = split_ids(indicator_ids)
        bounds = period.utc_bounds()
        sqlite = self._db.is_sqlite
        now = self._settings.clock()
        steps = len(indicators) + (1 if with_median else 0)
        orders = _orders()
        tables: list[IndicatorTable] = []
        medians: list[MedianCell] = []
        with self._db.read() as s:
            for n, ind in enumerate(indicators, start=1):
                if ind.id == "referrals_first_step_on_time":
                    counts = queries.referrals_first_step_on_time(s, bounds, sqlite, now)
                else:
                    counts = queries.QUERIES[ind.id](s, bounds, sqlite)
                table = build_table(ind.dimensions, counts)
                if ind.id in OPT_IN and any(1 <= v < threshold for v in table.values.values()):
                    raise DomainError("stats.commune_small", threshold=threshold)
                published = publish(table, threshold)
                keys = tuple(ordered_keys(table, orders))
                tables.append(IndicatorTable(ind, published, keys))
                if progress:
                    progress(n, steps)
            if with_median:
                found = queries.median_hours_to_acknowledgement(s, bounds, sqlite)
                rank = {b: i for i, b in enumerate(orders["body"])}
                for body in sorted(found, key=lambda b: (b == "*", rank.get(b, len(rank)), b)):
                    hours, count = found[body]
                    shown = round(hours, 1) if count >= threshold else None
                    medians.append(MedianCell(body, shown))
                if progress:
                    progress(steps, steps)
        return StatisticsReport(period, threshold, tuple(tables), tuple(medians), with_median)

    def export(
        self,
        principal: Principal,
        period: Period,
        fmt: Format,
        out: Path | None,
        indicator_ids: list[str] | tuple[str, ...] | None = None,
        threshold: int = DEFAULT_THRESHOLD,
        lang: str | None = None,
        progress: Progress | None = None,
    ) -> StatisticsReport:
        """Compute, write ``out`` (None: the caller prints it), audit the export with its
        parameters, write a checkpoint.

        Every refusal (role, threshold, indicator, an unwritable ``out``) comes before any work,
        so nothing is written and nothing is audited for it.
        """
        principal.require(*STATS_ROLES)
        check_threshold(threshold)
        split_ids(indicator_ids)
        if out is not None:
            check_writable(out)
        report = self.compute(principal, period, indicator_ids, threshold, progress)
        if out is not None:
            write(report, fmt, out, lang)
        with self._db.write() as s:
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "statistics_exported",
                "statistics",
                "-",
                {
                    "from": period.start.isoformat(),
                    "to": period.end.isoformat(),
                    "indicators": [it.indicator.id for it in report.tables]
                    + ([MEDIAN_ACK_ID] if report.median_asked else []),
                    "threshold": threshold,
                    "format": fmt,
                    "file": out.name if out is not None else "-",
                    "lang": lang,
                },
            )
        self._trail.write_checkpoint(principal)
        return report
