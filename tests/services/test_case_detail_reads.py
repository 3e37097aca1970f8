"""The case detail read at the driver's speed (issue 23 item 3): the same detail as the
session's reads (same rows, same order, same marks), its record check on the rows shown, and
the view's event written on the same connection, sealed under the case's own key."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseintake.crypto.scoped_details import scope_of
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.validation import parse_intake
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.cases.detail_read import read_detail
from caseintake.services.container import Services
from caseintake.store.models import AuditEvent
from tests.samples import design_example
from tests.services.audit_tamper import Tamper
from tests.services.record_tamper import World, world

PIN = "079316123456"


def _worked_on(services: Services) -> World:
    """Two cases; the first with a child's number, notes, a referral followed up with words,
    a second call linked to it."""
    w = world(services)
    child = {**design_example()["children"][0], "personal_id": PIN}
    first = services.intake.save(w.operator, parse_intake(design_example(children=[child])))
    w.first = first
    services.cases.add_note(w.supervisor, first.case_id, "Đã gọi lại cho người báo tin.")
    services.cases.add_note(w.operator, first.case_id, "Bé đã về nhà bà ngoại.")
    refs = services.cases.detail(w.supervisor, first.case_id).referrals
    services.referrals.record(
        w.supervisor, refs[0].id, FollowUp("sent", note="Gửi qua điện thoại.")
    )
    services.referrals.record(w.supervisor, refs[0].id, FollowUp("acknowledged", note="Đã nhận."))
    linked = design_example(case_id=first.case_id, narrative="Gọi lại: bé đã an toàn.")
    services.intake.save(w.operator, parse_intake(linked))
    return w


def _both(services: Services, principal, case_id: str):  # type: ignore[no-untyped-def]
    now = services.settings.clock()
    with services.db.fast.reads() as r:
        fast = read_detail(services.db.fast, r, principal, case_id, now)
    return fast, services.cases._detail_in_session(principal, case_id, now)


def test_the_fast_detail_is_the_sessions(services: Services) -> None:
    w = _worked_on(services)
    for case_id in (w.first.case_id, w.second.case_id):
        fast, session = _both(services, w.supervisor, case_id)
        assert fast == session
    assert fast.tampered is None
    first, _ = _both(services, w.supervisor, w.first.case_id)
    assert first.children[0].personal_id == PIN and len(first.contacts) == 2
    assert [n.text for n in first.notes][1] == "Bé đã về nhà bà ngoại."
    assert [s.note for s in first.referrals[0].steps] == ["Gửi qua điện thoại.", "Đã nhận."]
    tamper = Tamper(services.settings.db_url)
    try:  # a changed row: the same mark on both
        tamper.run("UPDATE children SET age = 3 WHERE case_id = :c", c=w.first.case_id)
        fast, session = _both(services, w.supervisor, w.first.case_id)
    finally:
        tamper.close()
    assert fast == session and fast.tampered is not None
    assert fast.tampered.tables == ("children",)


def test_the_view_is_one_event_under_the_cases_key(services: Services) -> None:
    w = _worked_on(services)
    counted = services.audit_log.since_checkpoint
    checkpointer = services.db._checkpointer
    assert checkpointer._thread is None  # no write has asked for a checkpoint yet
    checkpointer.limit_bytes = 1  # any WAL: the view's write asks for a checkpoint
    services.cases.detail(w.operator, w.second.case_id)
    assert services.audit_log.since_checkpoint == counted + 1  # the cadence counts it (#20)
    assert checkpointer._thread is not None  # the nudge started the checkpoint thread
    with services.db.read() as s:
        last = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
    assert (last.action, last.entity, last.entity_id) == ("case_viewed", "case", w.second.case_id)
    assert last.actor == w.operator.name and last.sig is not None
    assert scope_of(bytes(last.details)) == w.second.case_id
    result = services.audit.verify(w.admin)
    assert result.ok and result.record_count == 0, result


def test_an_unknown_case_is_one_sentence_and_no_event(services: Services) -> None:
    w = world(services)
    with services.db.read() as s:
        before = s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).first()
    with pytest.raises(DomainError) as raised:
        services.cases.detail(w.operator, "00000000-0000-0000-0000-000000000000")
    assert raised.value.key == "cases.not_found"
    with services.db.read() as s:
        after = s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).first()
    assert after == before
