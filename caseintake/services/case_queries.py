"""Building summaries in SQL: a page of ids in, summaries out, in a handful of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseintake.services.views import CaseSummary, ContactSummary
from caseintake.store.models import Case, CaseConcern, Contact, Referral

OPEN_REFERRAL_STATES = ("pending", "sent", "acknowledged", "in_progress")


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
        )
        .outerjoin(Case, Case.id == Contact.case_id)
        .where(Contact.id.in_(ids))
    ).all()
    by_id = {r[0]: ContactSummary(*r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def case_summaries(s: Session, ids: list[str]) -> list[CaseSummary]:
    """Summaries in the order of ``ids``, each with its next open referral deadline."""
    if not ids:
        return []
    cases = {c.id: c for c in s.execute(select(Case).where(Case.id.in_(ids))).scalars()}
    concerns: dict[str, list[str]] = defaultdict(list)
    for case_id, concern in s.execute(
        select(CaseConcern.case_id, CaseConcern.concern).where(CaseConcern.case_id.in_(ids))
    ):
        concerns[case_id].append(concern)
    next_due: dict[str, tuple[datetime, str]] = {}
    first = (
        select(Referral.case_id, func.min(Referral.due_at).label("due"))
        .where(Referral.case_id.in_(ids), Referral.status.in_(OPEN_REFERRAL_STATES))
        .group_by(Referral.case_id)
        .subquery()
    )
    for case_id, due, body in s.execute(
        select(Referral.case_id, Referral.due_at, Referral.body)
        .join(first, (first.c.case_id == Referral.case_id) & (first.c.due == Referral.due_at))
        .where(Referral.status.in_(OPEN_REFERRAL_STATES))
    ):
        next_due.setdefault(case_id, (due, body))
    out = []
    for i in ids:
        c = cases.get(i)
        if c is None:
            continue
        due, body = next_due.get(i, (None, None))
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
            )
        )
    return out
