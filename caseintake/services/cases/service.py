"""Case list, search, detail (audited as a view of case content) and notes."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    column,
    exists,
    func,
    or_,
    select,
    tuple_,
)

from caseintake.domain.errors import DomainError
from caseintake.domain.intake.field_checks import FieldRejected, check_text
from caseintake.domain.intake.record import Intake
from caseintake.domain.referrals import states
from caseintake.domain.referrals.deadlines import VN_TZ
from caseintake.services.audit.case_check import check_case, untrue_cases
from caseintake.services.audit.log import AuditLog
from caseintake.services.cases import number_tail, reading
from caseintake.services.cases.at_partner import any_sent, with_partners
from caseintake.services.cases.callers import phone_index
from caseintake.services.cases.detail_read import read_detail
from caseintake.services.cases.queries import (
    case_summaries,
    nearest_due,
    summaries,
    summary_select,
)
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.core.views import CaseDetail, CasePage, CaseSummary
from caseintake.store.db import Database
from caseintake.store.models import Case, CaseConcern, CaseCounter, CaseNote, Contact
from caseintake.store.planner_stats import PlannerStats
from caseintake.store.types import UTCDateTime

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
        lateral = not self._db.is_sqlite
        rows = self._db.fast.rows(_home(limit, lateral), {"user": principal.user_id})
        return summaries(rows, self._settings.clock())

    def search(
        self,
        principal: Principal,
        query: CaseQuery,
        page: int = 0,
        page_size: int = 20,
        after: tuple[datetime, str] | None = None,
    ) -> CasePage:
        """Newest first, paged by keyset only: ``after`` is the ``after`` of the page before
        (None for the first), so the thousandth page costs what the first does; ``page`` is
        the page's number as shown, never an offset (issue 23: OFFSET read every row before
        the page, 19.9 ms at page 500 of 1 M contacts against 0.17 ms by keyset)."""
        principal.require(*CASE_ROLES)
        shape, params = _shape(principal, query)
        if "tail" in shape and self._db.is_sqlite:
            numbers = self._tail_numbers(params["tail"][1:])
            if numbers is not None and not numbers:
                return CasePage([], page, False, None)
            if numbers is not None:  # each looked up by the unique index (number_tail.py)
                shape = tuple("numbers" if name == "tail" else name for name in shape)
                params["numbers"] = json.dumps(numbers)
        params["limit"] = page_size + 1
        if after is not None:
            params["after_at"], params["after_id"] = after
        lateral = not self._db.is_sqlite
        if shape == ("number",):  # one probe of the unique index: no order, no paging
            rows = self._db.fast.rows(_by_number(lateral), params) if after is None else []
        else:
            rows = self._db.fast.rows(_search(shape, after is not None, lateral), params)
        found = summaries(rows, self._settings.clock())
        items, more = self._marked(found[:page_size]), len(found) > page_size
        cursor = (items[-1].opened_at, items[-1].id) if more and items else None
        return CasePage(items, page, more, cursor)

    def _marked(self, items: list[CaseSummary]) -> list[CaseSummary]:
        """A case whose rows differ from the events that wrote them is marked, never shown
        silently as if recorded so (issue 20 item 2)."""
        untrue = untrue_cases(self._db, [c.id for c in items])
        return [replace(c, tampered=True) if c.id in untrue else c for c in items]

    def _tail_numbers(self, tail: str) -> list[str] | None:
        counters = self._db.fast.rows(_COUNTERS)  # a few rows: a line and a year each
        return number_tail.candidates(tail, [tuple(c) for c in counters])

    def detail(self, principal: Principal, case_id: str) -> CaseDetail:
        """Decrypts the case for reading; the view itself is an audit event (DESIGN §4), written
        in its own short transaction after the reads, so reading never holds the write lock.
        Nothing is returned unless the event has committed."""
        principal.require(*CASE_ROLES)
        now = self._settings.clock()
        if not self._db.is_sqlite:
            detail = self._detail_in_session(principal, case_id, now)
            with self._db.write() as s:
                self._audit.append(
                    s, principal.keys, principal.name, "case_viewed", "case", case_id
                )
            return detail
        # SQLite: the reads at the driver's speed, the record check in the same transaction,
        # then the event in a short write on the same connection (as the caller lookup).
        fast, keys, audit = self._db.fast, principal.keys, self._audit
        event = (principal.name, "case_viewed", "case", case_id, None, None)
        with fast.lookup() as look:
            with look.reads() as r:
                detail = read_detail(fast, r, principal, case_id, now)
            written = look.write(lambda driver: audit.append_viewed_on_driver(driver, keys, event))
        if written is not None:
            self._db.wrote()  # the WAL checkpoints see this write as a session's
        else:  # this process's first audited write, or the case has no key yet
            with self._db.write() as s:
                audit.append_many(s, keys, [event])
        moved = any(r.status != "pending" for r in detail.referrals)
        if moved and any_sent(self._db, case_id):  # sent as packages (issue 24)
            with self._db.read() as s:
                detail = replace(detail, referrals=with_partners(s, detail.referrals, now))
        return detail

    def _detail_in_session(self, principal: Principal, case_id: str, now: datetime) -> CaseDetail:
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
                tampered=check_case(s, case_id),
                erased_at=reading.erased_at(s, case_id),
            )
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
        try:  # the intake's own text rule: NFC, no control or bidi-override characters
            body = check_text(text, max_length=MAX_NOTE, multiline=True)
        except FieldRejected as rejected:
            if rejected.key == "validation.too_long":
                raise DomainError("cases.note_too_long", n=MAX_NOTE) from None
            raise DomainError(rejected.key, **rejected.params) from None
        if not body:
            raise DomainError("cases.empty_note")
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


# Statements built once per shape with named parameters: SQLAlchemy then reuses their cache
# key and compiled form, which cost more than the query itself when rebuilt on every call.


_COUNTERS = select(CaseCounter.line, CaseCounter.year, CaseCounter.last)


@cache
def _home(limit: int, lateral: bool = False) -> Select[Any]:
    """From the partial index of open cases by operator (ix_cases_open_assigned), each case
    with one look into its few referrals; the summaries in the same statement."""
    due = nearest_due(lateral)
    return (
        summary_select(lateral)
        .where(Case.assigned_to == bindparam("user"), Case.status != "closed")
        .order_by(due.is_(None), due, Case.opened_at.desc())
        .limit(limit)
    )


def _shape(principal: Principal, query: CaseQuery) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Which filters the query uses, and their values."""
    shape: list[str] = []
    params: dict[str, Any] = {}
    text = query.text.strip()
    if text:
        index = None if _NUMBER.match(text) else phone_index(principal.keys.blind_key, text)
        if _FULL_NUMBER.match(text):
            shape.append("number")
            params["number"] = text.upper()
        elif index is None:
            shape.append("tail")
            params["tail"] = f"%{text}"
        else:
            shape.append("phone")
            params["number"], params["phone"] = text, index
    for name, value in (
        ("province", query.province_code),
        ("ward", query.ward_code),
        ("status", query.status or None),
    ):
        if value is not None:
            shape.append(name)
            params[name] = value
    if query.concern:
        shape.append("concern")
        c = query.concern
        params.update(concern=c, concern_lo=f"{c}.", concern_hi=f"{c}/")
    if query.opened_from:
        shape.append("from")
        params["from"] = _local_midnight(query.opened_from)
    if query.opened_to:
        shape.append("to")
        params["to"] = _local_midnight(query.opened_to + timedelta(days=1))
    return tuple(shape), params


