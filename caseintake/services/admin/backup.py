"""Backups while operators work, and restores that cannot hide an older trail (issue 10).

A backup is ``VACUUM INTO`` a new private file: one read transaction, so the copy is the
database as it was at one instant even while writers commit (WAL readers do not block them and
are not restarted by them, unlike the page-stepping backup API), and the copy carries no free
pages, so no deleted ciphertext rides along. It stays encrypted exactly as the database is.
The copy is made the one way files leave (``core.new_files``): under a temporary name beside
the target, linked into place only where nothing appeared meanwhile.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.services.admin.restore import (
    Progress,
    inspect_backup,
    mac_at,
    read_only_uri,
    restore,
)
from caseintake.services.admin.rollback import Loss
from caseintake.services.audit.checkpoints import CheckpointStore
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trail import AuditTrailService, VerifyResult
from caseintake.services.core.new_files import new_file
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database, sqlite_file

_PROGRESS_EVERY = 20_000  # SQLite VM steps between two progress reports


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    audit_seq: int  # the last audit event the copy holds


class BackupService:
    def __init__(
        self, db: Database, settings: Settings, audit: AuditLog, trail: AuditTrailService
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._trail = trail

    def backup(self, admin: Principal, out: Path, progress: Progress | None = None) -> BackupResult:
        """Copy the database to ``out`` (a new path), consistent while others write; audited
        once the copy is complete and durable, never before."""
        admin.require("admin")
        source = sqlite_file(self._db.url)
        if source is None:
            raise DomainError("admin.backup.sqlite_only")
        with new_file(out, self._db) as target:
            # A checkpoint first, so the copy knows its place in the history (issue 20 item 5).
            self._trail.write_checkpoint(admin)
            tmp = target.staging()
            try:
                seq = _vacuum_into(source, tmp, progress)
            except sqlite3.Error as err:
                raise DomainError("admin.backup.failed", detail=str(err)) from None
            size = tmp.stat().st_size
            with self._db.write() as s:  # placed and audited together, or neither
                target.publish()
                self._audit.append(
                    s,
                    admin.keys,
                    admin.name,
                    "backup_written",
                    "database",
                    "-",
                    {"out": str(out), "bytes": size, "audit_seq": seq},
                )
        if progress is not None:
            progress(1.0)
        return BackupResult(out, size, seq)

    def record_restore(
        self, admin: Principal, source: Path, rollback: Loss | None = None, *, copy: bool = False
    ) -> VerifyResult:
        """``copy``: restored under a new path, so it keeps its own checkpoints and flags."""
        admin.require("admin")
        if copy:
            with self._db.read() as s:
                self._trail.register_copy(self._audit.db_id(s))
        return record_restore(self._db, self._audit, self._trail, admin, source, rollback)

    def restore_beside(
        self, admin: Principal, source: Path, target: Path, progress: Progress | None = None
    ) -> tuple[int, int | None]:
        """Restore a backup of this database into a new file beside it (to look at, or to put
        in place later), audited here. Its trail is held against the pinned checkpoints
        read-only: no failure mark, which would flag this live database too (same db_id).
        Returns the copy's last event and the pinned checkpoint it falls behind, if any."""
        admin.require("admin")
        new_file(target, self._db)  # a new file, never this database's own (refused before work)
        facts = inspect_backup(source)
        with self._db.read() as s:
            here = self._audit.db_id(s)
        if facts.db_id != here:  # another database's keys: restore it at the command line
            raise DomainError("admin.tui.restore.other_db")
        url = f"sqlite:///{os.path.abspath(target)}"
        restore(source, url, progress=progress)  # a new path
        # Whoever opens the copy later keeps its checkpoints and flags apart from this one's.
        CheckpointStore(self._settings.state_dir, here).register_copy(
            Path(os.path.realpath(target))
        )
        pinned = self._trail.latest_checkpoint(admin, here)
        behind = None
        if pinned is not None:
            mac = mac_at(target, pinned.seq)
            if mac is None or not hmac.compare_digest(mac, pinned.mac):
                behind = pinned.seq
        with self._db.write() as s:
            self._audit.append(
                s, admin.keys, admin.name, "backup_restored_beside", "database", "-",
                {"from": str(source), "to": str(target), "behind_checkpoint": behind},
            )  # fmt: skip
        return facts.audit_seq, behind


def _vacuum_into(source: Path, tmp: Path, progress: Progress | None) -> int:
    conn = sqlite3.connect(source, isolation_level=None, timeout=60)
    try:
        page_size, pages, free = (
            conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("page_size", "page_count", "freelist_count")
        )
        expected = max((pages - free) * page_size, 1)
        if progress is not None:

            def report() -> int:
                with contextlib.suppress(OSError):
                    progress(min(tmp.stat().st_size / expected, 0.99))
                return 0

            conn.set_progress_handler(report, _PROGRESS_EVERY)
        conn.execute("VACUUM INTO ?", (str(tmp),))
        conn.set_progress_handler(None, 0)
    finally:
        conn.close()
    check = sqlite3.connect(read_only_uri(tmp), uri=True)
    try:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise DomainError("admin.backup.copy_damaged")
        return int(check.execute("SELECT coalesce(max(seq), 0) FROM audit_events").fetchone()[0])
    finally:
        check.close()


def record_restore(
    db: Database,
    audit: AuditLog,
    trail: AuditTrailService,
    admin: Principal,
    source: Path,
    rollback: Loss | None = None,
) -> VerifyResult:
    """After a restore: audit it in the restored database, then hold its trail against the
    checkpoints pinned in the state directory. An older copy fails there (truncated, or a
    checkpoint no longer matching), and the failure mark keeps it flagged, whatever is
    appended later, until an admin acknowledges it (``audit acknowledge``)."""
    admin.require("admin")
    with db.write() as s:
        audit.append(
            s, admin.keys, admin.name, "database_restored", "database", "-", {"from": str(source)}
        )
        if rollback is not None:  # the admin said --accept-rollback (issue 20 item 5)
            audit.append(
                s, admin.keys, admin.name, "restore_rollback_accepted", "database", "-",
                {"events_lost": rollback.events, "cases_lost": rollback.cases,
                 "head_before": rollback.live_head, "head_of_copy": rollback.copy_head},
            )  # fmt: skip
    result = trail.verify(admin)
    if rollback is not None:
        # The new head is signed; the trail stays flagged against the checkpoints of the
        # history it undid until an admin acknowledges it (``audit acknowledge``).
        trail.write_checkpoint(admin)
    return result
