"""Reading a case's content: its detail, its calls as a timeline, and its facts for a linked call.

Each function takes an open session and the principal whose keys decrypt; the caller
(``CaseService``, ``ContactService``) owns the transaction and writes the audit event of the view.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseintake.crypto.audit_chain import from_micros
from caseintake.domain.intake.record import Child as ChildIn
from caseintake.domain.intake.record import Intake, Location
from caseintake.domain.intake.record import Perpetrator as PerpetratorIn
from caseintake.domain.referrals.deadline_state import deadline_state
from caseintake.domain.referrals.states import REFERRAL_STATES
from caseintake.services.cases.at_partner import with_partners
from caseintake.services.cases.child_pins import pins_of
from caseintake.services.core.principal import Principal
from caseintake.services.core.views import (
    ChildView,
    ContactView,
    HistoryItem,
    NoteView,
    PerpetratorView,
    ReferralStep,
    ReferralView,
    split_codes,
)
from caseintake.store.models import (
    AuditEvent,
    Case,
    CaseConcern,
    CaseErasure,
    CaseNote,
    Child,
    Contact,
    ContactChild,
    DirectoryEntryRow,
    Perpetrator,
    Referral,
    ReferralUpdate,
    User,
)


def children(s: Session, principal: Principal, case_id: str) -> list[ChildView]:
    enc = principal.keys.cipher
    rows = list(
        s.execute(select(Child).where(Child.case_id == case_id).order_by(Child.position))
        .scalars()
        .all()
    )
    pins = pins_of(s, principal.keys, (c.id for c in rows))
    return [
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
        for c in rows
    ]


def perpetrators(s: Session, principal: Principal, case_id: str) -> list[PerpetratorView]:
    enc = principal.keys.cipher
    return [
        PerpetratorView(p.relationship, enc.decrypt_opt("perpetrators", "name", p.id, p.name))
        for p in s.execute(
            select(Perpetrator).where(Perpetrator.case_id == case_id).order_by(Perpetrator.position)
        ).scalars()
    ]


def referral_steps(
    s: Session, principal: Principal, referral_ids: list[str]
) -> dict[str, tuple[ReferralStep, ...]]:
    """The follow-up steps of these referrals, oldest first, decrypted (one query)."""
    if not referral_ids:
        return {}
    enc = principal.keys.cipher
    rows = s.execute(
        select(ReferralUpdate, User.name)
        .join(User, User.id == ReferralUpdate.actor_id)
        .where(ReferralUpdate.referral_id.in_(referral_ids))
    ).all()
    # The referral machine has no way back: within one instant, the earlier state came first.
    rows = sorted(rows, key=lambda r: (r[0].at, REFERRAL_STATES.index(r[0].from_status)))
    out: dict[str, list[ReferralStep]] = {}
    for u, name in rows:
        out.setdefault(u.referral_id, []).append(step_view(enc, u, name))
    return {k: tuple(v) for k, v in out.items()}


def step_view(enc: Any, u: Any, name: str) -> ReferralStep:
    """One follow-up step, decrypted (``u``: an ORM row or a driver row of referral_updates;
    the session read and the fast case detail both build it here)."""
    return ReferralStep(
        u.at,
        name,
        u.from_status,
        u.to_status,
        u.via,
        enc.decrypt_opt("referral_updates", "contacted", u.id, u.contacted),
        enc.decrypt_opt("referral_updates", "note", u.id, u.note),
    )


def referral_view(
    principal: Principal,
    r: Any,
    entry_name: str | None,
    entry_phones: str | None,
    now: datetime,
    steps: tuple[ReferralStep, ...] = (),
) -> ReferralView:
    """One referral as the case detail shows it (``r``: an ORM row or a driver row)."""
    enc = principal.keys.cipher
    return ReferralView(
        r.id,
        r.body,
        entry_name,
        split_codes(entry_phones) if entry_name is not None else (),
        r.province_code,
        r.ward_code,
        r.due_spec,
        r.due_at,
        r.status,
        split_codes(r.rule_ids),
        tuple(r.basis.splitlines()),
        enc.decrypt_opt("referrals", "reason", r.id, r.reason),
        deadline_state(
            r.due_spec,
            r.due_at,
            r.status,
            sent_at=r.sent_at,
            acknowledged_at=r.acknowledged_at,
            now=now,
        ),
        enc.decrypt_opt("referrals", "outcome_note", r.id, r.outcome_note),
        steps,
    )


def referrals(s: Session, principal: Principal, case_id: str, now: datetime) -> list[ReferralView]:
    views = _referrals(s, principal, case_id, now)
    steps = referral_steps(s, principal, [r.id for r in views])
    return with_partners(s, [replace(r, steps=steps.get(r.id, ())) for r in views], now)


def _referrals(s: Session, principal: Principal, case_id: str, now: datetime) -> list[ReferralView]:
    return [
        referral_view(principal, r, e.name if e else None, e.phones if e else None, now)
        for r, e in s.execute(
            select(Referral, DirectoryEntryRow)
            .outerjoin(DirectoryEntryRow, DirectoryEntryRow.id == Referral.directory_entry_id)
            .where(Referral.case_id == case_id)
            .order_by(Referral.due_at)
        )
    ]


def notes(s: Session, principal: Principal, case_id: str) -> list[NoteView]:
    enc = principal.keys.cipher
    return [
        NoteView(n.at, author, enc.decrypt("case_notes", "body", n.id, n.body))
        for n, author in s.execute(
            select(CaseNote, User.name)
            .join(User, User.id == CaseNote.author_id)
            .where(CaseNote.case_id == case_id)
            .order_by(CaseNote.at)
        )
    ]


def history(s: Session, case_id: str, referral_ids: list[str]) -> list[HistoryItem]:
    return [
        HistoryItem(seq, from_micros(at_us), actor, action)
        for seq, at_us, actor, action in s.execute(
            select(AuditEvent.seq, AuditEvent.at_us, AuditEvent.actor, AuditEvent.action)
            .where(
                or_(
                    (AuditEvent.entity == "case") & (AuditEvent.entity_id == case_id),
                    (AuditEvent.entity == "referral") & AuditEvent.entity_id.in_(referral_ids),
                )
            )
            .order_by(AuditEvent.seq)
        )
    ]


def contact_view(
    principal: Principal, c: Contact, operator: str, number: str | None
) -> ContactView:
    enc = principal.keys.cipher
    return ContactView(
        id=c.id,
        received_at=c.received_at,
        contact_type=c.contact_type,
        channel=c.channel,
        operator=operator,
        duration_seconds=c.duration_seconds,
        caller_relationship=c.caller_relationship,
        caller_age_group=c.caller_age_group,
        caller_sex=c.caller_sex,
        counselling_topics=split_codes(c.counselling_topics),
        has_phone=c.caller_phone is not None,
        narrative=enc.decrypt_opt("contacts", "narrative", c.id, c.narrative) or "",
        notes=enc.decrypt_opt("contacts", "notes", c.id, c.notes) or "",
        case_id=c.case_id,
        case_number=number,
        setting=c.setting,
        province_code=c.province_code,
        ward_code=c.ward_code,
        concerns=split_codes(c.concerns),
        immediate_danger=bool(c.immediate_danger),
        caller_name=enc.decrypt_opt("contacts", "caller_name", c.id, c.caller_name) or "",
    )


def contact_children(s: Session, principal: Principal, contact_id: str) -> tuple[ChildView, ...]:
    """The children a contact without a case told about, names and addresses decrypted."""
    enc = principal.keys.cipher
    rows = list(
        s.execute(
            select(ContactChild)
            .where(ContactChild.contact_id == contact_id)
            .order_by(ContactChild.position)
        ).scalars()
    )
    pins = pins_of(s, principal.keys, (c.id for c in rows))
    return tuple(
        ChildView(
            c.age,
            c.age_basis,
            c.sex,
            c.ethnicity,
            c.disability,
            split_codes(c.special_circumstances),
            enc.decrypt_opt("contact_children", "name", c.id, c.name),
            enc.decrypt_opt("contact_children", "address", c.id, c.address),
            pins.get(c.id),
        )
        for c in rows
    )


def timeline(s: Session, principal: Principal, case: Case) -> list[ContactView]:
    """The case's calls, newest first. A case opened before contacts kept their own words
    shows the case's narrative under its first call, so nothing typed is hidden."""
    rows = s.execute(
        select(Contact, User.name)
        .join(User, User.id == Contact.operator_id)
        .where(Contact.case_id == case.id)
        .order_by(Contact.received_at.desc(), Contact.created_at.desc())
    ).all()
    views = [contact_view(principal, c, operator, case.number) for c, operator in rows]
    if views and not any(v.narrative for v in views) and case.narrative is not None:
        text = principal.keys.cipher.decrypt("cases", "narrative", case.id, case.narrative)
        first = views[-1]
        views[-1] = ContactView(**{**first.__dict__, "narrative": text})
    return views


