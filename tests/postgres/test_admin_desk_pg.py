"""The admin desk on PostgreSQL: directory versions kept for sent referrals, a case erased with
the trail still verifying, and a backup refused in one sentence (pg_dump is the tool there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from caseintake.domain.errors import DomainError
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.services.test_retention import ciphertexts, closed_case, number_of


def test_directory_erase_and_backup_on_postgres(pg_url: str, tmp_path: Path, clock: Any) -> None:
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
    svc.directory_admin.add(admin, {"id": "ubnd-pg", "body": "commune_committee",
                                    "name": "UBND PG", "ward_code": "26740"})  # fmt: skip
    case = closed_case(svc, op, sup)
    with svc.db.read() as s:
        sent = s.execute(
            text("SELECT id FROM referrals WHERE directory_entry_id = 'ubnd-pg'")
        ).scalar_one()
    svc.directory_admin.edit(admin, "ubnd-pg", {"name": "UBND PG mới"})
    with svc.db.read() as s:
        name = s.execute(
            text(
                "SELECT d.name FROM referrals r JOIN directory_entries d"
                " ON d.id = r.directory_entry_id WHERE r.id = :id"
            ),
            {"id": sent},
        ).scalar_one()
    assert name == "UBND PG"  # the desk the referral was sent to
    erased = svc.retention.erase(admin, number_of(svc, case.case_id))
    assert erased.fields > 0 and not erased.compacted  # no VACUUM/secure_delete on PostgreSQL
    assert ciphertexts(svc, case.case_id) == []
    assert svc.audit.verify(admin).ok
    with pytest.raises(DomainError) as err:
        svc.backup.backup(admin, tmp_path / "copy.db")
    assert err.value.key == "admin.backup.sqlite_only"
    svc.close()