def _condition(name: str) -> ColumnElement[bool]:
    if name == "number":
        return Case.number == bindparam("number")  # the unique index, one lookup
    if name == "tail":
        return Case.number.like(bindparam("tail"))  # a number's tail: every case read
    if name == "numbers":  # the numbers a tail can be (SQLite): the unique index, each
        listed = select(column("value")).select_from(func.json_each(bindparam("numbers")))
        return Case.number.in_(listed)
    if name == "phone":
        by_phone = select(Contact.case_id).where(Contact.caller_phone_index == bindparam("phone"))
        return or_(Case.number == bindparam("number"), Case.id.in_(by_phone))
    if name == "concern":
        # EXISTS on the concerns' primary key (case_id, concern), checked case by case down
        # the date index; a code and its sub-codes as one range, not LIKE.
        return exists().where(
            CaseConcern.case_id == Case.id,
            or_(
                CaseConcern.concern == bindparam("concern"),
                and_(
                    CaseConcern.concern > bindparam("concern_lo"),
                    CaseConcern.concern < bindparam("concern_hi"),
                ),
            ),
        )
    simple = {
        "province": Case.province_code == bindparam("province"),
        "ward": Case.ward_code == bindparam("ward"),
        "status": Case.status == bindparam("status"),
        "from": Case.opened_at >= bindparam("from"),
        "to": Case.opened_at < bindparam("to"),
    }
    return simple[name]


@cache
def _by_number(lateral: bool = False) -> Select[Any]:
    return summary_select(lateral).where(_condition("number"))


@cache
def _search(shape: tuple[str, ...], keyset: bool, lateral: bool = False) -> Select[Any]:
    stmt = summary_select(lateral).where(*(_condition(name) for name in shape))
    stmt = stmt.order_by(Case.opened_at.desc(), Case.id.desc())
    stmt = stmt.limit(bindparam("limit", type_=Integer()))
    if keyset:
        after = tuple_(
            bindparam("after_at", type_=UTCDateTime()), bindparam("after_id", type_=String())
        )
        return stmt.where(tuple_(Case.opened_at, Case.id) < after)
    return stmt
