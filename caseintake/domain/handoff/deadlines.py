"""Deadlines at both ends of a hand-off (issue 24 item 5).

At the sender, a package waits for the partner line's *signed acceptance*: the deadline is the
routing deadline the package carries (``routing.due``: the referral's "12h", "5wd", … counted
in working days with Viet Nam's holidays, ``domain.referrals.deadlines``). For an
"immediately" referral that deadline is for sending (Decree 56/2017/NĐ-CP ch. III, "chuyển
ngay"), which the package itself met; the acceptance then has the escalation rule's
``acknowledge_within`` for the body (rules/escalation.toml), or ``NOW_WINDOW`` when no rule
names one, as the queue's escalations already wait. Past it with the hand-off still ``sent``
it is *overdue at partner*; an acceptance or a rejection receipt ends that. How long an
acceptance took is read from the receipt's own signed time (``authored``), never from when
this line happened to record it.

At the receiver, a package not yet accepted or rejected is overdue once the deadline it
carries has passed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from caseintake.domain.referrals.deadline_state import NOW_WINDOW, SETTLED_STATES

WAITING = "sent"  # an outgoing hand-off no receipt has answered yet
UNANSWERED = "received"  # an incoming one this line has not accepted or rejected
ACCEPTED_STATES = frozenset({"accepted", "in_progress", "done"})


def acceptance_due(
    due_spec: str | None, due: datetime | None, ack_window: timedelta | None
) -> datetime | None:
    """When the partner's signed acceptance is due, from the deadline the package carries."""
    if due is None:
        return None
    if due_spec == "immediately":
        return due + (ack_window if ack_window is not None else NOW_WINDOW)
    return due


@dataclass(frozen=True)
class AtPartner:
    """An outgoing hand-off against its acceptance deadline."""

    accept_by: datetime | None
    overdue: bool  # overdue at partner now: no signed acceptance nor rejection, deadline past
    accepted_at: datetime | None  # the acceptance receipt's signed time
    late_by: timedelta | None  # how late that acceptance was signed; None when in time

    @property
    def accepted_late(self) -> bool:
        return self.late_by is not None


def at_partner(
    status: str,
    accept_by: datetime | None,
    accepted_at: datetime | None,
    now: datetime,
    referral_status: str | None = None,
) -> AtPartner:
    """Where an outgoing hand-off stands. A referral settled by hand here (declined, revoked,
    done) waits for nothing more, so it is not overdue at the partner either."""
    waiting = status == WAITING and referral_status not in SETTLED_STATES
    overdue = waiting and accept_by is not None and now > accept_by
    late = None
    if accepted_at is not None and accept_by is not None and accepted_at > accept_by:
        late = accepted_at - accept_by
    return AtPartner(accept_by, overdue, accepted_at, late)


def overdue_here(status: str, due: datetime | None, now: datetime) -> bool:
    """An incoming hand-off not yet accepted or rejected, past the deadline it carries."""
    return status == UNANSWERED and due is not None and now > due


def time_to_accept(sent: datetime, accepted_at: datetime) -> timedelta:
    """From the package's signed creation to the acceptance's signed time (never negative:
    two machines' clocks may disagree by a little)."""
    return max(accepted_at - sent, timedelta(0))


def median_and_slowest(
    durations: Sequence[timedelta],
) -> tuple[timedelta | None, timedelta | None]:
    if not durations:
        return None, None
    seconds = [d.total_seconds() for d in durations]
    return timedelta(seconds=statistics.median(seconds)), max(durations)


def short_duration(value: timedelta) -> str:
    """``2d 03:15``, ``03:15``: days, hours and minutes, as a table cell has room for."""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    clock = f"{hours:02d}:{mins:02d}"
    return f"{days}d {clock}" if days else clock
