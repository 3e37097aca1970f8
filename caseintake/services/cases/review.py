"""Case review by a supervisor, through the case state machine (issue 8, item 4): approve the
support plan step, close (every referral settled and a closing note written), reopen with a
reason, reassign. Each move audited in its transaction; each refusal one sentence."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals import states
from caseintake.domain.referrals.follow_up import MAX_TEXT
from caseintake.services.audit.log import AuditLog
from caseintake.services.cases.queries import OPEN_REFERRAL_STATES
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import (
    Case,
    CaseApproval,
    CaseNote,
    DirectoryEntryRow,
    Referral,
    User,
)
from caseintake.store.types import UTCDateTime

ASSIGNABLE_ROLES = ("operator", "supervisor")
READY_LIMIT = 200


@dataclass(frozen=True)
class PlanStep:
    """One referral of a case's support plan, as the approval shows it (issue 19 item 7)."""

    body: str
    status: str
    due_at: datetime | None
    entry_name: str | None


@dataclass(frozen=True)
class ReadyCase:
    """An open case whose every referral is settled: ready to close (issue 19 item 6)."""

    case_id: str
    number: str
    status: str
    referrals: int
    last_settled_at: datetime | None


class CaseReviewService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def case_id(self, principal: Principal, number: str) -> str:
        """The id of the case with this human number (``111-2026-000123``)."""
        principal.require("operator", "supervisor")
        with self._db.read() as s:
            found = s.execute(select(Case.id).where(Case.number == number.strip())).scalar()
        if found is None:
            raise DomainError("supervisor.case.not_found", number=number)
        return found

    def plan(self, principal: Principal, case_id: str) -> list[PlanStep]:
        """The support plan to approve: the case's referrals (coded facts only)."""
        principal.require("supervisor")
        with self._db.read() as s:
            _case(s, case_id)
            rows = s.execute(
                select(Referral.body, Referral.status, Referral.due_at, DirectoryEntryRow.name)
                .outerjoin(DirectoryEntryRow, DirectoryEntryRow.id == Referral.directory_entry_id)
                .where(Referral.case_id == case_id)
                .order_by(Referral.created_at, Referral.id)
            ).all()
        return [PlanStep(*row) for row in rows]

    def ready_to_close(self, principal: Principal) -> list[ReadyCase]:
        """Open cases with at least one referral and none still open, the longest waiting
        first: the supervisor's list of cases to close."""
        principal.require("supervisor")
        when = func.coalesce(Referral.done_at, Referral.declined_at, Referral.revoked_at)
        settled = func.max(when, type_=UTCDateTime())
        other = aliased(Referral)
        still_open = exists().where(
            other.case_id == Case.id, other.status.in_(OPEN_REFERRAL_STATES)
        )
        stmt = (
            select(Case.id, Case.number, Case.status, func.count(Referral.id), settled)
            .join(Referral, Referral.case_id == Case.id)
            .where(Case.status != "closed", ~still_open)
            .group_by(Case.id, Case.number, Case.status)
            .order_by(settled, Case.number)
            .limit(READY_LIMIT)
        )
        with self._db.read() as s:
            rows = s.execute(stmt).all()
        return [ReadyCase(*row) for row in rows]

    def approve_plan(self, principal: Principal, case_id: str) -> None:
        """The support plan is approved: the case moves from referred to in support."""
        principal.require("supervisor")
        now = self._settings.clock()
        with self._db.write() as s:
            case = _case(s, case_id)
            before = self._move(case, "in_support", principal, None, now)
            self._approve(s, principal, case, "support_plan", now)
            self._log(s, principal, "case_plan_approved", case.id, {"from": before})

    def close(self, principal: Principal, case_id: str, note: str) -> None:
        """Close when every referral is done, declined or revoked and a closing note is given."""
        principal.check_standing()
        text = _text(note, "supervisor.case.closing_note_required")
        now = self._settings.clock()
        with self._db.write() as s:
            case = _case(s, case_id)
            # The state machine speaks first: an operator hears "only a supervisor".
            states.transition("case", case.status, "closed", principal.role, text)
            open_count = s.execute(
                select(func.count())
                .select_from(Referral)
                .where(Referral.case_id == case.id, Referral.status.in_(OPEN_REFERRAL_STATES))
            ).scalar_one()
            if open_count:
                raise DomainError("supervisor.case.open_referrals", n=open_count)
            before = self._move(case, "closed", principal, text, now)
            case.closed_at = now
            note_id = self._note(s, principal, case, text, now)
            self._approve(s, principal, case, "closure", now)
            self._log(s, principal, "case_closed", case.id, {"from": before, "note": note_id})

    def reopen(self, principal: Principal, case_id: str, reason: str) -> None:
        principal.check_standing()
        text = _text(reason, "supervisor.case.reason_required")
        now = self._settings.clock()
        with self._db.write() as s:
            case = _case(s, case_id)
            if case.status != "closed":  # "assessed" is also a back-edge; reopening is not it
                raise DomainError("supervisor.case.not_closed", number=case.number)
            before = self._move(case, "assessed", principal, text, now)
            case.closed_at = None
            note_id = self._note(s, principal, case, text, now)
            self._log(
                s,
                principal,
                "case_reopened",
                case.id,
                {"from": before, "reason": text, "note": note_id},
            )

    def assign(self, principal: Principal, case_id: str, user_name: str) -> None:
        principal.require("supervisor")
        now = self._settings.clock()
        with self._db.write() as s:
            case = _case(s, case_id)
            user = s.execute(select(User).where(User.name == user_name.strip())).scalar()
            if user is None or user.disabled or user.role not in ASSIGNABLE_ROLES:
                raise DomainError("supervisor.case.bad_assignee", user=user_name)
            if states.is_final("case", case.status):
                raise DomainError("supervisor.case.assign_closed")
            if case.assigned_to == user.id:
                raise DomainError("supervisor.case.already_assigned", user=user.name)
            before = s.get(User, case.assigned_to) if case.assigned_to else None
            case.assigned_to, case.updated_at = user.id, now
            details: dict[str, object] = {"from": before.name if before else None, "to": user.name}
            self._log(s, principal, "case_assigned", case.id, details)

    @staticmethod
    def _move(case: Case, to: str, principal: Principal, reason: str | None, now: datetime) -> str:
        states.transition("case", case.status, to, principal.role, reason)
        before, case.status, case.updated_at = case.status, to, now
        return before

    @staticmethod
    def _approve(s: Session, principal: Principal, case: Case, step: str, now: datetime) -> None:
        s.add(
            CaseApproval(
                id=str(uuid.uuid4()),
                case_id=case.id,
                step=step,
                approved_by=principal.user_id,
                approved_at=now,
            )
        )

    @staticmethod
    def _note(s: Session, principal: Principal, case: Case, text: str, now: datetime) -> str:
        note_id = str(uuid.uuid4())
        body = principal.keys.cipher.encrypt("case_notes", "body", note_id, text)
        s.add(CaseNote(id=note_id, case_id=case.id, author_id=principal.user_id, at=now, body=body))
        return note_id

    def _log(
        self,
        s: Session,
        principal: Principal,
        action: str,
        case_id: str,
        details: dict[str, object],
    ) -> None:
        self._audit.append(s, principal.keys, principal.name, action, "case", case_id, details)


def _case(s: Session, case_id: str) -> Case:
    case = s.get(Case, case_id)
    if case is None:
        raise DomainError("supervisor.case.not_found", number=case_id)
    return case


def _text(value: str | None, missing_key: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(missing_key)
    if len(text) > MAX_TEXT:
        raise DomainError("supervisor.follow_up.too_long", n=MAX_TEXT)
    return text
