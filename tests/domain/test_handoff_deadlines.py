"""domain.handoff.deadlines: when a partner's signed acceptance is due, where an outgoing or
incoming hand-off stands against it, and the time-to-accept figures (issue 24 item 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from caseintake.domain.handoff.deadlines import (
    acceptance_due,
    at_partner,
    median_and_slowest,
    overdue_here,
    short_duration,
    time_to_accept,
)

DUE = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_the_acceptance_is_due_when_the_package_says_or_after_an_immediate_window() -> None:
    assert acceptance_due("12h", DUE, 2 * H) == DUE  # the window is for "immediately" only
    assert acceptance_due("immediately", DUE, 2 * H) == DUE + 2 * H  # the rule's window
    assert acceptance_due("immediately", DUE, None) == DUE + timedelta(minutes=15)
    assert acceptance_due("5wd", None, None) is None


def test_overdue_only_while_waiting_past_the_deadline() -> None:
    assert not at_partner("sent", DUE, None, DUE).overdue  # at the deadline: not yet
    assert at_partner("sent", DUE, None, DUE + timedelta(seconds=1)).overdue
    for answered in ("accepted", "rejected", "in_progress", "done"):
        assert not at_partner(answered, DUE, None, DUE + 9 * H).overdue
    for settled in ("declined", "revoked", "done"):  # the referral closed here by hand
        assert not at_partner("sent", DUE, None, DUE + H, settled).overdue
    assert not at_partner("sent", None, None, DUE + 99 * H).overdue  # no deadline carried


def test_lateness_is_from_the_signed_acceptance() -> None:
    assert at_partner("accepted", DUE, DUE - H, DUE + 5 * H).late_by is None
    late = at_partner("accepted", DUE, DUE + 90 * timedelta(minutes=1), DUE + 5 * H)
    assert late.late_by == timedelta(minutes=90) and late.accepted_late


def test_overdue_at_the_receiver_until_answered() -> None:
    assert not overdue_here("received", DUE, DUE)
    assert overdue_here("received", DUE, DUE + timedelta(seconds=1))
    assert not overdue_here("accepted", DUE, DUE + H) and not overdue_here("received", None, DUE)


def test_the_figures() -> None:
    assert time_to_accept(DUE, DUE - H) == timedelta(0)  # two clocks a little apart
    assert median_and_slowest([]) == (None, None)
    assert median_and_slowest([H, 3 * H, 2 * H, 10 * H]) == (2.5 * H, 10 * H)
    assert short_duration(timedelta(minutes=65)) == "01:05"
    assert short_duration(timedelta(days=2, hours=3, minutes=15)) == "2d 03:15"
