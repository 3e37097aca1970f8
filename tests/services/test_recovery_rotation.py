"""Rotating the recovery key: the old key opens nothing, the new one recovers (and its resets
are certified: the anchor's recovery signing key is carried over), a wrong current key
changes nothing, only an admin may."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from caseintake.domain.errors import DomainError
from caseintake.services.access.auth import AuthError
from caseintake.services.keys.recovery import RecoveryRotationService
from caseintake.store.models import KeySlotRow, Meta
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR
from tests.services.supervisor_fixtures import actions


@pytest.fixture
def fresh(settings: Any) -> Any:
    """A database whose recovery key the test knows."""
    from caseintake.services.container import Services

    svc = Services(settings)
    admin, recovery = svc.setup.init(ADMIN, ADMIN_PW)
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    yield svc, recovery
    svc.close()


def rotate(svc: Any, admin: Any, current: str) -> str:
    return str(RecoveryRotationService(svc.db, svc.settings, svc.audit_log).rotate(admin, current))


def anchor_and_slot(svc: Any) -> tuple[str, str]:
    with svc.db.read() as s:
        anchor = s.execute(select(Meta.trust_anchor)).scalar_one()
        slot = s.execute(select(KeySlotRow.id).where(KeySlotRow.kind == "recovery")).scalar_one()
    return str(anchor), str(slot)


def test_the_old_recovery_key_opens_nothing_and_the_new_one_recovers(fresh: Any) -> None:
    svc, old = fresh
    admin = svc.auth.login(ADMIN, ADMIN_PW)
    anchor_before, slot_before = anchor_and_slot(svc)
    new = rotate(svc, admin, old)
    assert new != old
    anchor_after, slot_after = anchor_and_slot(svc)
    assert anchor_after == anchor_before and slot_after != slot_before  # the anchor holds
    with pytest.raises(AuthError) as refused:
        svc.auth.recover(old)
    assert refused.value.key == "auth.bad_recovery_key"
    recovery = svc.auth.recover(new)
    otp = svc.users.reset_with_recovery(recovery, OPERATOR)
    # The reset is signed with the carried-over recovery key: the operator may log in.
    assert svc.auth.login(OPERATOR, otp).must_change_password
    assert "recovery_key_rotated" in actions(svc)
    assert svc.audit.verify(admin).ok


def test_a_wrong_current_key_changes_nothing_and_non_admins_are_refused(fresh: Any) -> None:
    svc, old = fresh
    admin = svc.auth.login(ADMIN, ADMIN_PW)
    before = anchor_and_slot(svc)
    with pytest.raises(DomainError) as wrong:
        rotate(svc, admin, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert wrong.value.key == "keys.recovery_wrong"
    assert anchor_and_slot(svc) == before
    svc.auth.change_password(OPERATOR, "one-time-pass-1", "quiet-harbour-41")
    operator = svc.auth.login(OPERATOR, "quiet-harbour-41")
    with pytest.raises(DomainError) as forbidden:
        rotate(svc, operator, old)
    assert forbidden.value.key == "auth.forbidden"
    assert svc.auth.recover(old).role == "admin"  # still the key that opens it


def test_after_a_data_key_rotation_the_sealed_recovery_slot_opens_and_rotates(
    fresh: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseintake.crypto import key_ring
    from caseintake.services.keys.rotation import KeyRotationService

    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)
    svc, old = fresh
    admin = svc.auth.login(ADMIN, ADMIN_PW)
    KeyRotationService(svc.db, svc.settings, svc.audit_log).rotate(admin)
    assert svc.auth.recover(old).keys.data_key.version == 2  # the sealed slot, opened
    new = rotate(svc, admin, old)
    assert svc.auth.recover(new).keys.data_key.ring.versions == [1, 2]
    assert svc.audit.verify(admin).ok
