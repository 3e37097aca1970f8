"""A referral against its legal deadline: met when its step is done, "now" at first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caseintake.domain.referrals.deadline_state import deadline_state, is_unmet, step_for

T0 = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)


def state(spec: str, status: str, now: datetime, sent=None, ack=None, due=T0):  # type: ignore[no-untyped-def]
    return deadline_state(spec, due, status, sent_at=sent, acknowledged_at=ack, now=now)


def test_immediate_referral_reads_now_at_first_not_overdue() -> None:
    assert state("immediately", "pending", T0) == "now"
    assert state("immediately", "pending", T0 + timedelta(minutes=14)) == "now"
    assert state("immediately", "pending", T0 + timedelta(minutes=16)) == "overdue"


def test_immediate_deadline_is_met_by_sending() -> None:
    sent = T0 + timedelta(minutes=5)
    assert state("immediately", "sent", T0 + timedelta(days=3), sent=sent) == "met"
    late = T0 + timedelta(hours=2)
    assert state("immediately", "sent", T0 + timedelta(days=3), sent=late) == "late"


def test_hour_deadlines_wait_for_acknowledgement() -> None:
    due = T0 + timedelta(hours=12)
    sent = T0 + timedelta(minutes=1)
    assert step_for("12h") == "acknowledged"
    assert state("12h", "sent", T0 + timedelta(hours=2), sent=sent, due=due) == "pending"
    assert state("12h", "sent", due - timedelta(minutes=30), sent=sent, due=due) == "due_soon"
    assert state("12h", "sent", due + timedelta(minutes=1), sent=sent, due=due) == "overdue"
    ack = due - timedelta(hours=1)
    assert state("12h", "acknowledged", due + timedelta(days=1), sent, ack, due) == "met"


@pytest.mark.parametrize("status", ["declined", "revoked"])
def test_settled_before_the_step(status: str) -> None:
    assert state("5wd", status, T0 + timedelta(days=30)) == "settled"
    assert not is_unmet("settled")


def test_no_due_time_is_pending() -> None:
    assert state("5wd", "pending", T0, due=None) == "pending"
    assert is_unmet("pending") and is_unmet("overdue") and not is_unmet("met")
