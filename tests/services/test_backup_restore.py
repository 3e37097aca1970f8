"""Backup while operators save, restore checked whole, an older copy flagged until acknowledged."""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseintake.domain.errors import DomainError
from caseintake.services.admin.restore import inspect_backup, restore
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.store.models import AuditEvent, Contact
from tests.conftest import ADMIN, ADMIN_PW


def _db_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_backup_is_private_encrypted_and_audited(services: Any, admin: Any, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    seen: list[float] = []
    result = services.backup.backup(admin, out, progress=seen.append)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert result.size == out.stat().st_size and seen[-1] == 1.0
    assert b"amber-violet-72" not in out.read_bytes()
    assert inspect_backup(out).audit_seq == result.audit_seq
    with services.db.read() as s:
        last = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
    assert (last.action, last.actor, last.seq) == ("backup_written", ADMIN, result.audit_seq + 1)
    assert not list(tmp_path.glob(".copy.db.*"))  # no temporary file left


def test_backup_refuses_existing_symlink_fifo_and_non_admins(
    services: Any, admin: Any, operator: Any, tmp_path: Path
) -> None:
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"keep me")
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    for path, key in (
        (existing, "exports.exists_file"),
        (link, "exports.exists_link"),
        (fifo, "exports.exists_fifo"),
        (tmp_path / "no" / "such.db", "exports.no_folder"),
    ):
        with pytest.raises(DomainError) as err:
            services.backup.backup(admin, path)
        assert err.value.key == key
    assert existing.read_bytes() == b"keep me"
    assert not (tmp_path / "elsewhere.db").exists()
    with pytest.raises(DomainError) as err:
        services.backup.backup(operator, tmp_path / "op.db")
    assert err.value.key == "auth.forbidden" and not (tmp_path / "op.db").exists()
    with services.db.read() as s:
        actions = set(s.execute(select(AuditEvent.action)).scalars())
    assert "backup_written" not in actions  # nothing written, nothing audited


def test_backup_while_writer_processes_save_is_consistent(monkeypatch: Any) -> None:
    from bench.bench_concurrency import prepare, run_writers

    with tempfile.TemporaryDirectory() as tmp:
        url, state, users, (svc, admin) = prepare(tmp, 3)
        done: list[tuple[list[str], list[str]]] = []
        writers = threading.Thread(target=lambda: done.append(run_writers(url, state, users, 8)))
        writers.start()
        copies = []
        while writers.is_alive() or not copies:
            out = Path(tmp) / f"copy{len(copies)}.db"
            svc.backup.backup(admin, out)  # type: ignore[attr-defined]
            copies.append(out)
        writers.join()
        saved, errors = done[0]
        assert errors == [] and len(saved) == 24
        for n, copy in enumerate(copies):
            target = Path(tmp) / f"restored{n}.db"
            restore(copy, f"sqlite:///{target}")
            # Its own state folder: judged as a chain, not against the live checkpoints.
            restored = Services(Settings(f"sqlite:///{target}", Path(tmp) / f"state{n}"))
            who = restored.auth.login("root", "amber-violet-72")
            assert restored.audit.verify(who).ok
            with restored.db.read() as s:
                contacts = set(s.execute(select(Contact.id)).scalars())
                saves = {
                    e
                    for e in s.execute(
                        select(AuditEvent.entity_id).where(AuditEvent.action == "contact_created")
                    ).scalars()
                }
            assert contacts <= set(saved)  # nothing half-saved in a copy
            assert contacts <= saves  # every saved contact in a copy carries its audit event
            restored.close()
        assert len(copies) >= 2
        svc.close()  # type: ignore[attr-defined]


def test_restore_checks_the_file_before_anything(services: Any, admin: Any, tmp_path: Path) -> None:
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    target = tmp_path / "target.db"
    url = f"sqlite:///{target}"
    with pytest.raises(DomainError) as err:
        restore(not_db, url)
    assert err.value.key == "admin.restore.not_sqlite"
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(DomainError) as err:
        restore(foreign, url)
    assert err.value.key == "admin.restore.not_caseintake"
    good = tmp_path / "good.db"
    services.backup.backup(admin, good)
    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    for i in range(4096 * 2, len(data), 4096):  # every page after the second, scribbled
        data[i + 100 : i + 200] = b"\xff" * 100
    damaged.write_bytes(bytes(data))
    with pytest.raises(DomainError) as err:
        restore(damaged, url)
    assert err.value.key == "admin.restore.damaged"
    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(DomainError) as err:
        restore(newer, url)
    assert err.value.key == "admin.restore.unknown_schema"
    assert not target.exists()  # nothing was put in place
    with pytest.raises(DomainError) as err:
        restore(tmp_path / "missing.db", url)
    assert err.value.key == "cli.file_missing"
    with pytest.raises(DomainError) as err:
        restore(good, "postgresql://u@h/db")
    assert err.value.key == "admin.restore.sqlite_only"


