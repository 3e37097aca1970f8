"""Where a referral stands against its legal deadline, as a user reads it.

A deadline is met when its step is done: for ``immediately`` (Decree 56/2017/NĐ-CP ch. III,
"chuyển ngay") the step is the hotline *sending* the report; for the hours and working-day
deadlines it is the receiving body *acknowledging* it, which is what the hotline can see of the
body starting to act (and what escalation waits for). An immediate referral reads "now" for its
first minutes rather than overdue the moment it is saved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

DeadlineState = Literal["met", "late", "now", "due_soon", "pending", "overdue", "settled"]

NOW_WINDOW = timedelta(minutes=15)  # an "immediately" referral reads "now" this long
DUE_SOON = timedelta(hours=1)  # "due within the hour" in the queue and on home
SETTLED_STATES = frozenset({"done", "declined", "revoked"})
# States at or past each step, in the referral state machine's order.
_PAST_SENT = frozenset({"sent", "acknowledged", "in_progress", "done"})
_PAST_ACK = frozenset({"acknowledged", "in_progress", "done"})


def step_for(due_spec: str) -> Literal["sent", "acknowledged"]:
    """The step whose time the deadline measures."""
    return "sent" if due_spec == "immediately" else "acknowledged"


def step_done_at(
    due_spec: str, sent_at: datetime | None, acknowledged_at: datetime | None
) -> datetime | None:
    return sent_at if step_for(due_spec) == "sent" else acknowledged_at


def deadline_state(
    due_spec: str,
    due_at: datetime | None,
    status: str,
    *,
    sent_at: datetime | None,
    acknowledged_at: datetime | None,
    now: datetime,
) -> DeadlineState:
    """``met``/``late`` once the step is done (on time or not); ``settled`` when declined or
    revoked before it; otherwise ``now``, ``due_soon``, ``pending`` or ``overdue``."""
    done = step_done_at(due_spec, sent_at, acknowledged_at)
    step = step_for(due_spec)
    reached = _PAST_SENT if step == "sent" else _PAST_ACK
    if done is not None or status in reached:
        if due_at is None or done is None:
            return "met"
        return "met" if done <= _grace(due_spec, due_at) else "late"
    if status in SETTLED_STATES:
        return "settled"
    if due_at is None:
        return "pending"
    if now <= _grace(due_spec, due_at):
        return "now" if due_spec == "immediately" else _soon_or_pending(due_at, now)
    return "overdue"


def is_unmet(state: DeadlineState) -> bool:
    return state in ("now", "due_soon", "pending", "overdue")


def _grace(due_spec: str, due_at: datetime) -> datetime:
    return due_at + NOW_WINDOW if due_spec == "immediately" else due_at


def _soon_or_pending(due_at: datetime, now: datetime) -> DeadlineState:
    return "due_soon" if due_at - now <= DUE_SOON else "pending"
