"""Outgoing hand-offs against their acceptance deadline (issue 24 item 5), read for the queue,
the case detail, the hand-off list and the dashboard alike: ``domain.handoff.deadlines`` over
each package's deadline, its referral's deadline kind and body, and the signed time of the
acceptance receipt that answered it. Read-only; a few rows per call (one per hand-off)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, and_, bindparam, select
from sqlalchemy.orm import Session

from caseintake.domain.handoff.deadlines import WAITING, AtPartner, acceptance_due, at_partner
from caseintake.domain.routing.escalation import EscalationRules, load_escalation_rules
from caseintake.services.core.views import ReferralView
from caseintake.store.db import Database
from caseintake.store.models import HandoffReceiptRow, HandoffRow, Referral

# Whether the case went out as a package at all: one probe through the driver, before the ORM
# read of its referrals' hand-offs (3 ms a case detail when built for every view).
_SENT_OF = (
    select(HandoffRow.id)
    .where(HandoffRow.direction == "out", HandoffRow.case_id == bindparam("case"))
    .limit(bindparam("limit", type_=Integer()))
)


def any_sent(db: Database, case_id: str) -> bool:
    return bool(db.fast.rows(_SENT_OF, {"case": case_id, "limit": 1}))


@lru_cache(maxsize=1)
def shipped_rules() -> EscalationRules:
    return load_escalation_rules()


@dataclass(frozen=True)
class PartnerDeadline:
    handoff_id: str
    referral_id: str | None
    partner: str  # the partner line's code
    status: str  # the hand-off's
    sent_at: datetime  # the package's signed creation time
    state: AtPartner


def partner_deadlines(
    s: Session,
    now: datetime,
    *,
    referral_ids: Collection[str] | None = None,
    handoff_ids: Collection[str] | None = None,
    sent_since: datetime | None = None,
    waiting_only: bool = False,
    rules: EscalationRules | None = None,
) -> list[PartnerDeadline]:
    """Every outgoing hand-off (of these referrals, or these hand-offs, or sent since then)."""
    rules = rules or shipped_rules()
    accepted = (
        select(HandoffReceiptRow.handoff_id, HandoffReceiptRow.authored_at)
        .where(HandoffReceiptRow.direction == "in", HandoffReceiptRow.status == "accepted")
        .subquery()
    )
    stmt = (
        select(
            HandoffRow, Referral.due_spec, Referral.body, Referral.status, accepted.c.authored_at
        )
        .outerjoin(Referral, Referral.id == HandoffRow.referral_id)
        .outerjoin(accepted, accepted.c.handoff_id == HandoffRow.id)
        .where(HandoffRow.direction == "out")
        .order_by(HandoffRow.created_at, HandoffRow.id)
    )
    if referral_ids is not None:
        if not referral_ids:
            return []
        stmt = stmt.where(HandoffRow.referral_id.in_(list(referral_ids)))
    if handoff_ids is not None:
        if not handoff_ids:
            return []
        stmt = stmt.where(HandoffRow.id.in_(list(handoff_ids)))
    if waiting_only:  # (direction, status) is indexed: only those still waiting are read
        stmt = stmt.where(HandoffRow.status == WAITING)
    if sent_since is not None:
        stmt = stmt.where(and_(HandoffRow.created_at >= sent_since, HandoffRow.created_at <= now))
    out = []
    for row, due_spec, body, referral_status, accepted_at in s.execute(stmt).all():
        rule = rules.for_body(body) if body else None
        accept_by = acceptance_due(due_spec, row.due_at, rule.ack_window() if rule else None)
        state = at_partner(row.status, accept_by, accepted_at, now, referral_status)
        out.append(
            PartnerDeadline(
                row.id, row.referral_id, row.partner_line, row.status, row.created_at, state
            )
        )
    return out


def overdue_at_partner(
    s: Session, now: datetime, referral_ids: Collection[str], rules: EscalationRules | None = None
) -> dict[str, PartnerDeadline]:
    """The referrals among these whose package waits past its deadline, with its hand-off."""
    found = partner_deadlines(s, now, referral_ids=referral_ids, waiting_only=True, rules=rules)
    return {d.referral_id: d for d in found if d.state.overdue and d.referral_id is not None}


def with_partners(s: Session, views: list[ReferralView], now: datetime) -> list[ReferralView]:
    """The case detail's referrals with their packages' acceptance deadlines (a referral only
    pending was never sent: nothing to read then)."""
    if all(r.status == "pending" for r in views):
        return views
    sent = {d.referral_id: d for d in partner_deadlines(s, now, referral_ids=[r.id for r in views])}
    return [replace(r, **_fields(sent.get(r.id))) for r in views]


def _fields(found: PartnerDeadline | None) -> dict[str, Any]:
    if found is None:
        return {}
    return {
        "partner_line": found.partner,
        "partner_accept_by": found.state.accept_by,
        "partner_overdue": found.state.overdue,
        "partner_late_by": found.state.late_by,
    }
