"""Routing with the directory: the pure engine's decision, plus the concrete desk for each body."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select

from caseintake.domain.directory import DirectoryEntry, resolve_entry
from caseintake.domain.intake.record import Intake
from caseintake.domain.referrals.deadlines import WorkingCalendar
from caseintake.domain.routing.decision import Decision, ReferralPlan
from caseintake.domain.routing.engine import route_intake
from caseintake.domain.routing.rules import RuleSet, load_rules
from caseintake.services.core.settings import Settings
from caseintake.services.core.views import split_codes
from caseintake.store.db import Database
from caseintake.store.models import DirectoryEntryRow


@dataclass(frozen=True)
class ProposedReferral:
    plan: ReferralPlan
    entry: DirectoryEntry | None  # None: no desk for this body in the area; the UI says so


@dataclass(frozen=True)
class RoutedDecision:
    decision: Decision
    referrals: tuple[ProposedReferral, ...]


def entry_of(row: DirectoryEntryRow) -> DirectoryEntry:
    return DirectoryEntry(
        id=row.id,
        body=row.body,
        name=row.name,
        province_code=row.province_code,
        ward_code=row.ward_code,
        phones=split_codes(row.phones),
        email=row.email,
        hours=row.hours or "",
        source=row.source or "",
    )


class RoutingService:
    """Decides without saving; the directory is read once and refreshed after an import."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings
        self._entries: tuple[DirectoryEntry, ...] | None = None
        self._lock = threading.Lock()

    @cached_property
    def rules(self) -> RuleSet:
        return load_rules()

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar()

    def entries(self) -> tuple[DirectoryEntry, ...]:
        with self._lock:
            if self._entries is None:
                with self._db.read() as s:
                    rows = s.execute(select(DirectoryEntryRow).where(DirectoryEntryRow.active))
                    self._entries = tuple(entry_of(r) for r in rows.scalars())
            return self._entries

    def forget_directory(self) -> None:
        with self._lock:
            self._entries = None

    def decide(self, intake: Intake) -> RoutedDecision:
        decision = route_intake(intake, self.rules, self.calendar)
        return RoutedDecision(decision, self.attach(decision, self.entries()))

    @staticmethod
    def attach(
        decision: Decision, entries: tuple[DirectoryEntry, ...]
    ) -> tuple[ProposedReferral, ...]:
        return tuple(
            ProposedReferral(
                p, resolve_entry(entries, p.body, p.area.province_code, p.area.ward_code)
            )
            for p in decision.referrals
        )
