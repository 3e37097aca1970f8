"""The supervisor's dashboard in a handful of SQL aggregates (issue 8, item 5): contacts today
and this month by type, open cases by priority, referrals overdue / due today / awaiting an
escalation decision, and the share of this month's referrals whose first step met its deadline.
Nothing is loaded row by row: each figure is one GROUP BY or one conditional count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from caseintake.domain.referrals.deadline_state import NOW_WINDOW
from caseintake.domain.referrals.deadlines import VN_TZ, to_local
from caseintake.services.cases.queries import OPEN_REFERRAL_STATES
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.referrals.partner_times import PartnerTimes, partner_times
from caseintake.services.referrals.queue import ReferralQueueService
from caseintake.store.db import Database
from caseintake.store.models import Case, Contact, Referral

DASHBOARD_ROLES = ("supervisor",)
OPEN_CASE_STATES = ("received", "assessed", "referred", "in_support", "monitoring")


@dataclass(frozen=True)
class Dashboard:
    at: datetime
    contacts_today: dict[str, int]
    contacts_month: dict[str, int]
    open_cases_by_priority: dict[str, int]
    referrals_open: int
    referrals_overdue: int
    referrals_due_today: int  # due later today and not overdue yet: each referral counted once
    escalations_waiting: int
    first_step_met: int  # this month's referrals whose first step was done in time
    first_step_due: int  # ... of those whose first step is done or past its deadline
    # Time to accept per partner line, for the packages sent this month (issue 24).
    partners: tuple[PartnerTimes, ...] = ()

    @property
    def on_time_share(self) -> float | None:
        return self.first_step_met / self.first_step_due if self.first_step_due else None


class DashboardService:
    def __init__(self, db: Database, settings: Settings, queue: ReferralQueueService) -> None:
        self._db = db
        self._settings = settings
        self._queue = queue

    def read(self, principal: Principal) -> Dashboard:
        principal.require(*DASHBOARD_ROLES)
        now = self._settings.clock()
        local = to_local(now)
        today = datetime.combine(local.date(), time(0), VN_TZ)
        tomorrow = today + timedelta(days=1)
        month = today.replace(day=1)
        with self._db.read() as s:
            by_type_today = _contacts_by_type(s, today, tomorrow)
            by_type_month = _contacts_by_type(s, month, tomorrow)
            priorities = dict(
                s.execute(
                    select(Case.priority, func.count())
                    .where(Case.status.in_(OPEN_CASE_STATES))
                    .group_by(Case.priority)
                ).all()
            )
            open_refs = Referral.status.in_(OPEN_REFERRAL_STATES)
            late = self._queue.overdue_clause(now)
            due_today = and_(
                self._queue.unmet_clause(now),
                Referral.due_at >= today,
                Referral.due_at < tomorrow,
                ~late,  # already counted as overdue (issue 19, item 11)
            )
            referrals_open, overdue, due, escalations = s.execute(
                select(
                    func.count(),
                    func.count(case((late, 1))),
                    func.count(case((due_today, 1))),
                    func.count(case((self._queue.escalation_clause(now), 1))),
                ).where(open_refs)
            ).one()
            met, decided = s.execute(
                select(
                    func.count(case((_first_step_met(s), 1))),
                    func.count(case((_first_step_decided(now), 1))),
                ).where(Referral.created_at >= month, Referral.created_at < tomorrow)
            ).one()
            partners = tuple(partner_times(s, now, month, self._queue.rules))
        return Dashboard(
            now,
            by_type_today,
            by_type_month,
            priorities,
            referrals_open,
            overdue,
            due,
            escalations,
            met,
            decided,
            partners,
        )


def _contacts_by_type(s: Session, start: datetime, end: datetime) -> dict[str, int]:
    rows = s.execute(
        select(Contact.contact_type, func.count())
        .where(Contact.received_at >= start, Contact.received_at < end)
        .group_by(Contact.contact_type)
    ).all()
    return {kind: count for kind, count in rows}


def _step_done_at() -> ColumnElement[datetime]:
    """domain.deadline_state.step_done_at in SQL: sending for "immediately", else acknowledging."""
    return case(
        (Referral.due_spec == "immediately", Referral.sent_at), else_=Referral.acknowledged_at
    )


def _first_step_met(s: Session) -> ColumnElement[bool]:
    done = _step_done_at()
    grace_days = NOW_WINDOW.total_seconds() / 86400
    if s.get_bind().dialect.name == "sqlite":
        late_by = func.julianday(done) - func.julianday(Referral.due_at)
        within = late_by <= case((Referral.due_spec == "immediately", grace_days), else_=0.0)
    else:
        grace = case((Referral.due_spec == "immediately", NOW_WINDOW), else_=timedelta(0))
        within = done <= Referral.due_at + grace
    return and_(done.is_not(None), Referral.due_at.is_not(None), within)


def _first_step_decided(now: datetime) -> ColumnElement[bool]:
    """Counted once the step is done, or once its deadline has passed without it."""
    return or_(_step_done_at().is_not(None), Referral.due_at < now - NOW_WINDOW)
