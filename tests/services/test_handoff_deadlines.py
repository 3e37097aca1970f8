"""Issue 24 item 5: deadlines at both ends of a hand-off, two real databases (line 111 sends,
line HN answers), time moved by the test's clock, never slept.

The fixture's referral to HN is "immediately" (hotline_111, due at 02:00 UTC): sending met
that deadline, and with no escalation rule for the body the signed acceptance has NOW_WINDOW
(15 minutes) after it, so it is due at 02:15."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from caseintake.domain.intake.validation import parse_intake
from caseintake.domain.referrals.deadlines import WorkingCalendar, due_at
from caseintake.store.models import AuditEvent, Case, Referral
from tests.samples import design_example
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template

__all__ = ["lines", "pair_template"]

ACCEPT_BY = datetime(2026, 3, 2, 2, 15, tzinfo=UTC)


def _out(line: Line):  # type: ignore[no-untyped-def]
    [row] = [r for r in line.services.handoffs.rows(line.supervisor) if r.direction == "out"]
    return row


def _queue_row(line: Line, referral_id: str):  # type: ignore[no-untyped-def]
    from caseintake.services.supervisor_desk import SupervisorDesk

    rows = SupervisorDesk(line.services).queue.page(line.supervisor).rows
    return next(r for r in rows if r.id == referral_id)


def _referral(line: Line) -> Referral:
    with line.services.db.read() as s:
        return s.execute(
            select(Referral).where(Referral.directory_entry_id == "line-hn")
        ).scalar_one()


def _send(a: Line, b: Line, name: str = "p.cih") -> str:
    """Sent from 111 and received at HN; HN's hand-off id."""
    package = a.path(name)
    a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", package)
    return str(b.services.handoffs.receive(b.supervisor, package))


def _case_detail_referral(line: Line, referral_id: str):  # type: ignore[no-untyped-def]
    ref = _referral(line)
    detail = line.services.cases.detail(line.supervisor, ref.case_id)
    return next(r for r in detail.referrals if r.id == referral_id)


def test_overdue_at_partner_appears_exactly_when_the_deadline_passes(lines, clock) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    _send(a, b)
    referral_id = _referral(a).id
    clock.now = ACCEPT_BY  # at the deadline: not yet
    out = _out(a)
    assert (out.accept_by, out.overdue, out.late_by) == (ACCEPT_BY, False, None)
    assert _queue_row(a, referral_id).at_partner is None
    assert not _case_detail_referral(a, referral_id).partner_overdue

    clock.advance(seconds=1)
    assert _out(a).overdue
    row = _queue_row(a, referral_id)
    assert (row.at_partner, row.at_partner_due) == ("HN", ACCEPT_BY)
    shown = _case_detail_referral(a, referral_id)
    assert (shown.partner_line, shown.partner_overdue) == ("HN", True)
    assert shown.partner_accept_by == ACCEPT_BY


def test_an_acceptance_signed_in_time_never_shows_it(lines, clock) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    handoff = _send(a, b)
    clock.now = ACCEPT_BY - timedelta(minutes=5)
    b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"))
    clock.now = ACCEPT_BY + timedelta(hours=3)  # recorded here late: its signed time counts
    assert _out(a).overdue  # until the receipt is taken
    a.services.handoffs.take_receipt(a.supervisor, b.path("r.cir"))
    out = _out(a)
    assert (out.status, out.overdue, out.late_by) == ("accepted", False, None)
    assert out.accepted_at == ACCEPT_BY - timedelta(minutes=5)
    clock.advance(days=30)
    assert not _out(a).overdue
    assert not _case_detail_referral(a, _referral(a).id).partner_overdue


def test_a_late_acceptance_clears_it_and_records_how_late(lines, clock) -> None:  # type: ignore[no-untyped-def]
    from caseintake.services.audit.details import open_details

    a, b = lines
    handoff = _send(a, b)
    clock.now = ACCEPT_BY + timedelta(minutes=40)
    assert _out(a).overdue
    b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"))
    a.services.handoffs.take_receipt(a.supervisor, b.path("r.cir"))
    out = _out(a)
    assert (out.overdue, out.late_by) == (False, timedelta(minutes=40))
    assert _queue_row(a, _referral(a).id).at_partner is None  # acknowledged now
    shown = _case_detail_referral(a, _referral(a).id)
    assert (shown.partner_overdue, shown.partner_late_by) == (False, timedelta(minutes=40))
    with a.services.db.read() as s:
        seq, blob = s.execute(
            select(AuditEvent.seq, AuditEvent.details).where(AuditEvent.action == "handoff_receipt")
        ).one()
        details = open_details(s, a.admin.keys, seq, blob) or ""
    assert '"late_by": 2400' in details and '"accept_by": "2026-03-02T02:15:00Z"' in details


def test_a_rejection_ends_it(lines, clock) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    handoff = _send(a, b)
    clock.now = ACCEPT_BY + timedelta(hours=1)
    b.services.handoffs.reject(b.supervisor, handoff, "Không thuộc địa bàn", b.path("r.cir"))
    a.services.handoffs.take_receipt(a.supervisor, b.path("r.cir"))
    out = _out(a)
    assert (out.status, out.overdue, out.late_by) == ("rejected", False, None)


