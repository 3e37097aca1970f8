"""The case detail's reads at the driver's speed (issue 23 item 3).

Opening a case read its rows through the ORM, eleven statements each built, compiled and typed
on every call (most of a detail's time at 1 M contacts, against the same reads by hand). Here
the same reads are Core statements built once and run as prepared statements on one read
transaction of the fast reads (``store.fast_read``); rows come back as tuples and are typed by
position. The record check (``check_case``) runs on the same connection in the same
transaction, so the rows shown and the rows checked are one snapshot. The referrals' steps and
the history find the case's referrals by a join rather than a list of ids: no statement is
built per call.

SQLite only (``CaseService.detail`` keeps the session's reads elsewhere, where the round trip
dominates).
"""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select

from caseintake.crypto.audit_chain import from_micros
from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.states import REFERRAL_STATES
from caseintake.services.audit.case_check import check_rows
from caseintake.services.cases.child_pins import COLUMN as PIN_COLUMN
from caseintake.services.cases.child_pins import TABLE as PIN_TABLE
from caseintake.services.cases.queries import summaries, summary_select
from caseintake.services.cases.reading import contact_view, referral_view, step_view
from caseintake.services.core.principal import Principal
from caseintake.services.core.views import (
    CaseDetail,
    ChildView,
    HistoryItem,
    NoteView,
    PerpetratorView,
    ReferralStep,
    ReferralView,
    split_codes,
)
from caseintake.store.fast_read import FastReads, Reader
from caseintake.store.models import (
    AuditEvent,
    Case,
    CaseErasure,
    CaseNote,
    Child,
    ChildPin,
    Contact,
    DirectoryEntryRow,
    Perpetrator,
    Referral,
    ReferralUpdate,
    User,
)

_SUMMARY = 14  # the columns of ``summary_select``, then the detail's own


def _case_id() -> Any:
    return bindparam("case")


@cache
def _case() -> Select[Any]:
    return (
        summary_select(False)
        .add_columns(Case.narrative, Case.setting, Case.immediate_danger)
        .where(Case.id == _case_id())
    )


@cache
def _children() -> Select[Any]:
    return select(Child.__table__).where(Child.case_id == _case_id()).order_by(Child.position)


@cache
def _pins() -> Select[Any]:
    return (
        select(ChildPin.child_id, ChildPin.pin)
        .join(Child, Child.id == ChildPin.child_id)
        .where(Child.case_id == _case_id())
    )


@cache
def _perpetrators() -> Select[Any]:
    return (
        select(Perpetrator.id, Perpetrator.relationship, Perpetrator.name)
        .where(Perpetrator.case_id == _case_id())
        .order_by(Perpetrator.position)
    )


@cache
def _referrals() -> Select[Any]:
    return (
        select(
            Referral.__table__,
            DirectoryEntryRow.name.label("entry_name"),
            DirectoryEntryRow.phones.label("entry_phones"),
        )
        .outerjoin(DirectoryEntryRow, DirectoryEntryRow.id == Referral.directory_entry_id)
        .where(Referral.case_id == _case_id())
        .order_by(Referral.due_at)
    )


@cache
def _steps() -> Select[Any]:
    return (
        select(ReferralUpdate.__table__, User.name.label("actor_name"))
        .join(User, User.id == ReferralUpdate.actor_id)
        .join(Referral, Referral.id == ReferralUpdate.referral_id)
        .where(Referral.case_id == _case_id())
    )


@cache
def _notes() -> Select[Any]:
    return (
        select(CaseNote.id, CaseNote.at, CaseNote.body, User.name)
        .join(User, User.id == CaseNote.author_id)
        .where(CaseNote.case_id == _case_id())
        .order_by(CaseNote.at)
    )


@cache
def _history() -> Select[Any]:
    referrals = select(Referral.id).where(Referral.case_id == _case_id()).scalar_subquery()
    return (
        select(AuditEvent.seq, AuditEvent.at_us, AuditEvent.actor, AuditEvent.action)
        .where(
            or_(
                and_(AuditEvent.entity == "case", AuditEvent.entity_id == _case_id()),
                and_(AuditEvent.entity == "referral", AuditEvent.entity_id.in_(referrals)),
            )
        )
        .order_by(AuditEvent.seq)
    )


@cache
def _timeline() -> Select[Any]:
    return (
        select(Contact.__table__, User.name.label("operator_name"))
        .join(User, User.id == Contact.operator_id)
        .where(Contact.case_id == _case_id())
        .order_by(Contact.received_at.desc(), Contact.created_at.desc())
    )


