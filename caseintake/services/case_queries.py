"""Building summaries in SQL: a page of ids in, summaries out, in a handful of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from caseintake.domain.deadline_state import deadline_state
from caseintake.services.views import CaseSummary, ContactSummary
from caseintake.store.models import Case, CaseConcern, Contact, Referral

OPEN_REFERRAL_STATES = ("pending", "sent", "acknowledged", "in_progress")


def unmet_deadline() -> ColumnElement[bool]:
    """Referrals whose deadline step is not done (domain.deadline_state, in SQL): not yet sent,
    or sent but not acknowledged where the deadline is counted to acknowledgement."""
    return or_(
        Referral.status == "pending",
        and_(Referral.status == "sent", Referral.due_spec != "immediately"),
    )


def contact_summaries(s: Session, ids: list[str]) -> list[ContactSummary]:
    if not ids:
        return []
    rows = s.execute(
        select(
            Contact.id,
            Contact.received_at,
            Contact.contact_type,
            Contact.channel,
            Contact.duration_seconds,
            Case.number,
            Contact.case_id,
        )
        .outerjoin(Case, Case.id == Contact.case_id)
        .where(Contact.id.in_(ids))
    ).all()
    by_id = {r[0]: ContactSummary(*r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def case_summaries(s: Session, ids: list[str], now: datetime | None = None) -> list[CaseSummary]:
    """Summaries in the order of ``ids``, each with its nearest deadline not met yet (and,
    given ``now``, where that deadline stands)."""
    if not ids:
        return []
    # Only the columns a list shows: never the encrypted narrative.
    cases = {
        c.id: c
        for c in s.execute(
            select(
                Case.id,
                Case.number,
                Case.status,
                Case.priority,
                Case.opened_at,
                Case.province_code,
                Case.ward_code,
            ).where(Case.id.in_(ids))
        )
    }
    concerns: dict[str, list[str]] = defaultdict(list)
    for case_id, concern in s.execute(
        select(CaseConcern.case_id, CaseConcern.concern).where(CaseConcern.case_id.in_(ids))
    ):
        concerns[case_id].append(concern)
    next_due: dict[str, tuple[datetime | None, str | None, str | None]] = {}
    for r in s.execute(
        select(
            Referral.case_id,
            Referral.due_at,
            Referral.body,
            Referral.due_spec,
            Referral.status,
            Referral.sent_at,
            Referral.acknowledged_at,
        )
        .where(Referral.case_id.in_(ids), unmet_deadline())
        .order_by(Referral.due_at)
    ):
        if r.case_id in next_due:
            continue
        state = None
        if now is not None:
            state = deadline_state(
                r.due_spec,
                r.due_at,
                r.status,
                sent_at=r.sent_at,
                acknowledged_at=r.acknowledged_at,
                now=now,
            )
        next_due[r.case_id] = (r.due_at, r.body, state)
    out = []
    for i in ids:
        c = cases.get(i)
        if c is None:
            continue
        due, body, state = next_due.get(i, (None, None, None))
        out.append(
            CaseSummary(
                c.id,
                c.number,
                c.status,
                c.priority,
                c.opened_at,
                c.province_code,
                c.ward_code,
                tuple(sorted(concerns[i])),
                due,
                body,
                state,
            )
        )
    return out
