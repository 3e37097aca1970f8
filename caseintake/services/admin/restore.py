"""Restoring a backup: checked whole before it replaces anything (issue 10, the admin's desk).

The file is opened immutable (SQLite writes nothing, reads no stray WAL), then: it is an SQLite
database, ``PRAGMA integrity_check`` says ok, its schema is one this version knows, and its
``meta.db_id`` is sound. The copy lands under a temporary name beside the target and is linked
or renamed into place; an existing database is replaced only when the admin says so, and its
old WAL and shared-memory files go with it (a stale WAL would be replayed onto the copy).

Whether the copy is older than the trail's signed checkpoints is judged afterwards by
``AuditTrailService.verify`` on the restored database (``restored_trail``): a copy behind a
pinned checkpoint fails there and stays failed until an admin acknowledges it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine

from caseintake.domain.errors import DomainError
from caseintake.services.admin.rollback import Loss, loss_if_replaced
from caseintake.services.audit.checkpoints import valid_db_id
from caseintake.services.core.new_files import NewFile
from caseintake.services.core.private_files import (
    fsync_dir,
    fsync_file,
    private_temp,
    read_only_uri,
)
from caseintake.store import migrate
from caseintake.store.db import make_private, parse_url, sqlite_file
from caseintake.store.models import Base
from caseintake.store.presence import others

Progress = Callable[[float], None]  # a share done, 0.0 to 1.0
_MAGIC = b"SQLite format 3\x00"
_STEP_PAGES = 256


@dataclass(frozen=True)
class BackupFacts:
    db_id: str
    revision: str
    audit_seq: int
    users: int


def inspect_backup(path: Path) -> BackupFacts:
    """Everything checked about a backup before it is trusted, each failure one sentence."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DomainError("cli.file_missing", path=str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise DomainError("admin.restore.not_regular", path=str(path))
    with open(path, "rb") as f:
        if f.read(len(_MAGIC)) != _MAGIC:
            raise DomainError("admin.restore.not_sqlite", path=str(path))
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    # A damaged page can put any bytes in the check's own messages: read them, never crash.
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # type: ignore[assignment]
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            raise DomainError("admin.restore.damaged", path=str(path), detail=str(rows[0][0])[:200])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise DomainError("admin.restore.not_caseintake", path=str(path))
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] not in migrate.known_revisions():
            raise DomainError(
                "admin.restore.unknown_schema", revision=str(revision and revision[0])
            )
        if revision[0] == migrate.head_revision():
            missing = sorted(set(Base.metadata.tables) - tables)
            if missing:
                raise DomainError("admin.restore.tables_missing", tables=", ".join(missing[:5]))
        elif not {"meta", "users", "key_slots", "audit_events"} <= tables:
            raise DomainError("admin.restore.not_caseintake", path=str(path))
        db_id = valid_db_id(conn.execute("SELECT db_id FROM meta").fetchone()[0])
        seq = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_events").fetchone()[0]
        users = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    except sqlite3.DatabaseError as err:
        raise DomainError("admin.restore.damaged", path=str(path), detail=str(err)[:200]) from None
    except UnicodeDecodeError:  # SQLite's own message quoted bytes of a damaged page
        raise DomainError("admin.restore.damaged", path=str(path), detail="?") from None
    finally:
        conn.close()
    return BackupFacts(db_id, str(revision[0]), int(seq), int(users))


def restore(
    source: Path,
    url: str,
    replace: bool = False,
    progress: Progress | None = None,
    accept_rollback: bool = False,
) -> tuple[BackupFacts, Loss | None]:
    """Put a checked backup at the SQLite database of ``url``; returns what it holds and,
    when it replaced a database, what that database had that the copy has not. Replacing
    is refused while other processes have the file open, and when it would lose events or
    cases unless ``accept_rollback`` (issue 20 item 5)."""
    target = sqlite_file(parse_url(url))
    if target is None:
        raise DomainError("admin.restore.sqlite_only")
    facts = inspect_backup(source)
    _check_target(target, replace)
    loss = None
    if replace and os.path.lexists(target):
        busy = others(target)
        if busy:
            names = "; ".join(session.label() for session in busy)
            raise DomainError("access_checks.restore_in_use", sessions=names)
        loss = loss_if_replaced(target, source)
        if loss.any and not accept_rollback:
            raise DomainError(
                "access_checks.restore_would_lose",
                events=loss.events,
                cases=loss.cases,
                live=loss.live_head,
                copy=loss.copy_head,
            )
    if replace and os.path.lexists(target):
        tmp = private_temp(target.parent, target.name)
        try:
            _copy(source, tmp, progress)
            for extra in (Path(f"{target}-wal"), Path(f"{target}-shm")):
                extra.unlink(missing_ok=True)
            fsync_file(tmp)
            os.replace(tmp, target)
            fsync_dir(target.parent)
        finally:
            tmp.unlink(missing_ok=True)
    else:
        with NewFile(target) as new:
            _copy(source, new.staging(), progress)
            new.publish()
    if facts.revision != migrate.head_revision():
        make_private(target)
        engine = create_engine(url)
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()
    if progress is not None:
        progress(1.0)
    return facts, loss


def mac_at(path: Path, seq: int) -> bytes | None:
    """The stored MAC of one audit event of a database file, read without writing to it."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        row = conn.execute("SELECT mac FROM audit_events WHERE seq = ?", (seq,)).fetchone()
    finally:
        conn.close()
    return None if row is None else bytes(row[0])


def _check_target(target: Path, replace: bool) -> None:
    if not target.parent.is_dir():
        raise DomainError("admin.backup.out_no_folder", path=str(target))
    if not os.path.lexists(target):
        for extra in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            if os.path.lexists(extra):  # a WAL without its database: not ours to delete
                raise DomainError("admin.restore.target_exists", path=str(extra))
        return
    if not stat.S_ISREG(os.lstat(target).st_mode):
        raise DomainError("admin.backup.out_not_regular", path=str(target))
    if not replace:
        raise DomainError("admin.restore.target_exists", path=str(target))


def _copy(source: Path, tmp: Path, progress: Progress | None) -> None:
    src = sqlite3.connect(read_only_uri(source), uri=True)
    dst = sqlite3.connect(tmp)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None and total:
                progress(min((total - remaining) / total, 0.99))

        src.backup(dst, pages=_STEP_PAGES, progress=step)
    except sqlite3.Error as err:
        raise DomainError(
            "admin.restore.damaged", path=str(source), detail=str(err)[:200]
        ) from None
    finally:
        dst.close()
        src.close()
