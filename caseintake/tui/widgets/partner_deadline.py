"""A referral sent as a hand-off package, on the case detail (issue 24 item 5): whether the
partner line's signed acceptance is overdue, awaited, or came late, in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from caseintake.domain.handoff.deadlines import short_duration
from caseintake.domain.referrals.deadlines import format_local
from caseintake.i18n import t

if TYPE_CHECKING:
    from caseintake.services.core import ReferralView


def partner_deadline_text(r: ReferralView) -> Text | None:
    if r.partner_line is None:
        return None
    due = format_local(r.partner_accept_by) if r.partner_accept_by else "—"
    if r.partner_overdue:
        words = t("handoff_deadlines.detail_overdue", line=r.partner_line, due=due)
        return Text("‼ " + words, style="bold red")
    if r.partner_late_by is not None:
        late = short_duration(r.partner_late_by)
        return Text(t("handoff_deadlines.detail_late", line=r.partner_line, late=late))
    if r.status == "sent":
        return Text(t("handoff_deadlines.detail_waiting", line=r.partner_line, due=due))
    return None
