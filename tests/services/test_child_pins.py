"""The child's personal identification number through the services (issue 24 item 6): saved
encrypted with a blind index, shown in the case detail, kept by a later call that leaves it
out, changed by one that gives another, kept for a counselling call's child too, bound to the
trail, destroyed by an erasure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from caseintake.domain.intake.validation import parse_intake
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.cases.child_pins import children_with_pin
from caseintake.services.supervisor_desk import SupervisorDesk
from tests.conftest import SUPERVISOR, SUPERVISOR_PW
from tests.samples import design_example
from tests.services.supervisor_fixtures import referrals, scalar

PIN = "079316123456"  # Hồ Chí Minh City, girl born 2016
OTHER = "079317000042"  # Hồ Chí Minh City, girl born 2017


def child(**fields: Any) -> dict[str, Any]:
    return {"age": 9, "age_basis": "stated", "sex": "female", "ethnicity": "kinh", **fields}


def test_saved_encrypted_shown_matched_kept_and_erased(
    services: Any, operator: Any, supervisor: Any, admin: Any, db_path: Path
) -> None:
    saved = services.intake.save(
        operator, parse_intake(design_example(children=[child(personal_id=PIN)]))
    )
    detail = services.cases.detail(supervisor, saved.case_id)
    assert detail.children[0].personal_id == PIN
    assert PIN.encode() not in db_path.read_bytes() + _wal(db_path)  # never in clear
    with services.db.read() as s:
        (child_id,) = s.execute(text("SELECT id FROM children")).scalars()
        assert children_with_pin(s, operator.keys, PIN) == [child_id]
        assert children_with_pin(s, operator.keys, OTHER) == []

    # A later call about the same case that leaves the number out keeps it.
    again = design_example(children=[child(name="Bé Hoa")], case_id=saved.case_id)
    services.intake.save(operator, parse_intake(again))
    assert services.cases.detail(supervisor, saved.case_id).children[0].personal_id == PIN
    # One that gives another number replaces it (age 9 fits 2017 too).
    services.intake.save(operator, parse_intake({**again, "children": [child(personal_id=OTHER)]}))
    assert services.cases.detail(supervisor, saved.case_id).children[0].personal_id == OTHER
    assert services.audit.verify(admin).ok  # the pin rows are bound to their events

    # An erasure (of the closed case) destroys the number and its index.
    for ref in referrals(services, saved.case_id).values():
        services.referrals.record(supervisor, ref.id, FollowUp("revoked", reason="Thử"))
    SupervisorDesk(services).review.close(supervisor, saved.case_id, "Đóng: an toàn")
    services.retention.erase(admin, str(scalar(services, "SELECT number FROM cases")))
    assert scalar(services, "SELECT count(*) FROM child_pins") == 0
    assert services.audit.verify(admin).ok


def _wal(db_path: Path) -> bytes:
    wal = Path(f"{db_path}-wal")
    return wal.read_bytes() if wal.exists() else b""


def test_a_pin_changed_in_the_file_is_caught(services: Any, operator: Any, admin: Any) -> None:
    # The attack: someone with the file moves a child's blind index to another child's, so
    # matching would merge the wrong child. The row no longer matches its audit event.
    services.intake.save(operator, parse_intake(design_example(children=[child(personal_id=PIN)])))
    assert services.audit.verify(admin).ok
    with services.db.write() as s:
        s.execute(text("UPDATE child_pins SET pin_index = :i"), {"i": "0" * 64})
    assert not services.audit.verify(admin).ok


def test_a_counselling_childs_number_is_kept(services: Any, operator: Any, clock: Any) -> None:
    data = {
        "received_at": clock().isoformat(),
        "contact_type": "counselling",
        "counselling_topics": ["bullying"],
        "children": [{"age": 10, "sex": "female", "personal_id": PIN}],
        "concerns": ["violence"],
    }
    saved = services.intake.save(operator, parse_intake(data, now=clock()))
    assert saved.case_id is None
    view = services.contacts.detail(operator, saved.contact_id)
    assert view.children[0].personal_id == PIN


def test_a_key_rotation_re_encrypts_the_numbers(
    services: Any, operator: Any, admin: Any, monkeypatch: Any
) -> None:
    from caseintake.crypto import key_ring
    from caseintake.crypto.fields import FieldCipher
    from caseintake.services.keys import KeyRotationService

    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)
    saved = services.intake.save(
        operator, parse_intake(design_example(children=[child(personal_id=PIN)]))
    )
    KeyRotationService(services.db, services.settings, services.audit_log).rotate(admin)
    with services.db.read() as s:
        (blob,) = s.execute(text("SELECT pin FROM child_pins")).scalars()
    assert FieldCipher.version_of(bytes(blob)) == 2
    fresh = services.auth.login(SUPERVISOR, SUPERVISOR_PW)  # logged in after the rotation
    assert services.cases.detail(fresh, saved.case_id).children[0].personal_id == PIN
