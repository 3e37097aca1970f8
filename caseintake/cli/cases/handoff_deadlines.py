"""What ``handoff list`` and ``handoff partners`` print of a hand-off's deadline (issue 24
item 5): the acceptance deadline, "overdue at partner" for an outgoing one, overdue here for
an incoming one, how late an acceptance was signed; time to accept per partner line."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from caseintake.cli.json_out import iso
from caseintake.domain.handoff.deadlines import short_duration
from caseintake.domain.referrals.deadlines import VN_TZ
from caseintake.i18n import t


def local_midnight(day: datetime) -> datetime:
    """A ``YYYY-MM-DD`` option's day, from midnight in Viet Nam."""
    return datetime.combine(day.date(), time(0), VN_TZ)


def _seconds(value: timedelta | None) -> int | None:
    return int(value.total_seconds()) if value is not None else None


def handoff_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "case_number": r.case_number,
        "direction": r.direction,
        "partner": r.partner,
        "status": r.status,
        "partner_case_number": r.partner_case_number,
        "basis": r.basis,
        "package_id": r.package_id,
        "due_at": iso(r.due_at),
        "recorded_at": iso(r.recorded_at),
        "updated_at": iso(r.updated_at),
        # The acceptance deadline: out, the partner's signed acceptance; in, this line's answer.
        "accept_by": iso(r.accept_by),
        "overdue": r.overdue,
        "overdue_at_partner": r.direction == "out" and r.overdue,
        "accepted_at": iso(r.accepted_at),  # the acceptance receipt's signed time
        "accepted_late_by": _seconds(r.late_by),  # seconds past the deadline, or null
    }


def deadline_mark(r: Any) -> str:
    """A tab and the row's deadline words, or nothing when there is nothing to say."""
    if r.overdue and r.direction == "out":
        return "\t" + t("handoff_deadlines.overdue_at_partner", line=r.partner)
    if r.overdue:
        return "\t" + t("handoff_deadlines.overdue_here")
    if r.late_by is not None:
        return "\t" + t("handoff_deadlines.accepted_late", late=short_duration(r.late_by))
    return ""


def partners_json(report: Any) -> dict[str, Any]:
    return {
        "since": iso(report.since),
        "until": iso(report.until),
        "time_from": "package_created",  # the package header's signed creation time
        "time_to": "receipt_authored",  # the acceptance receipt's signed time
        "partners": [
            {
                "partner": p.partner,
                "sent": p.sent,
                "accepted": p.accepted,
                "rejected": p.rejected,
                "waiting": p.waiting,
                "overdue_at_partner": p.overdue,
                "accepted_late": p.accepted_late,
                "median_seconds": _seconds(p.median),
                "slowest_seconds": _seconds(p.slowest),
            }
            for p in report.partners
        ],
    }


def partner_line(p: Any) -> str:
    none = "–"
    return t(
        "handoff_deadlines.cli.partner_line",
        line=p.partner,
        sent=p.sent,
        accepted=p.accepted,
        rejected=p.rejected,
        waiting=p.waiting,
        overdue=p.overdue,
        median=short_duration(p.median) if p.median is not None else none,
        slowest=short_duration(p.slowest) if p.slowest is not None else none,
    )