def erased_at(s: Session, case_id: str) -> datetime | None:
    """When the case's words were erased after its retention period, or None."""
    erasure = s.get(CaseErasure, case_id)
    return erasure.erased_at if erasure is not None else None


def linked_intake(s: Session, principal: Principal, case: Case, received_at: datetime) -> Intake:
    """The case's facts as an intake, for a repeat call to start from (the operator edits what
    changed): children, perpetrators, place, concerns and setting. The call's own fields
    (caller, narrative, danger now) start empty."""
    concerns = tuple(
        sorted(
            s.execute(select(CaseConcern.concern).where(CaseConcern.case_id == case.id)).scalars()
        )
    )
    kids = tuple(
        ChildIn(
            age=c.age,
            age_basis=c.age_basis,
            sex=c.sex,
            ethnicity=c.ethnicity,
            disability=c.disability,
            special_circumstances=c.special_circumstances,
            name=c.name,
            address=c.address,
            personal_id=c.personal_id,
        )
        for c in children(s, principal, case.id)
    )
    perps = tuple(
        PerpetratorIn(relationship=p.relationship, name=p.name)
        for p in perpetrators(s, principal, case.id)
    )
    return Intake(
        received_at=received_at,
        contact_type="follow_up",
        line=case.line,
        children=kids,
        location=Location(case.province_code, case.ward_code),
        concerns=concerns,
        setting=case.setting,
        perpetrators=perps,
        case_id=case.id,
    )
