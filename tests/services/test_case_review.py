"""Case review through the case state machine (issue 8, item 4) and the audit list (item 8)."""

from __future__ import annotations

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.audit.queries import AuditFilter
from caseintake.services.container import Services
from caseintake.services.supervisor_desk import SupervisorDesk
from tests.services.supervisor_fixtures import actions, referrals, save_report, scalar


@pytest.fixture
def desk(services: Services) -> SupervisorDesk:
    return SupervisorDesk(services)


def settle_all(services: Services, operator, supervisor, case_id: str) -> None:  # type: ignore[no-untyped-def]
    refs = referrals(services, case_id)
    rec = services.referrals.record
    first = refs.pop("commune_committee")
    for state in ("sent", "acknowledged", "in_progress"):
        rec(operator, first.id, FollowUp(state, via="phone"))
    rec(operator, first.id, FollowUp("done", outcome="Trẻ an toàn"))
    for ref in refs.values():
        rec(supervisor, ref.id, FollowUp("revoked", reason="Không còn cần"))


def test_a_case_closes_only_when_every_referral_is_settled(
    services: Services, operator, supervisor, desk, clock
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    with pytest.raises(DomainError) as err:
        desk.review.close(supervisor, case.case_id, "Trẻ an toàn, ổn định")
    assert err.value.message("en") == (
        "The case cannot close: 2 of its referrals are not yet done, declined or revoked."
    )
    assert scalar(services, "SELECT status FROM cases") != "closed"
    settle_all(services, operator, supervisor, case.case_id)
    with pytest.raises(DomainError, match="ghi chú kết thúc"):
        desk.review.close(supervisor, case.case_id, "  ")
    desk.review.close(supervisor, case.case_id, "Trẻ an toàn, ổn định")
    assert scalar(services, "SELECT status FROM cases") == "closed"
    assert scalar(services, "SELECT closed_at FROM cases") is not None
    assert scalar(services, "SELECT step FROM case_approvals") == "closure"
    assert actions(services)[-1] == "case_closed"
    notes = services.cases.detail(supervisor, case.case_id).notes
    assert notes[-1].text == "Trẻ an toàn, ổn định" and notes[-1].author == "minh"


def test_an_operator_cannot_close_reassign_reopen_or_approve(
    services: Services, operator, supervisor, desk
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    settle_all(services, operator, supervisor, case.case_id)
    before = actions(services)
    with pytest.raises(DomainError, match="Chỉ giám sát viên"):
        desk.review.close(operator, case.case_id, "xong")
    with pytest.raises(DomainError, match="tư vấn viên"):
        desk.review.assign(operator, case.case_id, "minh")
    with pytest.raises(DomainError, match="tư vấn viên"):
        desk.review.approve_plan(operator, case.case_id)
    desk.review.close(supervisor, case.case_id, "xong")
    with pytest.raises(DomainError, match="Chỉ giám sát viên"):
        desk.review.reopen(operator, case.case_id, "Gọi lại")
    assert scalar(services, "SELECT status FROM cases") == "closed"
    assert actions(services)[len(before) :] == ["case_closed"]


def test_reopen_needs_a_reason(services: Services, operator, supervisor, desk) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    settle_all(services, operator, supervisor, case.case_id)
    with pytest.raises(DomainError, match="chưa đóng"):
        desk.review.reopen(supervisor, case.case_id, "Chưa đóng")  # open: nothing to reopen
    desk.review.close(supervisor, case.case_id, "xong")
    with pytest.raises(DomainError, match="lý do"):
        desk.review.reopen(supervisor, case.case_id, "")
    desk.review.reopen(supervisor, case.case_id, "Trẻ gọi lại, bị đánh tiếp")
    assert scalar(services, "SELECT status FROM cases") == "assessed"
    assert scalar(services, "SELECT closed_at FROM cases") is None
    assert actions(services)[-1] == "case_reopened"


def test_reassign_to_an_active_operator(
    services: Services, operator, supervisor, desk, admin
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    services.users.add(admin, "hoa", "operator", "one-time-pass-9")
    desk.review.assign(supervisor, case.case_id, "hoa")
    assert (
        scalar(services, "SELECT u.name FROM cases c JOIN users u ON u.id = c.assigned_to") == "hoa"
    )
    for bad in ("root", "nobody"):  # an admin does not take cases; an unknown name is refused
        with pytest.raises(DomainError, match="không phải tư vấn viên"):
            desk.review.assign(supervisor, case.case_id, bad)
    with pytest.raises(DomainError, match="đã được giao"):
        desk.review.assign(supervisor, case.case_id, "hoa")
    assert actions(services)[-1] == "case_assigned"


def test_approve_the_support_plan(services: Services, operator, supervisor, desk) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    with pytest.raises(DomainError):  # still assessed: no referral has gone out
        desk.review.approve_plan(supervisor, case.case_id)
    ref = referrals(services, case.case_id)["commune_committee"]
    services.referrals.record(operator, ref.id, FollowUp("sent", via="phone"))
    desk.review.approve_plan(supervisor, case.case_id)
    assert scalar(services, "SELECT status FROM cases") == "in_support"
    assert scalar(services, "SELECT step FROM case_approvals") == "support_plan"
    assert actions(services)[-1] == "case_plan_approved"


def test_case_number_lookup(services: Services, operator, supervisor, desk) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    assert desk.review.case_id(supervisor, case.case_number) == case.case_id
    with pytest.raises(DomainError, match="111-2026-999999"):
        desk.review.case_id(supervisor, "111-2026-999999")


def test_audit_list_filters_and_details_are_audited(
    services: Services, operator, supervisor, desk
) -> None:  # type: ignore[no-untyped-def]
    case = save_report(services, operator)
    other = save_report(services, operator)
    trail = desk.audit_trail
    mine = trail.page(supervisor, AuditFilter(case_number=case.case_number)).rows
    assert mine and all(r.entity in ("case", "referral") for r in mine)
    assert {r.entity_id for r in mine} & {other.case_id} == set()
    assert [r.action for r in trail.page(supervisor, AuditFilter(action="case_opened")).rows] == [
        "case_opened",
        "case_opened",
    ]
    assert {r.actor for r in trail.page(supervisor, AuditFilter(actor="lan")).rows} == {"lan"}
    seqs = [r.seq for r in trail.page(supervisor).rows]
    assert seqs == sorted(seqs, reverse=True)
    opened = trail.page(supervisor, AuditFilter(action="case_opened")).rows[-1]
    details = trail.details(supervisor, opened.seq)
    assert details["number"] == case.case_number
    assert actions(services)[-1] == "audit_details_viewed"
    with pytest.raises(DomainError, match="tư vấn viên"):
        trail.page(operator)
    with pytest.raises(DomainError, match="999999"):
        trail.details(supervisor, 999999)
    paged = trail.page(supervisor, page_size=3)
    assert len(paged.rows) == 3 and paged.has_more