def test_a_working_days_deadline_runs_at_both_ends(lines, clock) -> None:  # type: ignore[no-untyped-def]
    """Five working days ("5wd") from Friday 24 April 2026, 09:00 in Viet Nam: the working
    days are 28 and 29 April, then 4, 5 and 6 May (27 April is the Hùng Kings' day observed,
    30 April and 1 May holidays), so it is due at the end of 6 May. The package carries that
    moment; the receiver's inbox shows it and marks it overdue past it, the sender too."""
    from caseintake.domain.referrals.deadlines import to_local

    a, b = lines
    clock.now = datetime(2026, 4, 24, 2, 0, tzinfo=UTC)
    due = due_at(clock.now, "5wd", WorkingCalendar())
    assert to_local(due).isoformat() == "2026-05-06T17:00:00+07:00"
    with a.services.db.write() as s:  # the routing decision said five working days
        ref = s.execute(
            select(Referral).where(Referral.directory_entry_id == "line-hn")
        ).scalar_one()
        ref.due_spec, ref.due_at = "5wd", due
    _send(a, b)
    [incoming] = b.services.handoffs.rows(b.supervisor)
    assert (incoming.accept_by, incoming.overdue) == (due, False)
    clock.now = due
    assert not _out(a).overdue
    assert not b.services.handoffs.rows(b.supervisor)[0].overdue
    clock.advance(minutes=1)
    assert _out(a).overdue and _out(a).accept_by == due
    assert b.services.handoffs.rows(b.supervisor)[0].overdue
    row = _queue_row(a, _referral(a).id)
    assert (row.deadline, row.at_partner) == ("overdue", "HN")  # in the overdue band


def _another_case(a: Line, phone: str) -> None:
    """One more case at 111 referred to HN's entry, as the fixture's first one."""
    data = design_example(caller={"relationship": "neighbour", "phone": phone})
    saved = a.services.intake.save(a.supervisor, parse_intake(data))
    with a.services.db.read() as s:
        first = s.execute(select(Referral.id).where(Referral.case_id == saved.case_id)).scalar()
    a.services.referrals.rerefer(a.supervisor, first, "line-hn", "Trẻ đang ở Hà Nội")


def test_the_dashboard_figures_per_partner(lines, clock) -> None:  # type: ignore[no-untyped-def]
    """Four packages to HN, sent at 02:00 (each due at 02:15 for its acceptance): accepted
    after 10 min and after 2 h (late by 1 h 45), one rejected, one waiting. Median of the two
    accepted times is 65 min, the slowest 2 h."""
    from caseintake.services.supervisor_desk import SupervisorDesk

    a, b = lines
    for phone in ("0912000001", "0912000002", "0912000003"):
        _another_case(a, phone)
    with a.services.db.read() as s:
        cases = list(
            s.execute(
                select(Case.number)
                .join(Referral, Referral.case_id == Case.id)
                .where(Referral.directory_entry_id == "line-hn")
                .order_by(Case.number)
            ).scalars()
        )
    assert len(cases) == 4
    got = []
    for i, number in enumerate(cases):
        package = a.path(f"p{i}.cih")
        a.services.handoffs.send(a.supervisor, number, "line-hn", "legal_duty", package)
        got.append(b.services.handoffs.receive(b.supervisor, package))
    clock.advance(minutes=10)
    b.services.handoffs.accept(b.supervisor, got[0], b.path("r0.cir"))
    b.services.handoffs.reject(b.supervisor, got[2], "Không thuộc địa bàn", b.path("r2.cir"))
    clock.advance(minutes=110)
    b.services.handoffs.accept(b.supervisor, got[1], b.path("r1.cir"))
    clock.advance(hours=5)  # recorded much later: the signed times count
    for name in ("r0.cir", "r1.cir", "r2.cir"):
        a.services.handoffs.take_receipt(a.supervisor, b.path(name))

    board = SupervisorDesk(a.services).dashboard.read(a.supervisor)
    [hn] = board.partners
    assert (hn.partner, hn.sent, hn.accepted, hn.rejected, hn.waiting) == ("HN", 4, 2, 1, 1)
    assert (hn.overdue, hn.accepted_late) == (1, 1)
    assert (hn.median, hn.slowest) == (timedelta(minutes=65), timedelta(hours=2))
    report = a.services.handoffs.partners(a.supervisor)
    assert report.partners == board.partners
    assert report.since == datetime(2026, 2, 28, 17, 0, tzinfo=UTC)  # 1 March, Viet Nam
    later = a.services.handoffs.partners(a.supervisor, since=clock.now)
    assert later.partners == ()  # nothing sent since


def test_a_body_with_an_escalation_rule_escalates_at_the_same_moment(lines, clock) -> None:  # type: ignore[no-untyped-def]
    """A package to a Women's Union line ("1wd", rules/escalation.toml names the body): the
    queue's "escalations only" listing shows it, overdue at HN, exactly when its acceptance
    is overdue, and the supervisor can confirm the escalation."""
    from caseintake.services.referrals import QueueFilter
    from caseintake.services.supervisor_desk import SupervisorDesk

    a, b = lines
    due = due_at(clock.now, "1wd", WorkingCalendar())
    with a.services.db.write() as s:
        ref = s.execute(
            select(Referral).where(Referral.directory_entry_id == "line-hn")
        ).scalar_one()
        ref.body, ref.due_spec, ref.due_at = "womens_union", "1wd", due
    _send(a, b)
    desk = SupervisorDesk(a.services)
    escalations = QueueFilter(escalations_only=True)
    mine = _referral(a).id

    def listed():  # type: ignore[no-untyped-def]
        return [r for r in desk.queue.page(a.supervisor, escalations).rows if r.id == mine]

    clock.now = due
    assert _out(a).accept_by == due and not _out(a).overdue
    assert listed() == []
    clock.advance(seconds=1)
    [row] = listed()
    assert (row.at_partner, row.deadline) == ("HN", "overdue")
    assert row.escalation is not None
    assert desk.escalations.confirm(a.supervisor, row.id)
