"""Key rotation: every field under the new version at the end, a killed rotation resumes,
sessions keep reading and writing through it, phone search and the audit trail survive."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from caseintake.crypto import key_ring
from caseintake.crypto.errors import CryptoError
from caseintake.crypto.key_ring import KeyRingError
from caseintake.domain.errors import DomainError
from caseintake.services.keys import rotation as key_rotation
from caseintake.services.keys.rotation import KeyRotationService
from caseintake.store.models import KeyRotation, KeySlotRow, User
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.services.key_rotation_fixtures import (
    NOT_FIELDS,
    RING,
    SCOPED,
    binary_columns,
    detail_formats,
    field_versions,
    meta_version,
    narrative_of,
    populate,
    rotated_columns,
)
from tests.services.supervisor_fixtures import actions, save_report


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sessions look for a newer key every 50 ms here (1 s in use); the rotation waits twice that.
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)


def rotation(services: Any) -> KeyRotationService:
    return KeyRotationService(services.db, services.settings, services.audit_log)


class Killed(Exception):
    pass


def kill_after(batches: int) -> Any:
    seen = []

    def progress(fields: int) -> None:
        seen.append(fields)
        if len(seen) >= batches:
            raise Killed

    return progress


def test_every_binary_column_is_a_rotated_field_or_named_as_not_one() -> None:
    # A new encrypted column that the rotation does not know fails here.
    assert binary_columns() == rotated_columns() | NOT_FIELDS | RING | SCOPED


def test_rotation_leaves_no_field_under_the_old_key(
    services: Any, admin: Any, operator: Any, supervisor: Any
) -> None:
    cases = populate(services, operator, supervisor)
    before = field_versions(services)
    assert set(before) == {1} and before[1] > 20
    result = rotation(services).rotate(admin)
    assert (result.from_version, result.to_version, result.resumed) == (1, 2, False)
    assert result.slots_sealed == 4  # three users and the recovery slot
    assert result.fields == before[1]  # every value once, the ring written at the start
    after = field_versions(services)
    assert set(after) == {2}
    assert detail_formats(services) == {2}  # audit details: per-case keys, never data-key fields
    assert meta_version(services) == 2
    # The operator logged in before the rotation: reading picks up the new key from their slot.
    assert narrative_of(services, operator, cases[0].case_id) == "Lời kể số 0: bé bị đánh."
    # A fresh login opens the sealed slot; the trail still verifies.
    again = services.auth.login(OPERATOR, OPERATOR_PW)
    assert narrative_of(services, again, cases[2].case_id) == "Lời kể số 2: bé bị đánh."
    assert services.audit.verify(admin).ok
    assert actions(services).count("key_rotation_started") == 1
    assert actions(services).count("key_rotation_finished") == 1


def test_killed_rotation_resumes_and_reads_work_with_mixed_versions(
    services: Any, admin: Any, operator: Any, supervisor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = populate(services, operator, supervisor, cases=4)
    monkeypatch.setattr(key_rotation, "BATCH", 2)
    with pytest.raises(Killed):
        rotation(services).rotate(admin, kill_after(3))
    mixed = field_versions(services)
    assert set(mixed) == {1, 2}  # stopped half way: both versions in the file
    with services.db.read() as s:
        rot = s.execute(select(KeyRotation)).scalar_one()
        assert rot.finished_at is None and rot.cursor_table is not None
    # Operators keep working: reads of either version, and a new save under the new one.
    for case in cases:
        assert narrative_of(services, operator, case.case_id).startswith("Lời kể số")
    fresh = services.auth.login(SUPERVISOR, SUPERVISOR_PW)
    new_case = save_report(services, fresh, narrative="Ca mới trong lúc xoay vòng.")
    with services.db.read() as s:
        from caseintake.store.models import Case

        blob = s.execute(select(Case.narrative).where(Case.id == new_case.case_id)).scalar_one()
    assert blob[1:3] == (2).to_bytes(2, "big")
    # Running it again (any admin session) resumes where the last batch ended.
    admin_again = services.auth.login(ADMIN, ADMIN_PW)
    result = rotation(services).rotate(admin_again)
    assert result.resumed and result.to_version == 2
    assert set(field_versions(services)) == {2}
    assert actions(services).count("key_rotation_started") == 1
    assert actions(services).count("key_rotation_finished") == 1
    assert services.audit.verify(admin_again).ok


def test_a_save_by_a_session_from_before_the_rotation_goes_under_the_new_key_at_once(
    services: Any, admin: Any, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write refused once (test below) is made again by the intake service itself: an
    operator's first save after a rotation just works, and lands under the new version."""
    save_report(services, operator)
    rotation(services).rotate(admin)
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 3600.0)  # the session does not look by itself
    saved = save_report(services, operator, narrative="Lưu lần đầu sau khi xoay vòng.")
    assert set(field_versions(services)) == {2}
    assert narrative_of(services, operator, saved.case_id) == "Lưu lần đầu sau khi xoay vòng."
    assert actions(services).count("contact_created") >= 2


