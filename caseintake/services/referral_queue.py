"""The supervisor's queue: every open referral of every operator, overdue first, then those due
within the hour, then the rest, paged in SQL (issue 8, item 1).

Escalations are computed here, from the rows of the page, each time the queue is read: no
background job has to have run for an overdue referral to raise one (issue 8, item 3). The
"escalations only" filter is the same condition written in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Select, and_, case, exists, false, func, literal_column, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from caseintake.domain.deadline_state import DUE_SOON, NOW_WINDOW, DeadlineState, deadline_state
from caseintake.domain.deadlines import WorkingCalendar
from caseintake.domain.escalation import (
    EscalationRules,
    ProposedEscalation,
    load_escalation_rules,
    propose,
)
from caseintake.services.case_queries import OPEN_REFERRAL_STATES
from caseintake.services.principal import Principal
from caseintake.services.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import Case, DirectoryEntryRow, EscalationRow, Referral, User

QUEUE_ROLES = ("supervisor", "operator")
# The open states written out, not bound: SQLite uses a partial index only when the query's
# own WHERE names its condition (``ix_referrals_open_due``, migration 0005).
_OPEN_LITERAL = Referral.status.in_(
    [literal_column(f"'{state}'") for state in OPEN_REFERRAL_STATES]
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


class ReferralQueueService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    @cached_property
    def rules(self) -> EscalationRules:
        return load_escalation_rules()

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
        with self._db.read() as s:
            ids: list[str] = []
            for band in self._bands(where, now):
                if len(ids) >= need:
                    break
                ids += s.execute(band.limit(need - len(ids))).scalars()
            ids = ids[page * page_size :]
            shown = ids[:page_size]
            rows = (
                s.execute(
                    select(*_SHOWN)
                    .join(Case, Case.id == Referral.case_id)
                    .outerjoin(User, User.id == Case.assigned_to)
                    .outerjoin(
                        DirectoryEntryRow, DirectoryEntryRow.id == Referral.directory_entry_id
                    )
                    .outerjoin(EscalationRow, EscalationRow.referral_id == Referral.id)
                    .where(Referral.id.in_(shown))
                ).all()
                if shown
                else []
            )
        by_id = {r.id: r for r in rows}
        memo: dict[str, datetime] = {}
        items = [self._row(by_id[i], now, memo) for i in shown if i in by_id]
        return QueuePage(items, page, len(ids) > page_size, now)

    def _bands(self, where: QueueFilter, now: datetime) -> list[Select[Any]]:
        """The page's ids band by band (overdue, due within the hour, the rest), each in
        deadline order. Each band walks the open referrals' deadline index
        (``ix_referrals_open_due``, chosen through the literal list of open states) and stops
        at its LIMIT: at 5 M contacts a page no longer sorts every open referral. A row's band
        is the same ``CASE`` as before; the first two also get the deadline range their band
        implies (an overdue deadline is past; a soon one is at most ``NOW_WINDOW`` old)."""
        overdue, soon = self.overdue_clause(now), self.unmet_clause(now, soon=True)
        rank = case((overdue, 0), (soon, 1), else_=2)
        ids = select(Referral.id).where(*self._filters(where, now))
        if _needs_case(where):
            ids = ids.join(Case, Case.id == Referral.case_id)
        if where.operator:
            ids = ids.join(User, User.id == Case.assigned_to)
        ranges = (
            [Referral.due_at < now],
            [Referral.due_at >= now - NOW_WINDOW, Referral.due_at <= now + DUE_SOON],
            [],
        )
        return [
            ids.where(rank == band, *extra).order_by(Referral.due_at, Referral.id)
            for band, extra in enumerate(ranges)
        ]

    def counts(self, principal: Principal, where: QueueFilter = QueueFilter()) -> QueueCounts:
        """Totals for the queue's header, in one aggregate query."""
        principal.require(*QUEUE_ROLES)
        now = self._settings.clock()
        one = func.sum
        stmt = (
            select(
                func.count(),
                one(case((self.overdue_clause(now), 1), else_=0)),
                one(
                    case((self.overdue_clause(now), 0), (self.unmet_clause(now, True), 1), else_=0)
                ),
                one(case((self.escalation_clause(now), 1), else_=0)),
            )
            .select_from(Referral)
            .where(*self._filters(where, now))
        )
        if _needs_case(where):
            stmt = stmt.join(Case, Case.id == Referral.case_id)
        if where.operator:
            stmt = stmt.join(User, User.id == Case.assigned_to)
        with self._db.read() as s:
            total, overdue, soon, esc = s.execute(stmt).one()
        return QueueCounts(total, overdue or 0, soon or 0, esc or 0)

    def _filters(self, where: QueueFilter, now: datetime) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = [
            Referral.status == where.status if where.status else _OPEN_LITERAL
        ]
        if where.body:
            conds.append(Referral.body == where.body)
        if where.province_code is not None:
            conds.append(Case.province_code == where.province_code)
        if where.ward_code is not None:
            conds.append(Case.ward_code == where.ward_code)
        if where.priority:
            conds.append(Case.priority == where.priority)
        if where.operator:
            conds.append(User.name == where.operator)
        if where.overdue_only:
            conds.append(self.overdue_clause(now))
        if where.escalations_only:
            conds.append(self.escalation_clause(now))
        return conds

    @staticmethod
    def overdue_clause(now: datetime) -> ColumnElement[bool]:
        """domain.deadline_state's "overdue", in SQL: the step not done and past due."""
        return or_(
            and_(
                Referral.due_spec == "immediately",
                Referral.status == "pending",
                Referral.due_at < now - NOW_WINDOW,
            ),
            and_(
                Referral.due_spec != "immediately",
                Referral.status.in_(("pending", "sent")),
                Referral.due_at < now,
            ),
        )

    @staticmethod
    def unmet_clause(now: datetime, soon: bool = False) -> ColumnElement[bool]:
        unmet = or_(
            and_(Referral.due_spec == "immediately", Referral.status == "pending"),
            and_(Referral.due_spec != "immediately", Referral.status.in_(("pending", "sent"))),
        )
        return and_(unmet, Referral.due_at <= now + DUE_SOON) if soon else unmet

    def escalation_clause(self, now: datetime) -> ColumnElement[bool]:
        """domain.escalation.needs_escalation for the rule of each body, undecided, in SQL."""
        per_rule: list[ColumnElement[bool]] = []
        for rule in self.rules.rules:
            late = [self.overdue_clause(now)]
            window = rule.ack_window()
            if window is not None:
                late.append(
                    and_(
                        Referral.due_spec == "immediately",
                        Referral.status == "sent",
                        Referral.due_at < now - window,
                    )
                )
            per_rule.append(and_(Referral.body.in_(rule.from_bodies), or_(*late)))
        decided = aliased(EscalationRow)
        undecided = ~exists().where(decided.referral_id == Referral.id).correlate(Referral)
        return and_(or_(*per_rule), undecided) if per_rule else false()

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


def _needs_case(where: QueueFilter) -> bool:
    return bool(
        where.province_code is not None
        or where.ward_code is not None
        or where.priority
        or where.operator
    )


_SHOWN = (
    Referral.id,
    Referral.case_id,
    Referral.body,
    Referral.status,
    Referral.due_spec,
    Referral.due_at,
    Referral.sent_at,
    Referral.acknowledged_at,
    Case.number,
    Case.status.label("case_status"),
    Case.priority,
    Case.province_code.label("case_province"),
    Case.ward_code.label("case_ward"),
    User.name.label("operator"),
    DirectoryEntryRow.name.label("entry"),
    EscalationRow.decision,
)
