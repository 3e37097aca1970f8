"""Anonymised statistics: the indicators of a period, with disclosure control, and their export.

Only supervisors and admins see or export statistics. The database counts (``statistics_queries``),
the domain builds the margins and suppresses small cells, and an export is written, audited
with its parameters and sealed with a checkpoint of the audit chain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select as sql_select

from caseintake.domain.errors import DomainError
from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.referrals.deadlines import to_local
from caseintake.domain.statistics.calendar import DueReport, upcoming
from caseintake.domain.statistics.codes import check_codes
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
from caseintake.domain.statistics.output import Format, file_name, render
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.report import IndicatorTable, MedianCell, StatisticsReport
from caseintake.domain.statistics.suppression import DEFAULT_THRESHOLD, check_threshold
from caseintake.domain.statistics.tables import build_table, ordered_keys
from caseintake.domain.statistics.two_way import on_screen, totals_lost
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trail import AuditTrailService
from caseintake.services.core.new_files import new_file
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.statistics import ledger, queries
from caseintake.services.statistics.publication import linked_table
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
        ledger_checked: bool = False,
        two_way: bool = False,
    ) -> StatisticsReport:
        """The published tables of ``period``: counted in SQL, margins added, small cells
        suppressed (against the publication ledger when ``ledger_checked``). Refuses an
        operator, a threshold below 3 and an unknown indicator. ``two_way``: a three-way
        indicator as its two-way tables (``domain.statistics.two_way``)."""
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
                    table, published = linked_table(s, ind, period, threshold, sqlite, now, two_way)
                else:
                    counts = queries.count(s, ind.id, bounds, sqlite, now)
                    table = build_table(ind.dimensions, counts)
                    if ind.id in OPT_IN and any(1 <= v < threshold for v in table.values.values()):
                        raise DomainError("stats.commune_small", threshold=threshold)
                    published = on_screen(ind.id, table, threshold, two_way)
                check_codes(ind.dimensions, table.values, orders)  # no stray text leaves as a code
                keys = tuple(k for k in ordered_keys(table, orders) if k in published.values)
                lost = totals_lost(published.values, table.values, threshold)
                tables.append(IndicatorTable(ind, published, keys, lost))
                if progress:
                    progress(n, steps)
            if with_median:
                found = queries.median_hours_to_acknowledgement(s, bounds, sqlite)
                check_codes(("body",), ((b,) for b in found), orders)
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
        place: Callable[[StatisticsReport], None] | None = None,
        two_way: bool = False,
    ) -> StatisticsReport:
        """The one call every export makes (file, download, stdout): the report suppressed
        against every earlier release, recorded in the ledger and audited in one transaction.

        The period must be exportable (``exportable``) and the threshold at or above the floor.
        Releases recorded by someone else meanwhile make it count again, so two exports at
        once never miss each other. ``place`` writes the file (or keeps the bytes) inside the
        same transaction, after the audit event: a write that fails rolls back the ledger rows
        and the event, and a failed commit leaves no file (``core.new_files``).
        """
        principal.require(*STATS_ROLES)
        check_exportable(period)
        chosen = self.export_threshold(threshold)
        split_ids(indicator_ids)
        for _attempt in range(5):
            with self._db.read() as s:
                seen = ledger.last_id(s)
            report = self.compute(principal, period, indicator_ids, chosen, progress, True, two_way)
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
                        "two_way": two_way,
                        **(details or {}),
                    },
                )
                if place is not None:
                    place(report)
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
        two_way: bool = False,
    ) -> StatisticsReport:
        """Release the report (``release``: ledger, audit, checkpoint) and write ``out`` (a new
        file; None: the caller prints it) inside the release's transaction.

        Every refusal (role, period, threshold, indicator, an ``out`` that exists in any form or
        is the database's) comes before any work, so nothing is written and nothing recorded for
        it; the file is kept only with its ledger rows and audit event, and they only with it.
        """
        return self._leave(
            principal, period, fmt, out, False, indicator_ids, threshold, lang, progress, two_way
        )[0]

    def deliver(
        self,
        principal: Principal,
        period: Period,
        fmt: Format,
        indicator_ids: list[str] | tuple[str, ...] | None = None,
        threshold: int | None = None,
        lang: str | None = None,
        progress: Progress | None = None,
        two_way: bool = False,
    ) -> tuple[StatisticsReport, str, bytes]:
        """The export as a browser download (the report, the file's name, its bytes), released
        as ``export`` is; nothing is written on this machine."""
        return self._leave(
            principal, period, fmt, None, True, indicator_ids, threshold, lang, progress, two_way
        )

    def _leave(
        self,
        principal: Principal,
        period: Period,
        fmt: Format,
        out: Path | None,
        download: bool,
        indicator_ids: list[str] | tuple[str, ...] | None,
        threshold: int | None,
        lang: str | None,
        progress: Progress | None,
        two_way: bool = False,
    ) -> tuple[StatisticsReport, str, bytes]:
        """Every export that leaves, as a file, a download or on stdout, passes here."""
        principal.require(*STATS_ROLES)
        check_exportable(period)
        self.export_threshold(threshold)
        split_ids(indicator_ids)
        target = new_file(out, self._db) if out is not None else None
        name = file_name(period, fmt)
        rendered: list[bytes] = []

        def place(report: StatisticsReport) -> None:
            data = render(report, fmt, lang) if out is not None or download else b""
            if target is not None:
                target.place(data)
            rendered.append(data)

        details: dict[str, object] = {
            "format": fmt,
            "file": out.name if out is not None else (name if download else "-"),
            "download": download,
            "lang": lang,
        }
        destination = "file" if out is not None else ("download" if download else "stdout")
        with target or nullcontext():
            report = self.release(
                principal,
                period,
                indicator_ids,
                threshold,
                destination,
                details,
                progress,
                place,
                two_way,
            )
        return report, name, rendered[-1]