@cache
def _erased() -> Select[Any]:
    return select(CaseErasure.erased_at).where(CaseErasure.case_id == _case_id())


@cache
def _named(stmt: Select[Any]) -> Any:
    """A row type with the statement's column names, read as the ORM's objects are."""
    return namedtuple("Row", [c.key for c in stmt.selected_columns], rename=True)  # type: ignore[misc]


def _rows(fast: FastReads, r: Reader, stmt: Select[Any], case_id: str) -> list[Any]:
    named = _named(stmt)
    return [named._make(row) for row in r.rows(fast.prepared(stmt), {"case": case_id})]


def read_detail(
    fast: FastReads, r: Reader, principal: Principal, case_id: str, now: datetime
) -> CaseDetail:
    """The case's detail from one read transaction on a driver connection (``r``), its record
    check included; raises ``cases.not_found``."""
    enc = principal.keys.cipher
    found = r.rows(fast.prepared(_case()), {"case": case_id})
    if not found:
        raise DomainError("cases.not_found", case=case_id)
    row = found[0]
    summary = summaries([row[:_SUMMARY]], now)[0]
    narrative, setting, danger = row[_SUMMARY:]
    pins = {
        child: enc.decrypt(PIN_TABLE, PIN_COLUMN, child, pin)
        for child, pin in r.rows(fast.prepared(_pins()), {"case": case_id})
    }
    children = [
        ChildView(
            c.age,
            c.age_basis,
            c.sex,
            c.ethnicity,
            c.disability,
            split_codes(c.special_circumstances),
            enc.decrypt_opt("children", "name", c.id, c.name),
            enc.decrypt_opt("children", "address", c.id, c.address),
            pins.get(c.id),
        )
        for c in _rows(fast, r, _children(), case_id)
    ]
    perpetrators = [
        PerpetratorView(relationship, enc.decrypt_opt("perpetrators", "name", pid, name))
        for pid, relationship, name in r.rows(fast.prepared(_perpetrators()), {"case": case_id})
    ]
    steps = _referral_steps(principal, _rows(fast, r, _steps(), case_id))
    referrals = [
        _referral(principal, x, now, steps.get(x.id, ()))
        for x in _rows(fast, r, _referrals(), case_id)
    ]
    notes = [
        NoteView(at, author, enc.decrypt("case_notes", "body", nid, body))
        for nid, at, body, author in r.rows(fast.prepared(_notes()), {"case": case_id})
    ]
    history = [
        HistoryItem(seq, from_micros(at_us), actor, action)
        for seq, at_us, actor, action in r.rows(fast.prepared(_history()), {"case": case_id})
    ]
    contacts = [
        contact_view(principal, c, c.operator_name, summary.number)
        for c in _rows(fast, r, _timeline(), case_id)
    ]
    if contacts and not any(v.narrative for v in contacts) and narrative is not None:
        text = enc.decrypt("cases", "narrative", case_id, narrative)
        first = contacts[-1]
        contacts[-1] = type(first)(**{**first.__dict__, "narrative": text})
    erased = r.rows(fast.prepared(_erased()), {"case": case_id})
    tampered = check_rows(r.driver, True, case_id)  # the rows just shown, one snapshot
    return CaseDetail(
        summary,
        enc.decrypt_opt("cases", "narrative", case_id, narrative) or "",
        setting,
        bool(danger),
        children,
        perpetrators,
        referrals,
        notes,
        history,
        contacts,
        tampered=tampered,
        erased_at=erased[0][0] if erased else None,
    )


def _referral_steps(principal: Principal, rows: list[Any]) -> dict[str, tuple[ReferralStep, ...]]:
    """The follow-up steps of the case's referrals, oldest first, decrypted."""
    enc = principal.keys.cipher
    # The referral machine has no way back: within one instant, the earlier state came first.
    rows = sorted(rows, key=lambda u: (u.at, REFERRAL_STATES.index(u.from_status)))
    out: dict[str, list[ReferralStep]] = {}
    for u in rows:
        out.setdefault(u.referral_id, []).append(step_view(enc, u, u.actor_name))
    return {k: tuple(v) for k, v in out.items()}


def _referral(
    principal: Principal, r: Any, now: datetime, steps: tuple[ReferralStep, ...]
) -> ReferralView:
    return referral_view(principal, r, r.entry_name, r.entry_phones, now, steps)
