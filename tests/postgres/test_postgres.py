"""The same code on PostgreSQL: migrations, saves, the audit chain and its guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.store import migrate
from caseintake.store.db import Database
from caseintake.store.models import Base
from tests.services.test_at_rest import report

pytestmark = pytest.mark.postgres


def test_migrations_up_down_and_models_match(pg_url: str) -> None:
    db = Database(pg_url)
    migrate.upgrade(db.engine)
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    migrate.downgrade(db.engine, "base")
    migrate.upgrade(db.engine)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    db.dispose()


def test_save_verify_and_guard(pg_url: str, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state", clock=clock))
    admin, _ = svc.setup.init("root", "amber-violet-72")
    svc.users.add(admin, "lan", "operator", "one-time-pass-1")
    op = svc.auth.change_password("lan", "one-time-pass-1", "quiet-harbour-41")
    saved = svc.intake.save(op, parse_intake(report()))
    assert saved.case_number == "111-2026-000001" and saved.referral_count >= 2
    assert svc.cases.detail(op, saved.case_id).narrative.startswith("CANARYNARRATIVE")
    assert svc.callers.history(op, "0912345678").cases[0].number == saved.case_number
    result = svc.audit.verify(admin)
    assert result.ok and result.checked > 10
    with svc.db.engine.connect() as c, pytest.raises(Exception, match="append-only"):
        c.execute(text("UPDATE audit_events SET actor = 'x' WHERE seq = 1"))
    with svc.db.engine.begin() as c:
        c.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
        c.execute(text("UPDATE audit_events SET action = 'tampered' WHERE seq = 4"))
    result = svc.audit.verify(admin)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, "audit.modified")
    svc.close()


def test_concurrent_appends_stay_gapless(pg_url: str, tmp_path: Path) -> None:
    """Writers in parallel threads: the advisory lock serialises the chain."""
    from concurrent.futures import ThreadPoolExecutor

    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state"))
    admin, _ = svc.setup.init("root", "amber-violet-72")

    def append(i: int) -> None:
        with svc.db.write() as s:
            svc.audit_log.append(s, admin.keys, "root", "bench", "bench", str(i))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(append, range(200)))
    assert svc.audit.verify(admin).ok
    svc.close()


def test_parallel_verification_on_postgres(pg_url: str, tmp_path: Path) -> None:
    """The trail split across processes, each with a server-side cursor, names the bad link."""
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state"))
    admin, _ = svc.setup.init("root", "amber-violet-72")
    with svc.db.write() as s:
        for i in range(40):
            svc.audit_log.append(s, admin.keys, "root", "bench", "bench", str(i))
    svc.audit.parallel_from = 10  # injected: force the parallel path on a small trail
    assert svc.audit.verify(admin, workers=3).ok
    with svc.db.engine.begin() as c:
        c.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
        c.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 30"))
    result = svc.audit.verify(admin, workers=3)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 30, "audit.modified")
    svc.close()
