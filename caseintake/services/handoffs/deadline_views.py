"""A hand-off as its readers see it against its deadline (issue 24 item 5): out, whether the
partner's signed acceptance is overdue and how late one came; in, whether this line's answer
is; and the per-partner report of ``handoff partners``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time

from caseintake.domain.handoff.deadlines import AtPartner, overdue_here
from caseintake.domain.referrals.deadlines import VN_TZ, to_local
from caseintake.services.handoffs.views import HandoffView
from caseintake.services.referrals.partner_times import PartnerTimes
from caseintake.store.models import HandoffRow


@dataclass(frozen=True)
class PartnerReport:
    since: datetime
    until: datetime
    partners: tuple[PartnerTimes, ...]


def month_start(now: datetime) -> datetime:
    """The first of ``now``'s month at midnight in Viet Nam (the dashboard's month)."""
    return datetime.combine(to_local(now).date().replace(day=1), time(0), VN_TZ)


def view_of(r: HandoffRow, number: str | None) -> HandoffView:
    return HandoffView(
        id=r.id,
        case_number=number,
        direction=r.direction,
        partner=r.partner_line,
        status=r.status,
        partner_case_number=r.partner_case_number,
        basis=r.basis,
        package_id=r.package_id,
        due_at=r.due_at,
        recorded_at=r.recorded_at,
        updated_at=r.updated_at,
    )


def with_deadline(view: HandoffView, sent: AtPartner | None, now: datetime) -> HandoffView:
    if view.direction == "in":
        return replace(
            view, accept_by=view.due_at, overdue=overdue_here(view.status, view.due_at, now)
        )
    if sent is None:
        return view
    return replace(
        view,
        accept_by=sent.accept_by,
        overdue=sent.overdue,
        accepted_at=sent.accepted_at,
        late_by=sent.late_by,
    )
