"""Time to accept per partner line (issue 24 item 5), for the dashboard and ``handoff
partners``: of the packages sent in a period, per partner, how many were accepted, rejected,
are still waiting and are overdue at the partner, and the median and slowest time from sending
to acceptance. Both ends of that time are signed moments: the package header's creation time
and the acceptance receipt's own ``authored`` time, not when this line recorded the receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from caseintake.domain.handoff.deadlines import (
    ACCEPTED_STATES,
    WAITING,
    median_and_slowest,
    time_to_accept,
)
from caseintake.domain.routing.escalation import EscalationRules
from caseintake.services.cases.at_partner import PartnerDeadline, partner_deadlines


@dataclass(frozen=True)
class PartnerTimes:
    partner: str  # the partner line's code
    sent: int  # packages sent in the period
    accepted: int  # with a signed acceptance (and any step after it)
    rejected: int
    waiting: int  # no answer yet (overdue ones included)
    overdue: int  # waiting past the acceptance deadline
    accepted_late: int  # accepted, but signed after the deadline
    median: timedelta | None  # from sending to the signed acceptance
    slowest: timedelta | None


def partner_times(
    s: Session, now: datetime, since: datetime, rules: EscalationRules | None = None
) -> list[PartnerTimes]:
    """Per partner line, by its code, for the packages created from ``since`` until ``now``."""
    by_partner: dict[str, list[PartnerDeadline]] = {}
    for found in partner_deadlines(s, now, sent_since=since, rules=rules):
        by_partner.setdefault(found.partner, []).append(found)
    return [_figures(partner, rows) for partner, rows in sorted(by_partner.items())]


def _figures(partner: str, rows: list[PartnerDeadline]) -> PartnerTimes:
    took = [
        time_to_accept(r.sent_at, r.state.accepted_at)
        for r in rows
        if r.state.accepted_at is not None
    ]
    median, slowest = median_and_slowest(took)
    return PartnerTimes(
        partner=partner,
        sent=len(rows),
        accepted=sum(1 for r in rows if r.status in ACCEPTED_STATES),
        rejected=sum(1 for r in rows if r.status == "rejected"),
        waiting=sum(1 for r in rows if r.status == WAITING),
        overdue=sum(1 for r in rows if r.state.overdue),
        accepted_late=sum(1 for r in rows if r.state.accepted_late),
        median=median,
        slowest=slowest,
    )
