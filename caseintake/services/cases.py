"""Case list, search, detail (audited as a view of case content) and notes."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, tuple_

from caseintake.domain import states
from caseintake.domain.deadlines import VN_TZ
from caseintake.domain.errors import DomainError
from caseintake.domain.intake import Intake
from caseintake.services import case_reading as reading
from caseintake.services.audit_log import AuditLog
from caseintake.services.callers import phone_index
from caseintake.services.case_queries import (
    case_summaries,
    nearest_due,
    summaries,
    summary_select,
)
from caseintake.services.principal import Principal
from caseintake.services.settings import Settings
from caseintake.services.views import CaseDetail, CasePage, CaseSummary
from caseintake.store.db import Database
from caseintake.store.models import Case, CaseConcern, CaseNote, Contact
from caseintake.store.planner_stats import PlannerStats

CASE_ROLES = ("operator", "supervisor")  # an admin does not read case content (DESIGN §1)
_NUMBER = re.compile(r"^[A-Za-z0-9]*-?\d{4}-\d{1,6}$|^\d{1,6}$")
_FULL_NUMBER = re.compile(r"^(111|PL)-\d{4}-\d{6}$", re.IGNORECASE)
MAX_NOTE = 20_000


@dataclass(frozen=True)
class CaseQuery:
    text: str = ""  # a case number (or its tail) or a phone number
    province_code: int | None = None
    ward_code: int | None = None
    concern: str | None = None
    status: str | None = None
    opened_from: date | None = None
    opened_to: date | None = None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), VN_TZ)


class CaseService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._planner = PlannerStats(db)

    def my_open(self, principal: Principal, limit: int = 50) -> list[CaseSummary]:
        """The operator's open cases, the nearest deadline not yet met first (overdue ones are
        the earliest), then cases with nothing pending, newest first."""
        principal.require(*CASE_ROLES)
        self._planner.ensure()
        # The cases from the partial index of open cases by operator (ix_cases_open_assigned),
        # each with one look into its few referrals; summaries in the same statement.
        due = nearest_due()
        stmt = (
            summary_select()
            .where(Case.assigned_to == principal.user_id, Case.status != "closed")
            .order_by(due.is_(None), due, Case.opened_at.desc())
            .limit(limit)
        )
        with self._db.read() as s:
            return summaries(s.connection().execute(stmt), self._settings.clock())

    def search(
        self,
        principal: Principal,
        query: CaseQuery,
        page: int = 0,
        page_size: int = 20,
        after: tuple[datetime, str] | None = None,
    ) -> CasePage:
        """Newest first. ``after`` (the ``after`` of the page before) pages by keyset, so the
        thousandth page costs what the first does; ``page`` alone pages by offset."""
        principal.require(*CASE_ROLES)
        stmt = summary_select().where(*self._conditions(principal, query))
        stmt = stmt.order_by(Case.opened_at.desc(), Case.id.desc()).limit(page_size + 1)
        if after is not None:
            stmt = stmt.where(tuple_(Case.opened_at, Case.id) < after)
        else:
            stmt = stmt.offset(page * page_size)
        with self._db.read() as s:
            found = summaries(s.connection().execute(stmt), self._settings.clock())
        items, more = found[:page_size], len(found) > page_size
        cursor = (items[-1].opened_at, items[-1].id) if more and items else None
        return CasePage(items, page, more, cursor)

    @staticmethod
    def _conditions(principal: Principal, query: CaseQuery) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        text = query.text.strip()
        if text:
            index = phone_index(principal.keys.blind_key, text)
            if _FULL_NUMBER.match(text):
                conds.append(Case.number == text.upper())  # the unique index, one lookup
            elif _NUMBER.match(text) or index is None:
                conds.append(Case.number.like(f"%{text}"))  # a tail: the number index, scanned
            else:
                by_phone = select(Contact.case_id).where(Contact.caller_phone_index == index)
                conds.append(or_(Case.number == text, Case.id.in_(by_phone)))
        if query.province_code is not None:
            conds.append(Case.province_code == query.province_code)
        if query.ward_code is not None:
            conds.append(Case.ward_code == query.ward_code)
        if query.status:
            conds.append(Case.status == query.status)
        if query.concern:
            # EXISTS on the concerns' primary key (case_id, concern), checked case by case down
            # the date index; a code and its sub-codes as one range, not LIKE.
            c = query.concern
            conds.append(
                exists().where(
                    CaseConcern.case_id == Case.id,
                    or_(
                        CaseConcern.concern == c,
                        and_(CaseConcern.concern > f"{c}.", CaseConcern.concern < f"{c}/"),
                    ),
                )
            )
        if query.opened_from:
            conds.append(Case.opened_at >= _local_midnight(query.opened_from))
        if query.opened_to:
            conds.append(Case.opened_at < _local_midnight(query.opened_to + timedelta(days=1)))
        return conds

    def detail(self, principal: Principal, case_id: str) -> CaseDetail:
        """Decrypts the case for reading; the view itself is an audit event (DESIGN §4), written
        in its own short transaction after the reads, so reading never holds the write lock.
        Nothing is returned unless the event has committed."""
        principal.require(*CASE_ROLES)
        now = self._settings.clock()
        with self._db.read() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise DomainError("cases.not_found", case=case_id)
            summary = case_summaries(s, [case_id], now)[0]
            refs = reading.referrals(s, principal, case_id, now)
            detail = CaseDetail(
                summary,
                principal.keys.cipher.decrypt_opt("cases", "narrative", case_id, case.narrative)
                or "",
                case.setting,
                case.immediate_danger,
                reading.children(s, principal, case_id),
                reading.perpetrators(s, principal, case_id),
                refs,
                reading.notes(s, principal, case_id),
                reading.history(s, case_id, [r.id for r in refs]),
                reading.timeline(s, principal, case),
            )
        with self._db.write() as s:
            self._audit.append(s, principal.keys, principal.name, "case_viewed", "case", case_id)
        return detail

    def linked_intake(self, principal: Principal, case_id: str) -> Intake:
        """The case's facts for a repeat call to start from; audited as a view of the case
        (read first, then the event in a short write)."""
        principal.require(*CASE_ROLES)
        with self._db.read() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise DomainError("cases.not_found", case=case_id)
            intake = reading.linked_intake(s, principal, case, self._settings.clock())
        with self._db.write() as s:
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "case_viewed",
                "case",
                case_id,
                {"for": "linked_call"},
            )
        return intake

    def transition(
        self, principal: Principal, case_id: str, to_state: str, reason: str | None = None
    ) -> None:
        """Move a case along its state machine (closing needs a supervisor); audited."""
        principal.require(*CASE_ROLES)
        now = self._settings.clock()
        with self._db.write() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise DomainError("cases.not_found", case=case_id)
            states.transition("case", case.status, to_state, principal.role, reason)
            before, case.status, case.updated_at = case.status, to_state, now
            case.closed_at = now if to_state == "closed" else None
            details: dict[str, object] = {"from": before, "to": to_state}
            if reason:
                details["reason"] = reason
            self._audit.append(
                s, principal.keys, principal.name, "case_status_changed", "case", case_id, details
            )

    def add_note(self, principal: Principal, case_id: str, text: str) -> None:
        principal.require(*CASE_ROLES)
        body = text.strip()
        if not body:
            raise DomainError("cases.empty_note")
        if len(body) > MAX_NOTE:
            raise DomainError("cases.note_too_long", n=MAX_NOTE)
        now = self._settings.clock()
        with self._db.write() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise DomainError("cases.not_found", case=case_id)
            note_id = str(uuid.uuid4())
            s.add(
                CaseNote(
                    id=note_id,
                    case_id=case_id,
                    author_id=principal.user_id,
                    at=now,
                    body=principal.keys.cipher.encrypt("case_notes", "body", note_id, body),
                )
            )
            case.updated_at = now
            self._audit.append(
                s, principal.keys, principal.name, "note_added", "case", case_id, {"note": note_id}
            )
