"""Backups of a PostgreSQL database are ``pg_dump``'s (the app's own ``backup`` is for SQLite
files and says so): a dump restored with ``pg_restore`` opens, decrypts and verifies, and an
older dump put back is named by ``audit verify`` against this machine's checkpoints, as
``caseintake restore`` does for an SQLite copy."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bench.pg.server import as_postgres, create_database, drop_database, pg_bin
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.services.test_at_rest import report

pytestmark = pytest.mark.postgres


def _dump(url: str) -> bytes:
    u = make_url(url)
    cmd = [str(pg_bin("pg_dump")), "-Fc", "-h", str(u.query["host"]), "-U", "postgres"]
    return subprocess.run(
        as_postgres([*cmd, str(u.database)]), check=True, capture_output=True
    ).stdout


def _restore(server: str, dump: bytes) -> tuple[str, str]:
    name = "r_" + uuid.uuid4().hex[:12]
    url = create_database(server, name)
    host = str(make_url(server).query["host"])
    cmd = [str(pg_bin("pg_restore")), "-h", host, "-U", "postgres", "-d", name, "--exit-on-error"]
    subprocess.run(as_postgres(cmd), input=dump, check=True, capture_output=True)
    return name, url


def test_pg_dump_restores_and_an_older_dump_is_named(
    pg_server: str, pg_url: str, tmp_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    svc = Services(Settings(db_url=pg_url, state_dir=state, clock=clock))
    admin, _ = svc.setup.init("root", "amber-violet-72")
    svc.users.add(admin, "lan", "operator", "one-time-pass-1")
    op = svc.auth.change_password("lan", "one-time-pass-1", "quiet-harbour-41")
    svc.intake.save(op, parse_intake(report()))
    older = _dump(pg_url)  # while the database stays open
    second = svc.intake.save(op, parse_intake(report()))
    svc.audit.write_checkpoint(admin)
    current = _dump(pg_url)
    with pytest.raises(DomainError) as refused:
        svc.backup.backup(admin, tmp_path / "copy.db")
    assert refused.value.key == "admin.backup.sqlite_only" and not (tmp_path / "copy.db").exists()
    svc.close()

    name, url = _restore(pg_server, current)
    back = Services(Settings(db_url=url, state_dir=state, clock=clock))
    back.check_ready()
    op = back.auth.login("lan", "quiet-harbour-41")
    assert back.cases.detail(op, second.case_id).narrative.startswith("CANARYNARRATIVE")
    admin = back.auth.login("root", "amber-violet-72")
    assert back.audit.verify(admin).ok
    back.close()
    drop_database(pg_server, name)

    # Bad input: the dump from before the checkpoint, put back in place of the current one.
    name, url = _restore(pg_server, older)
    stale = Services(Settings(db_url=url, state_dir=state, clock=clock))
    admin = stale.auth.login("root", "amber-violet-72")
    result = stale.audit.verify(admin)
    assert not result.ok and result.problem == "audit.truncated", result
    stale.close()
    drop_database(pg_server, name)
