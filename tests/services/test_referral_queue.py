"""The supervisor's queue and escalations on a real database (issue 8, items 1 and 3)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.domain.routing.citations import basis_texts
from caseintake.services.container import Services
from caseintake.services.referrals.queue import QueueFilter
from caseintake.services.supervisor_desk import SupervisorDesk
from tests.services.supervisor_fixtures import actions, referrals, save_report, scalar


@pytest.fixture
def desk(services: Services) -> SupervisorDesk:
    return SupervisorDesk(services)


def test_overdue_first_then_due_within_the_hour_then_the_rest(
    services: Services, operator, supervisor, desk
) -> None:  # type: ignore[no-untyped-def]
    # 09:00 in Viet Nam. A report at 08:15 (its commune referral is overdue), one at 08:50
    # (its commune referral is "now": due within the hour); their police referrals are due at
    # 20:15 and 20:50.
    late = save_report(services, operator)
    fresh = save_report(services, operator, received_at="2026-03-02T08:50:00+07:00")
    page = desk.queue.page(supervisor)
    order = [(r.case_number, r.body, r.deadline) for r in page.rows]
    assert order == [
        (late.case_number, "commune_committee", "overdue"),
        (fresh.case_number, "commune_committee", "now"),
        (late.case_number, "commune_police", "pending"),
        (fresh.case_number, "commune_police", "pending"),
    ]
    assert page.rows[0].overdue and not page.rows[1].overdue
    assert page.rows[0].operator == "lan" and page.rows[0].priority
    counts = desk.queue.counts(supervisor)
    assert (counts.open, counts.overdue, counts.due_soon, counts.escalations) == (4, 1, 1, 1)


def test_filters_and_paging_in_sql(services: Services, operator, supervisor, desk) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        save_report(services, operator)
    q = desk.queue
    assert len(q.page(supervisor, QueueFilter(body="commune_police")).rows) == 3
    assert len(q.page(supervisor, QueueFilter(overdue_only=True)).rows) == 3
    assert len(q.page(supervisor, QueueFilter(operator="lan")).rows) == 6
    assert q.page(supervisor, QueueFilter(operator="nobody")).rows == []
    assert len(q.page(supervisor, QueueFilter(province_code=79)).rows) == 6
    assert q.page(supervisor, QueueFilter(province_code=1)).rows == []
    assert len(q.page(supervisor, QueueFilter(escalations_only=True)).rows) == 3
    first = q.page(supervisor, page_size=4)
    second = q.page(supervisor, page=1, page_size=4)
    assert (len(first.rows), first.has_more, len(second.rows), second.has_more) == (
        4,
        True,
        2,
        False,
    )
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}
    ref = first.rows[0]
    services.referrals.record(operator, ref.id, FollowUp("sent", via="phone"))
    assert [r.id for r in q.page(supervisor, QueueFilter(status="sent")).rows] == [ref.id]
    services.referrals.record(operator, ref.id, FollowUp("acknowledged"))
    services.referrals.record(operator, ref.id, FollowUp("in_progress"))
    services.referrals.record(operator, ref.id, FollowUp("done", outcome="ok"))
    assert ref.id not in {r.id for r in q.page(supervisor).rows}  # done leaves the queue


def test_an_admin_does_not_read_the_queue(desk, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="quản trị viên"):
        desk.queue.page(admin)


def test_overdue_unacknowledged_referral_escalates_to_the_province(
    services: Services, operator, supervisor, desk, clock
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    row = next(r for r in desk.queue.page(supervisor).rows if r.body == "commune_committee")
    esc = row.escalation
    assert esc is not None
    assert (esc.body, esc.area, esc.province_code, esc.due_spec) == (
        "provincial_child_protection",
        "province",
        79,
        "12h",
    )
    assert esc.due_at == clock() + timedelta(hours=12)
    assert esc.basis[0] == "nd147.child_protection"  # a citation key, read in the user's language
    assert basis_texts(esc.basis, "vi")[0].startswith("Nghị định 147/2025")
    # the police referral (12 h) is not overdue yet: nothing to escalate
    police = next(r for r in desk.queue.page(supervisor).rows if r.body == "commune_police")
    assert police.escalation is None
    clock.advance(hours=12)
    police = next(r for r in desk.queue.page(supervisor).rows if r.body == "commune_police")
    assert police.escalation is not None and police.escalation.body == "provincial_police"
    assert referrals(services, case.case_id)["commune_police"].status == "pending"


def test_sent_on_time_escalates_only_when_never_acknowledged(
    services: Services, operator, supervisor, desk, clock
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator, received_at="2026-03-02T08:58:00+07:00")
    ref = referrals(services, case.case_id)["commune_committee"]
    services.referrals.record(operator, ref.id, FollowUp("sent", via="phone"))
    only = QueueFilter(body="commune_committee", escalations_only=True)
    clock.advance(hours=11)
    assert desk.queue.page(supervisor, only).rows == []
    clock.advance(hours=1)  # 12 h after it was due, still not acknowledged
    assert [r.id for r in desk.queue.page(supervisor, only).rows] == [ref.id]
    services.referrals.record(operator, ref.id, FollowUp("acknowledged", contacted="Chủ tịch xã"))
    assert desk.queue.page(supervisor, only).rows == []


def test_confirm_creates_the_next_referral_once(
    services: Services, operator, supervisor, desk, clock
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    ref = referrals(services, case.case_id)["commune_committee"]
    with pytest.raises(DomainError, match="tư vấn viên"):
        desk.escalations.confirm(operator, ref.id)
    new_id = desk.escalations.confirm(supervisor, ref.id)
    new = referrals(services, case.case_id)["provincial_child_protection"]
    assert (new.id, new.status, new.rule_ids, new.province_code) == (
        new_id,
        "pending",
        "commune_to_province",
        79,
    )
    assert new.due_at == clock() + timedelta(hours=12)
    assert new.directory_entry_id is None or new.directory_entry_id
    assert actions(services)[-2:] == ["escalation_confirmed", "referral_escalated"]
    assert scalar(services, "SELECT decision FROM escalations") == "confirmed"
    with pytest.raises(DomainError, match="đã được quyết định"):
        desk.escalations.confirm(supervisor, ref.id)
    row = next(r for r in desk.queue.page(supervisor).rows if r.id == ref.id)
    assert (row.escalation, row.escalation_decision) == (None, "confirmed")


def test_dismiss_needs_a_reason(services: Services, operator, supervisor, desk) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    ref = referrals(services, case.case_id)["commune_committee"]
    with pytest.raises(DomainError, match="lý do"):
        desk.escalations.dismiss(supervisor, ref.id, "   ")
    assert scalar(services, "SELECT count(*) FROM escalations") == 0
    desk.escalations.dismiss(supervisor, ref.id, "Xã đã báo miệng là đang xử lý")
    raw = scalar(services, "SELECT reason FROM escalations")
    assert "miệng".encode() not in raw
    assert actions(services)[-1] == "escalation_dismissed"
    assert desk.queue.page(supervisor, QueueFilter(escalations_only=True)).rows == []


def test_no_escalation_to_confirm_is_one_sentence(
    services: Services, operator, supervisor, desk
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    police = referrals(services, case.case_id)["commune_police"]  # due in 12 h
    with pytest.raises(DomainError) as err:
        desk.escalations.confirm(supervisor, police.id)
    assert err.value.message("en").startswith(f"Referral {police.id} raises no escalation now")
    with pytest.raises(DomainError, match="Không tìm thấy"):
        desk.escalations.dismiss(supervisor, "nope", "x")


def test_pages_walk_the_bands_in_the_order_of_one_sort(
    services: Services, operator, supervisor, desk
) -> None:  # type: ignore[no-untyped-def]
    """The queue reads band by band (overdue, within the hour, the rest) on the deadline
    index; its pages, put end to end, are the one sort by band, deadline and id of every open
    referral, across band boundaries and with a status filter too."""
    import random

    from sqlalchemy import case, select

    from caseintake.services.cases.queries import OPEN_REFERRAL_STATES
    from caseintake.store.models import Referral

    rng = random.Random(11)
    for _ in range(14):
        minutes = rng.choice((5, 20, 50, 90, 600, 3000, 7000))
        at = (services.settings.clock() - timedelta(minutes=minutes)).isoformat()
        saved = save_report(services, operator, received_at=at)
        for referral in referrals(services, saved.case_id).values():
            steps = ("sent", "acknowledged", "in_progress")[: rng.randrange(4)]
            for step in steps:
                services.referrals.record(operator, referral.id, FollowUp(step, via="phone"))
    fresh = (services.settings.clock() - timedelta(minutes=5)).isoformat()
    save_report(services, operator, received_at=fresh)  # its commune referral: "now"
    # Its police referral (12 hours) fell due 5 minutes ago: overdue, yet within NOW_WINDOW.
    just_late = (services.settings.clock() - timedelta(hours=12, minutes=5)).isoformat()
    save_report(services, operator, received_at=just_late)
    q, now = desk.queue, services.settings.clock()
    rank = case((q.overdue_clause(now), 0), (q.unmet_clause(now, soon=True), 1), else_=2)

    def one_sort(*where) -> list[str]:  # type: ignore[no-untyped-def]
        with services.db.read() as s:
            stmt = select(Referral.id).where(*where).order_by(rank, Referral.due_at, Referral.id)
            return list(s.execute(stmt).scalars())

    def paged(where: QueueFilter) -> list[str]:
        out, page = [], 0
        while True:
            found = q.page(supervisor, where, page=page, page_size=3)
            out += [r.id for r in found.rows]
            if not found.has_more:
                return out
            page += 1

    expected = one_sort(Referral.status.in_(OPEN_REFERRAL_STATES))
    counts = q.counts(supervisor)
    assert len(expected) == 32 and counts.overdue and counts.due_soon  # every band
    assert len(expected) > counts.overdue + counts.due_soon
    assert paged(QueueFilter()) == expected
    assert paged(QueueFilter(status="sent")) == one_sort(Referral.status == "sent")
    assert paged(QueueFilter(status="done")) == []  # no settled referral here


def test_only_plain_codes_are_written_into_the_sql() -> None:
    """Bad input: the fixed lists written out in the queue's SQL take codes only; anything
    else (a quote, a space) is refused before it reaches a statement."""
    from caseintake.services.referrals.bands import written_out

    assert [str(c) for c in written_out(["commune_police", "sent"])] == [
        "'commune_police'",
        "'sent'",
    ]
    for bad in ("x'; DELETE FROM referrals; --", "two words", ""):
        with pytest.raises(ValueError, match="not a code"):
            written_out([bad])


def test_the_bands_walk_the_open_deadline_index_even_with_statistics(
    services: Services, operator, supervisor, desk
) -> None:  # type: ignore[no-untyped-def]
    """At 1 M contacts SQLite's statistics led it to take every open referral from the status
    index and sort them (120 ms a page); each band now names the deadline index it walks: the
    unmet referrals' for the overdue and due-soon bands (issue 23), the open ones' for the rest."""
    from sqlalchemy import text

    for _ in range(3):
        save_report(services, operator)
    with services.db.write() as s:
        s.execute(text("ANALYZE"))
    caught: list[tuple[str, tuple]] = []  # type: ignore[type-arg]
    watch = lambda sql, args: caught.append((sql, args))  # noqa: E731
    services.db.fast.watch(watch)
    try:
        desk.queue.page(supervisor)
    finally:
        services.db.fast.unwatch(watch)
    assert caught
    with services.db.engine.connect() as conn:
        reads = [(sql, args) for sql, args in caught if sql.lstrip().upper().startswith("SELECT")]
        assert reads
        for sql, args in reads:  # the read transaction's BEGIN is shown too
            plan = [r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, args)]
            walks = ("USING INDEX ix_referrals_open_due", "USING INDEX ix_referrals_unmet_due")
            assert any(w in line for line in plan for w in walks), (sql, plan)
