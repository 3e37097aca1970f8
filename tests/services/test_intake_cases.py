"""Saving intakes and following cases through the services, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from caseintake.domain.errors import DomainError, IntakeInvalid
from caseintake.domain.intake.record import Intake
from caseintake.domain.intake.validation import parse_intake
from caseintake.services.cases.service import CaseQuery
from caseintake.services.container import Services
from caseintake.services.intake.service import ReferralChoice
from caseintake.store.models import AuditEvent, Case, Child, Contact, Draft, Referral
from tests.services.test_at_rest import report


def count(svc: Services, model: type) -> int:
    with svc.db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def actions(svc: Services) -> list[str]:
    with svc.db.read() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def test_report_saves_everything_in_one_audited_transaction(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(report()))
    assert saved.case_number == "111-2026-000001"
    assert (count(services, Contact), count(services, Case), count(services, Child)) == (1, 1, 1)
    assert count(services, Referral) == saved.referral_count >= 2
    tail = actions(services)[-(saved.referral_count + 2) :]
    assert tail == ["case_opened", "contact_created"] + ["referral_created"] * saved.referral_count
    with services.db.read() as s:
        # "referred" only once a referral is actually sent (issue 7 item 7)
        assert s.execute(select(Case.status)).scalar_one() == "assessed"


def test_case_numbers_count_per_year(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    numbers = [services.intake.save(operator, parse_intake(report())).case_number for _ in range(3)]
    assert numbers == ["111-2026-000001", "111-2026-000002", "111-2026-000003"]


def test_removed_referral_is_audited_not_created(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    intake = parse_intake(report())
    proposed = services.routing.decide(intake).referrals
    choices = [ReferralChoice.from_proposed(p) for p in proposed]
    first = choices[0]
    choices[0] = ReferralChoice(**{**first.__dict__, "removed_reason": "Đã xử lý qua 113"})
    saved = services.intake.save(operator, intake, choices)
    assert saved.referral_count == len(proposed) - 1
    assert "referral_removed" in actions(services)


def test_non_data_call_opens_no_case(services: Services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.log_non_data(operator, "silent", clock(), 12)
    assert (saved.case_id, saved.referral_count) == (None, 0)
    assert services.contacts.today(operator)[0].contact_type == "silent"


def test_invalid_intake_saves_nothing(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    bad = Intake(received_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC), contact_type="report")
    with pytest.raises(IntakeInvalid) as err:
        services.intake.save(operator, bad)
    assert "concerns" in err.value.message("en")
    assert count(services, Contact) == 0


def test_draft_is_deleted_with_the_save(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    services.drafts.save(operator, "d-1", {"narrative": "đang gõ"})
    assert services.drafts.latest(operator) == ("d-1", {"narrative": "đang gõ"})
    services.intake.save(operator, parse_intake(report()), draft_id="d-1")
    assert count(services, Draft) == 0


def test_search_detail_transition_note(services: Services, operator, supervisor) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(report()))
    for q in (
        CaseQuery(text="000001"),
        CaseQuery(text="0912 345 678"),
        CaseQuery(ward_code=26740),
        CaseQuery(concern="violence"),
        CaseQuery(status="assessed"),
    ):
        assert [c.number for c in services.cases.search(operator, q).items] == [
            saved.case_number
        ], q
    assert services.cases.search(operator, CaseQuery(concern="trafficking")).items == []
    detail = services.cases.detail(operator, saved.case_id)
    assert actions(services)[-1] == "case_viewed"
    ref = detail.referrals[0]
    services.referrals.transition(operator, ref.id, "sent")
    with pytest.raises(DomainError):
        services.referrals.transition(operator, ref.id, "done")  # sent → done skips steps
    services.cases.add_note(operator, saved.case_id, "Đã gọi UBND phường.")
    with pytest.raises(DomainError):
        services.cases.transition(operator, saved.case_id, "closed", "an toàn")  # supervisor only
    services.cases.transition(supervisor, saved.case_id, "closed", "Trẻ đã an toàn, ổn định.")
    detail = services.cases.detail(supervisor, saved.case_id)
    assert detail.summary.status == "closed" and detail.notes[0].text == "Đã gọi UBND phường."
    assert {"referral_sent", "note_added", "case_status_changed"} <= {
        h.action for h in detail.history
    }


def test_pagination(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        services.intake.save(operator, parse_intake(report()))
    first = services.cases.search(operator, CaseQuery(), page=0, page_size=2)
    second = services.cases.search(operator, CaseQuery(), 1, 2, after=first.after)
    last = services.cases.search(operator, CaseQuery(), 2, 2, after=second.after)
    assert (len(first.items), first.has_more, len(last.items), last.has_more) == (2, True, 1, False)
    assert last.after is None  # no page after the last
    # Every case once, newest first, across the pages (ties on the time broken by the id).
    shown = [c.id for p in (first, second, last) for c in p.items]
    every = services.cases.search(operator, CaseQuery(), page_size=10).items
    assert shown == [c.id for c in every] and len(set(shown)) == 5
    # A page number alone is a label, not an offset: without ``after`` it is the first page.
    assert services.cases.search(operator, CaseQuery(), 2, 2).items == first.items


def test_oversized_draft_is_refused_not_cut(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as err:
        services.drafts.save(operator, "d-big", {"narrative": "x" * 300_000})
    assert err.value.key == "drafts.too_large"
    assert services.drafts.latest(operator) is None


def test_looking_for_a_draft_takes_no_write_lock_when_there_is_none(  # type: ignore[no-untyped-def]
    services: Services, operator
) -> None:
    """The home asks on every opening (issue 23): no draft, no BEGIN IMMEDIATE; a draft found
    is restored under the lock, audited."""
    sent: list[str] = []
    services.db.fast.watch(lambda statement, _args: sent.append(statement))
    assert services.drafts.latest(operator) is None
    assert "BEGIN IMMEDIATE" not in sent
    services.drafts.save(operator, "d-1", {"narrative": "đang gõ"})
    sent.clear()
    assert services.drafts.latest(operator) == ("d-1", {"narrative": "đang gõ"})
    assert "BEGIN IMMEDIATE" in sent
