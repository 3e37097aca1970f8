"""Referral follow-up on a real database: every legal step recorded, audited and encrypted;
every illegal or unauthorised move refused with nothing changed (issue 8, item 2)."""

from __future__ import annotations

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.container import Services
from tests.services.supervisor_fixtures import actions, referrals, save_report, scalar


@pytest.fixture
def case(services: Services, operator):  # type: ignore[no-untyped-def]
    return save_report(services, operator)


def test_a_referral_through_every_legal_step(services: Services, operator, case, clock) -> None:  # type: ignore[no-untyped-def]
    ref = referrals(services, case.case_id)["commune_committee"]
    rec = services.referrals.record
    rec(operator, ref.id, FollowUp("sent", via="phone", contacted="Chị Hoa, cán bộ xã, 0912…"))
    clock.advance(hours=1)
    rec(operator, ref.id, FollowUp("acknowledged", contacted="Anh Nam, chủ tịch xã, điện thoại"))
    rec(operator, ref.id, FollowUp("in_progress", note="Đã đến nhà"))
    rec(operator, ref.id, FollowUp("done", via="dispatch", outcome="Trẻ được đưa tới nơi an toàn"))
    after = referrals(services, case.case_id)["commune_committee"]
    assert after.status == "done"
    assert after.sent_at is not None and after.acknowledged_at is not None and after.done_at
    steps = services.referrals.steps(operator, ref.id)
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("pending", "sent"),
        ("sent", "acknowledged"),
        ("acknowledged", "in_progress"),
        ("in_progress", "done"),
    ]
    assert steps[0].via == "phone" and steps[0].contacted.startswith("Chị Hoa")
    assert steps[1].actor == "lan"
    # "whom, how" is encrypted at rest, like every free text
    raw = scalar(services, "SELECT contacted FROM referral_updates WHERE to_status = 'sent'")
    assert b"Hoa" not in raw
    assert [a for a in actions(services) if a.startswith("referral_")][-4:] == [
        "referral_sent",
        "referral_acknowledged",
        "referral_in_progress",
        "referral_done",
    ]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ((), "done"),  # pending → done skips every step
        ((), "acknowledged"),
        (("sent",), "in_progress"),
        (("sent",), "pending"),
        (("sent", "acknowledged", "in_progress", "done"), "sent"),  # final
    ],
)
def test_illegal_moves_change_nothing(services: Services, operator, case, path, refused) -> None:  # type: ignore[no-untyped-def]
    ref = referrals(services, case.case_id)["commune_committee"]
    for state in path:
        services.referrals.record(operator, ref.id, FollowUp(state, outcome="x"))
    before = (actions(services), scalar(services, "SELECT count(*) FROM referral_updates"))
    with pytest.raises(DomainError) as err:
        services.referrals.record(operator, ref.id, FollowUp(refused, outcome="x"))
    assert err.value.message("en").endswith(".")
    assert (actions(services), scalar(services, "SELECT count(*) FROM referral_updates")) == before


def test_only_a_supervisor_revokes_and_with_a_reason(
    services: Services, operator, supervisor, case
) -> None:  # type: ignore[no-untyped-def]
    ref = referrals(services, case.case_id)["commune_police"]
    with pytest.raises(DomainError) as err:
        services.referrals.record(operator, ref.id, FollowUp("revoked", reason="trùng"))
    assert "supervisor" in err.value.message("en")
    with pytest.raises(DomainError, match="lý do"):
        services.referrals.record(supervisor, ref.id, FollowUp("revoked"))
    services.referrals.record(supervisor, ref.id, FollowUp("revoked", reason="Trùng hồ sơ"))
    assert referrals(services, case.case_id)["commune_police"].status == "revoked"


def test_steps_need_what_the_body_said(services: Services, operator, case) -> None:  # type: ignore[no-untyped-def]
    ref = referrals(services, case.case_id)["commune_committee"]
    rec = services.referrals.record
    with pytest.raises(DomainError, match="không phải cách liên hệ"):
        rec(operator, ref.id, FollowUp("sent", via="pigeon"))
    rec(operator, ref.id, FollowUp("sent", via="email"))
    with pytest.raises(DomainError, match="lý do"):
        rec(operator, ref.id, FollowUp("declined"))  # a decline needs its reason
    rec(operator, ref.id, FollowUp("acknowledged"))
    rec(operator, ref.id, FollowUp("in_progress"))
    with pytest.raises(DomainError, match="kết quả"):
        rec(operator, ref.id, FollowUp("done", note="   "))  # blank is no outcome
    with pytest.raises(DomainError, match="quá dài"):
        rec(operator, ref.id, FollowUp("done", outcome="x" * 5000))
    rec(operator, ref.id, FollowUp("done", note="Đã hỗ trợ"))  # the note serves as outcome
    assert referrals(services, case.case_id)["commune_committee"].outcome_note is not None


def test_unknown_referral_is_one_sentence(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as err:
        services.referrals.record(operator, "nope", FollowUp("sent"))
    assert err.value.message("en") == "Referral nope was not found."


def test_case_is_referred_when_a_referral_is_sent(services: Services, operator, case) -> None:  # type: ignore[no-untyped-def]
    with services.db.write() as s:  # as intake leaves it once it no longer moves it (issue 7)
        from sqlalchemy import text

        s.execute(text("UPDATE cases SET status = 'assessed'"))
    ref = referrals(services, case.case_id)["commune_police"]
    assert scalar(services, "SELECT status FROM cases") == "assessed"
    services.referrals.record(operator, ref.id, FollowUp("sent", via="phone"))
    assert scalar(services, "SELECT status FROM cases") == "referred"
    assert actions(services)[-1] == "case_status_changed"


def test_rerefer_revokes_and_refers_to_another_entry(
    services: Services, operator, supervisor, case, clock
) -> None:  # type: ignore[no-untyped-def]
    ref = referrals(services, case.case_id)["commune_committee"]
    entry = scalar(services, "SELECT id FROM directory_entries WHERE body = 'womens_union'")
    with pytest.raises(DomainError):
        services.referrals.rerefer(operator, ref.id, entry, "Xã không trả lời")
    with pytest.raises(DomainError, match="danh bạ"):
        services.referrals.rerefer(supervisor, ref.id, "no-such-entry", "Xã không trả lời")
    new_id = services.referrals.rerefer(supervisor, ref.id, entry, "Xã không trả lời")
    refs = referrals(services, case.case_id)
    assert refs["commune_committee"].status == "revoked"
    new = refs["womens_union"]
    assert (new.id, new.status, new.directory_entry_id) == (new_id, "pending", entry)
    assert new.due_spec == ref.due_spec and new.basis == ref.basis
    assert new.due_at == clock()  # "immediately", counted from the re-referral
    assert actions(services)[-2:] == ["referral_revoked", "referral_rereferred"]
