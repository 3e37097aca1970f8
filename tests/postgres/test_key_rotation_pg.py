"""Key rotation and per-case audit keys on PostgreSQL: a rotation stopped half way resumes,
every field ends under the new version, an erased case's details no longer open, and the
trail verifies throughout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caseintake.crypto import key_ring
from caseintake.services.audit.details import open_details
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.services.keys import rotation as key_rotation
from caseintake.services.keys.rotation import KeyRotationService
from tests.services.key_rotation_fixtures import field_versions, populate
from tests.services.test_audit_details_keys import events_of
from tests.services.test_retention import closed_case, number_of


def test_rotation_resumes_and_erasure_destroys_details_on_postgres(
    pg_url: str, tmp_path: Path, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state", clock=clock))
    admin, _ = svc.setup.init("root", "amber-violet-72")
    for name, role, password in (
        ("lan", "operator", "quiet-harbour-41"),
        ("minh", "supervisor", "cedar-window-63"),
    ):
        svc.users.add(admin, name, role, "one-time-pass-1")
        svc.auth.change_password(name, "one-time-pass-1", password)
    op = svc.auth.login("lan", "quiet-harbour-41")
    sup = svc.auth.login("minh", "cedar-window-63")
    populate(svc, op, sup, cases=2)
    case = closed_case(svc, op, sup)
    admin = svc.auth.login("root", "amber-violet-72")
    rotation = KeyRotationService(svc.db, svc.settings, svc.audit_log)
    monkeypatch.setattr(key_rotation, "BATCH", 2)

    def stop(_fields: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotation.rotate(admin, stop)
    assert set(field_versions(svc)) == {1, 2}
    assert rotation.rotate(admin).resumed
    assert set(field_versions(svc)) == {2}
    rows = events_of(svc, case.case_id)
    svc.retention.erase(admin, number_of(svc, case.case_id))
    with svc.db.read() as s:
        assert [open_details(s, admin.keys, q, b) for q, b in rows] == [None] * len(rows)
    assert svc.audit.verify(admin).ok
    svc.close()