def test_another_write_by_a_stale_session_is_refused_once_in_one_sentence(
    services: Any, admin: Any, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = save_report(services, operator)
    rotation(services).rotate(admin)
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 3600.0)
    with pytest.raises(KeyRingError) as refused:
        services.cases.add_note(operator, saved.case_id, "Ghi chú sau khi xoay vòng.")
    assert refused.value.key == "keys.rotated_retry"
    services.cases.add_note(operator, saved.case_id, "Ghi chú sau khi xoay vòng.")
    assert set(field_versions(services)) == {2}


def test_phone_search_works_across_a_rotation(
    services: Any, admin: Any, operator: Any, supervisor: Any
) -> None:
    populate(services, operator, supervisor, cases=2)
    rotation(services).rotate(admin)
    save_report(services, operator, caller={"relationship": "neighbour", "phone": "0912345670"})
    history = services.callers.history(operator, "0912345670")
    assert len(history.contacts) == 2  # the one from before and the one from after


def test_two_rotations_keep_every_older_version_in_the_ring(
    services: Any, admin: Any, operator: Any, supervisor: Any
) -> None:
    cases = populate(services, operator, supervisor, cases=1)
    rotation(services).rotate(admin)
    result = rotation(services).rotate(admin)
    assert (result.from_version, result.to_version) == (2, 3)
    assert set(field_versions(services)) == {3}
    newcomer = services.auth.login(OPERATOR, OPERATOR_PW)
    assert newcomer.keys.data_key.ring.versions == [1, 2, 3]
    assert narrative_of(services, newcomer, cases[0].case_id).startswith("Lời kể số 0")
    assert services.audit.verify(admin).ok


def test_a_disabled_user_is_left_at_the_old_key(services: Any, admin: Any, supervisor: Any) -> None:
    services.users.disable(admin, SUPERVISOR)
    result = rotation(services).rotate(admin)
    assert result.disabled_left == (SUPERVISOR,) and result.slots_sealed == 3
    services.users.enable(admin, SUPERVISOR)
    with pytest.raises(KeyRingError) as outdated:  # the right password, an old slot
        services.auth.login(SUPERVISOR, SUPERVISOR_PW)
    assert outdated.value.key == "keys.slot_outdated"


def test_non_admin_and_slots_without_a_grant_key_are_refused(
    services: Any, admin: Any, operator: Any
) -> None:
    with pytest.raises(DomainError) as forbidden:
        rotation(services).rotate(operator)
    assert forbidden.value.key == "auth.forbidden"
    with services.db.write() as s:  # a slot made before key rotation existed
        uid = s.execute(select(User.id).where(User.name == OPERATOR)).scalar_one()
        s.execute(update(KeySlotRow).where(KeySlotRow.user_id == uid).values(grant_public=None))
    with pytest.raises(DomainError) as not_ready:
        rotation(services).rotate(admin)
    assert not_ready.value.key == "keys.slots_not_ready" and OPERATOR in str(not_ready.value)
    assert meta_version(services) == 1 and "key_rotation_started" not in actions(services)


def test_a_sealed_slot_signed_by_no_admin_is_refused(services: Any, admin: Any) -> None:
    rotation(services).rotate(admin)
    with services.db.write() as s:
        uid = s.execute(select(User.id).where(User.name == OPERATOR)).scalar_one()
        s.execute(update(KeySlotRow).where(KeySlotRow.user_id == uid).values(sealed_by=uid))
    with pytest.raises(CryptoError) as damaged:
        services.auth.login(OPERATOR, OPERATOR_PW)
    assert damaged.value.key == "crypto.slot_damaged"


def test_a_user_added_by_a_session_from_before_the_rotation_gets_the_new_key(
    services: Any, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_admin = services.auth.login(ADMIN, ADMIN_PW)
    rotation(services).rotate(other_admin)
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 3600.0)  # the old session does not look
    otp = services.users.add(admin, "hoa", "operator")
    hoa = services.auth.login("hoa", otp)
    assert hoa.keys.data_key.version == 2 and hoa.must_change_password
