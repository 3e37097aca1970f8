"""Anonymised statistics: the indicators of a period, with disclosure control, and their export.

Only supervisors and admins see or export statistics. The database counts (``statistics_queries``),
the domain builds the margins and suppresses small cells, and an export is written, audited
with its parameters and sealed with a checkpoint of the audit chain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.referrals.deadlines import to_local
from caseintake.domain.statistics.calendar import DueReport, upcoming
from caseintake.domain.statistics.exportable import check_exportable
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
from caseintake.services.statistics import ledger, queries
from caseintake.services.statistics.publication import linked_table
from caseintake.store.db import Database

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

    def compute(
        self,
        principal: Principal,
        period: Period,
        indicator_ids: list[str] | tuple[str, ...] | None = None,
        threshold: int = DEFAULT_THRESHOLD,
        progress: Progress | None = None,
        ledger_checked: bool = False,
    ) -> StatisticsReport:
        """The published tables of ``period``: counted in SQL, margins added, small cells
        suppressed (against the publication ledger when ``ledger_checked``). Refuses an
        operator, a threshold below 3 and an unknown indicator."""
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
                if ledger_checked:  # an export: suppressed against every earlier release
                    table, published = linked_table(s, ind, period, threshold, sqlite, now)
                else:
                    table = build_table(
                        ind.dimensions, queries.count(s, ind.id, bounds, sqlite, now)
                    )
                    if ind.id in OPT_IN and any(1 <= v < threshold for v in table.values.values()):
                        raise DomainError("stats.commune_small", threshold=threshold)
                    published = publish(table, threshold, exact=False)  # on screen only
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

    def floor(self) -> int:
        """The lowest threshold an export may use (the admin's setting; 10 until set)."""
        with self._db.read() as s:
            return ledger.floor(s)

    def set_floor(self, principal: Principal, value: int) -> int:
        """An admin sets the floor (3 at least); audited with the old and new values."""
        principal.require("admin")
        check_threshold(value)
        with self._db.write() as s:
            before = ledger.set_floor(s, value, principal.name, self._settings.clock())
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "statistics_floor_set",
                "statistics",
                "-",
                {"floor": value, "before": before},
            )
        return value

    def export_threshold(self, threshold: int | None) -> int:
        """The floor when none is given; a threshold below the floor is refused."""
        floor = self.floor()
        if threshold is None:
            return floor
        check_threshold(threshold)
        if threshold < floor:
            raise DomainError("publication.threshold_below_floor", value=threshold, floor=floor)
        return threshold

    def release(
        self,
        principal: Principal,
        period: Period,
        indicator_ids: list[str] | tuple[str, ...] | None = None,
        threshold: int | None = None,
        destination: str = "file",
        details: dict[str, object] | None = None,
        progress: Progress | None = None,
    ) -> StatisticsReport:
        """The one call every export makes (file, download, stdout): the report suppressed
        against every earlier release, recorded in the ledger and audited in one transaction.

        The period must be exportable (``exportable``) and the threshold at or above the floor.
        Releases recorded by someone else meanwhile make it count again, so two exports at
        once never miss each other. Callers write the file after; a write that then fails
        leaves a ledger row for tables that never left, which only makes later exports hide
        more, never less.
        """
        principal.require(*STATS_ROLES)
        check_exportable(period)
        chosen = self.export_threshold(threshold)
        split_ids(indicator_ids)
        for _attempt in range(5):
            with self._db.read() as s:
                seen = ledger.last_id(s)
            report = self.compute(
                principal, period, indicator_ids, chosen, progress, ledger_checked=True
            )
            with self._db.write() as s:
                if ledger.last_id(s) != seen:
                    continue
                export_id = str(uuid.uuid4())
                now = self._settings.clock()
                for it in report.tables:
                    ledger.record(
                        s,
                        export_id,
                        it.indicator.id,
                        period,
                        chosen,
                        principal.name,
                        now,
                        destination,
                        dict(it.table.values),
                    )
                self._audit.append(
                    s,
                    principal.keys,
                    principal.name,
                    "statistics_exported",
                    "statistics",
                    "-",
                    {
                        "export": export_id,
                        "from": period.start.isoformat(),
                        "to": period.end.isoformat(),
                        "indicators": [it.indicator.id for it in report.tables]
                        + ([MEDIAN_ACK_ID] if report.median_asked else []),
                        "threshold": chosen,
                        "destination": destination,
                        "suppressed": sum(it.table.suppressed_count for it in report.tables),
                        **(details or {}),
                    },
                )
            self._trail.write_checkpoint(principal)
            return report
        raise DomainError("publication.busy")

    def export(
        self,
        principal: Principal,
        period: Period,
        fmt: Format,
        out: Path | None,
        indicator_ids: list[str] | tuple[str, ...] | None = None,
        threshold: int | None = None,
        lang: str | None = None,
        progress: Progress | None = None,
    ) -> StatisticsReport:
        """Release (``release``: ledger, audit, checkpoint), then write ``out`` (None: the
        caller prints it). Every refusal (role, period, threshold, indicator, an unwritable
        ``out``) comes before any work, so nothing is written and nothing recorded for it."""
        principal.require(*STATS_ROLES)
        check_exportable(period)
        self.export_threshold(threshold)
        split_ids(indicator_ids)
        if out is not None:
            check_writable(out)
        details: dict[str, object] = {
            "format": fmt,
            "file": out.name if out is not None else "-",
            "lang": lang,
        }
        destination = "file" if out is not None else "stdout"
        report = self.release(
            principal, period, indicator_ids, threshold, destination, details, progress
        )
        if out is not None:
            write(report, fmt, out, lang)
        return report