def test_restore_refuses_an_existing_database_unless_told(
    services: Any, admin: Any, tmp_path: Path, db_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    services.backup.backup(admin, copy)
    before = db_path.read_bytes()
    with pytest.raises(DomainError) as err:
        restore(copy, f"sqlite:///{db_path}")
    assert err.value.key == "admin.restore.target_exists"
    assert db_path.read_bytes() == before
    link = tmp_path / "link.db"
    link.symlink_to(db_path)
    with pytest.raises(DomainError) as err:
        restore(copy, f"sqlite:///{link}", replace=True)
    assert err.value.key == "admin.backup.out_not_regular"
    target = tmp_path / "other.db"
    seen: list[float] = []
    restore(copy, f"sqlite:///{target}", progress=seen.append)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and seen[-1] == 1.0
    restore(copy, f"sqlite:///{target}", replace=True)
    assert inspect_backup(target).db_id == inspect_backup(copy).db_id


def test_an_older_copy_is_flagged_until_an_admin_acknowledges(
    services: Any, admin: Any, settings: Any, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    services.backup.backup(admin, old)
    for _ in range(3):
        services.audit.write_checkpoint(admin)  # the trail grows and is pinned past the copy
    target = tmp_path / "restored.db"
    restore(old, f"sqlite:///{target}")
    restored = Services(replace(settings, db_url=f"sqlite:///{target}"))
    who = restored.auth.login(ADMIN, ADMIN_PW)
    result = restored.backup.record_restore(who, old)
    assert not result.ok
    assert result.problem in ("audit.truncated", "audit.checkpoint_mismatch")
    for _ in range(5):  # ordinary audited work afterwards never masks it
        restored.users.list(who)
        restored.audit.verify(who)
    later = restored.audit.verify(who)
    assert not later.ok and later.problem in ("audit.checkpoint_mismatch", "audit.still_failed")
    restored.audit.acknowledge(who, "restored after the disk failure of 2 March")
    assert restored.audit.verify(who).ok
    with restored.db.read() as s:
        actions = list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())
    assert "database_restored" in actions and "audit_failure_acknowledged" in actions
    restored.close()


def test_a_current_copy_restores_clean(
    services: Any, admin: Any, settings: Any, tmp_path: Path
) -> None:
    services.audit.write_checkpoint(admin)
    copy = tmp_path / "copy.db"
    services.backup.backup(admin, copy)
    target = tmp_path / "restored.db"
    restore(copy, f"sqlite:///{target}")
    restored = Services(replace(settings, db_url=f"sqlite:///{target}"))
    result = restored.backup.record_restore(restored.auth.login(ADMIN, ADMIN_PW), copy)
    assert result.ok
    restored.close()


def test_restore_beside_judges_read_only_and_never_flags_the_live_trail(
    services: Any, admin: Any, tmp_path: Path, db_path: Path
) -> None:
    old = tmp_path / "old.db"
    services.backup.backup(admin, old)
    services.audit.write_checkpoint(admin)
    seq, behind = services.backup.restore_beside(admin, old, tmp_path / "beside.db")
    assert behind is not None and behind > seq
    assert services.audit.verify(admin).ok  # the live database is not flagged by its copy
    current = tmp_path / "current.db"
    services.backup.backup(admin, current)
    assert services.backup.restore_beside(admin, current, tmp_path / "beside2.db")[1] is None
    with pytest.raises(DomainError) as err:
        services.backup.restore_beside(admin, current, tmp_path / "beside2.db")
    assert err.value.key == "exports.exists_file"  # a new file only, the one way
    for own in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-journal")):
        with pytest.raises(DomainError) as err:
            services.backup.restore_beside(admin, current, own)
        assert err.value.key in ("exports.exists_file", "exports.live_database")
    assert not Path(f"{db_path}-journal").exists()
    with services.db.read() as s:
        restored = list(
            s.execute(
                select(AuditEvent.action).where(AuditEvent.action == "backup_restored_beside")
            ).scalars()
        )
    assert len(restored) == 2  # audited in the live database, each time it was done
