"""The supervisor's queue: every open referral of every operator, overdue first, then those due
within the hour, then the rest, paged in SQL (issue 8, item 1).

Escalations are computed here, from the rows of the page, each time the queue is read: no
background job has to have run for an overdue referral to raise one (issue 8, item 3). The
"escalations only" filter is the same condition written in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Integer, and_, bindparam, select
from sqlalchemy.sql.elements import ColumnElement

from caseintake.domain.handoff.deadlines import WAITING
from caseintake.domain.referrals.deadline_state import (
    DUE_SOON,
    NOW_WINDOW,
    DeadlineState,
    deadline_state,
)
from caseintake.domain.referrals.deadlines import WorkingCalendar
from caseintake.domain.routing.escalation import (
    EscalationRules,
    ProposedEscalation,
    load_escalation_rules,
    propose,
)
from caseintake.services.audit.case_check import untrue_cases
from caseintake.services.cases.at_partner import overdue_at_partner
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.referrals.bands import (
    Bands,
    Shown,
    escalating,
    late_moments,
    overdue,
    unmet,
)
from caseintake.store.db import Database
from caseintake.store.models import HandoffRow, Referral

QUEUE_ROLES = ("supervisor", "operator")
# Any package still waiting for its partner's acceptance: one indexed probe, (direction, status),
# before the page reads the hand-offs of its rows (the read costs more than the page otherwise).
_ANY_WAITING = (
    select(HandoffRow.id)
    .where(HandoffRow.direction == "out", HandoffRow.status == WAITING)
    .limit(bindparam("limit", type_=Integer()))
)
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilter:
    body: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    priority: str | None = None
    operator: str | None = None  # user name of the case's assigned operator
    status: str | None = None  # default: every open state
    overdue_only: bool = False
    escalations_only: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: str
    case_id: str
    case_number: str
    case_status: str
    priority: str
    operator: str | None
    body: str
    entry_name: str | None
    province_code: int | None
    ward_code: int | None
    status: str
    due_spec: str
    due_at: datetime | None
    deadline: DeadlineState
    escalation: ProposedEscalation | None
    escalation_decision: str | None  # confirmed / dismissed, once the supervisor decided
    # Its case's rows differ from the events that wrote them (issue 20 item 2).
    tampered: bool = False
    # Sent as a hand-off package and not accepted in time: the partner line's code (issue 24).
    at_partner: str | None = None
    at_partner_due: datetime | None = None  # when its signed acceptance was due

    @property
    def overdue(self) -> bool:
        return self.deadline == "overdue"


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    page: int
    has_more: bool
    now: datetime


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    due_soon: int
    escalations: int
    cases: int = 0  # the cases these referrals belong to


class ReferralQueueService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    @cached_property
    def rules(self) -> EscalationRules:
        return load_escalation_rules()

    @cached_property
    def _bands(self) -> Bands:
        return Bands(self.rules)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar()

    def page(
        self,
        principal: Principal,
        where: QueueFilter = QueueFilter(),
        page: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> QueuePage:
        principal.require(*QUEUE_ROLES)
        now = self._settings.clock()
        need = (page + 1) * page_size + 1  # this page, the ones before it, one to say "more"
        shape, params = self._bands.shape(where), self._bands.params(where, now)
        fast, rows = self._db.fast, []
        with fast.reads() as r:
            for band in range(3):
                if len(rows) >= need:
                    break
                stmt = fast.prepared(*self._bands.statement(shape, band))
                rows += r.rows(stmt, {**params, "limit": need - len(rows)})
        found = [Shown._make(row) for row in rows[page * page_size :]]
        memo: dict[str, datetime] = {}
        items = [self._row(row, now, memo) for row in found[:page_size]]
        untrue = untrue_cases(self._db, [row.case_id for row in items])  # issue 20 item 2
        if untrue:
            items = [replace(i, tampered=True) if i.case_id in untrue else i for i in items]
        items = self._at_partner(items, now)
        return QueuePage(items, page, len(found) > page_size, now)

    def counts(self, principal: Principal, where: QueueFilter = QueueFilter()) -> QueueCounts:
        """Totals for the queue's header, in one aggregate query."""
        principal.require(*QUEUE_ROLES)
        stmt = self._bands.totals(self._bands.shape(where))
        params = self._bands.params(where, self._settings.clock())
        with self._db.read() as s:
            total, overdue, soon, esc, cases = s.execute(stmt, params).one()
        return QueueCounts(total, overdue or 0, soon or 0, esc or 0, cases or 0)

    @staticmethod
    def overdue_clause(now: datetime) -> ColumnElement[bool]:
        """domain.deadline_state's "overdue", in SQL: the step not done and past due."""
        return overdue(now, now - NOW_WINDOW)

    @staticmethod
    def unmet_clause(now: datetime, soon: bool = False) -> ColumnElement[bool]:
        return and_(unmet(), Referral.due_at <= now + DUE_SOON) if soon else unmet()

    def escalation_clause(self, now: datetime) -> ColumnElement[bool]:
        """domain.escalation.needs_escalation for the rule of each body, undecided, in SQL."""
        return escalating(self.rules, now, now - NOW_WINDOW, late_moments(self.rules, now))

    def _at_partner(self, items: list[QueueRow], now: datetime) -> list[QueueRow]:
        """Rows whose package waits past its deadline for the partner's signed acceptance."""
        waiting = [i.id for i in items if i.status == "sent"]
        if not waiting or not self._db.fast.rows(
            _ANY_WAITING, {"limit": 1}
        ):  # most lines, most pages
            return items
        with self._db.read() as s:
            late = overdue_at_partner(s, now, waiting, self.rules)
        return [
            replace(i, at_partner=late[i.id].partner, at_partner_due=late[i.id].state.accept_by)
            if i.id in late
            else i
            for i in items
        ]

    def _row(self, r: Any, now: datetime, memo: dict[str, datetime]) -> QueueRow:
        state = deadline_state(
            r.due_spec,
            r.due_at,
            r.status,
            sent_at=r.sent_at,
            acknowledged_at=r.acknowledged_at,
            now=now,
        )
        proposal = None
        if r.decision is None:
            proposal = propose(
                self.rules,
                referral_id=r.id,
                body=r.body,
                due_spec=r.due_spec,
                due=r.due_at,
                status=r.status,
                province_code=r.case_province,
                now=now,
                calendar=self.calendar,
                due_memo=memo,
            )
        return QueueRow(
            r.id,
            r.case_id,
            r.number,
            r.case_status,
            r.priority,
            r.operator,
            r.body,
            r.entry,
            r.case_province,
            r.case_ward,
            r.status,
            r.due_spec,
            r.due_at,
            state,
            proposal,
            r.decision,
        )
