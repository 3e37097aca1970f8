"""Audit details under per-case keys: erasing a case destroys its details' key (they no longer
open for anyone, the viewer says "erased") while other cases' details open and ``audit
verify`` passes, before and after a key rotation; details written the old way still open."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from caseintake.crypto import key_ring
from caseintake.crypto.scoped_details import scope_of
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.i18n import t
from caseintake.services.audit.details import open_details
from caseintake.services.audit.queries import AuditQueryService
from caseintake.services.keys.rotation import KeyRotationService
from caseintake.services.supervisor_desk import SupervisorDesk
from caseintake.store.models import AuditEvent, CaseKeyRow
from tests.services.supervisor_fixtures import referrals, save_report


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)


def events_of(services: Any, case_id: str) -> list[tuple[int, bytes]]:
    """Every event whose details are under the case's key: its own, its referrals', its
    contacts'."""
    with services.db.read() as s:
        rows = s.execute(select(AuditEvent.seq, AuditEvent.details)).all()
    return [(int(q), bytes(b)) for q, b in rows if scope_of(bytes(b)) == case_id]


def erasure_event(services: Any, case_id: str) -> tuple[int, bytes]:
    with services.db.read() as s:
        row = s.execute(
            select(AuditEvent.seq, AuditEvent.details).where(
                AuditEvent.action == "case_erased", AuditEvent.entity_id == case_id
            )
        ).one()
    return int(row[0]), bytes(row[1])


def opened(services: Any, keys: Any, rows: list[tuple[int, bytes]]) -> list[str | None]:
    with services.db.read() as s:
        return [open_details(s, keys, seq, blob) for seq, blob in rows]


def closed(services: Any, operator: Any, supervisor: Any, narrative: str) -> Any:
    case = save_report(services, operator, narrative=narrative)
    for ref in referrals(services, case.case_id).values():
        services.referrals.record(supervisor, ref.id, FollowUp("revoked", reason="riêng tư 77"))
    SupervisorDesk(services).review.close(supervisor, case.case_id, "Đóng: an toàn, riêng tư 88")
    return case


@pytest.mark.parametrize("rotate_first", [False, True])
def test_erased_case_details_are_gone_while_others_read_and_the_trail_verifies(
    services: Any, admin: Any, operator: Any, supervisor: Any, rotate_first: bool
) -> None:
    erased = closed(services, operator, supervisor, "Vụ sẽ bị xóa.")
    kept = closed(services, operator, supervisor, "Vụ được giữ.")
    rows = events_of(services, erased.case_id)
    assert len(rows) >= 5  # saved, its contact, its referrals, their revocations, closed
    assert any("riêng tư 77" in (d or "") for d in opened(services, admin.keys, rows))
    if rotate_first:  # rotation re-wraps the case keys, never touches an event
        KeyRotationService(services.db, services.settings, services.audit_log).rotate(admin)
    services.retention.erase(admin, erased.case_number)
    with services.db.read() as s:
        assert s.get(CaseKeyRow, erased.case_id) is None
        assert s.get(CaseKeyRow, kept.case_id) is not None
    assert events_of(services, erased.case_id) == rows  # events untouched
    assert opened(services, admin.keys, rows) == [None] * len(rows)
    kept_details = opened(services, admin.keys, events_of(services, kept.case_id))
    assert any("riêng tư 77" in (d or "") for d in kept_details)
    # The erasure's own event is readable (general key): who erased which number.
    erasure = opened(services, admin.keys, [erasure_event(services, erased.case_id)])
    assert json.loads(erasure[0] or "")["number"] == erased.case_number
    assert services.audit.verify(admin).ok
    # The audit viewer shows the erased event's details as erased, not a crash.
    viewer = AuditQueryService(services.db, services.settings, services.audit_log)
    assert viewer.details(admin, rows[0][0]) == {"erased": t("keys.details_erased")}


def test_details_written_before_per_case_keys_still_open(services: Any, admin: Any) -> None:
    payload = json.dumps({"reason": "cũ"}, ensure_ascii=False)
    legacy = admin.keys.cipher.encrypt("audit_events", "details", "7", payload)
    with services.db.read() as s:
        assert open_details(s, admin.keys, 7, legacy) == payload


def test_details_moved_to_another_event_do_not_open(
    services: Any, admin: Any, operator: Any
) -> None:
    case = save_report(services, operator)
    (seq, blob), *_ = events_of(services, case.case_id)
    from caseintake.crypto.errors import CryptoError

    with services.db.read() as s, pytest.raises(CryptoError):
        open_details(s, admin.keys, seq + 1, blob)
