"""The directory of bodies: seeded at init, imported from CSV by an admin, listed by anyone."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.directory import DirectoryEntry, load_directory, parse_directory_csv
from caseintake.domain.errors import DomainError
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import utc_now
from caseintake.services.routing.decisions import RoutingService, entry_of
from caseintake.services.routing.directory_versions import write_entry
from caseintake.store.db import Database
from caseintake.store.models import DirectoryEntryRow


def upsert_entries(s: Session, entries: Iterable[DirectoryEntry]) -> tuple[int, int]:
    """Add or update live entries; an entry a referral was sent to keeps its sent version
    (services/routing/directory_versions.py, issue 10)."""
    added = updated = 0
    now = utc_now()
    for e in entries:
        row = s.get(DirectoryEntryRow, e.id)
        if row is None:
            row = DirectoryEntryRow(id=e.id, version=1)
            write_entry(s, row, e, now)
            s.add(row)
            added += 1
            continue
        elif row.current_id is not None:  # a kept old version is never written again
            raise DomainError("admin.directory.old_version", id=e.id)
        else:
            updated += 1
        write_entry(s, row, e, now)
    return added, updated


def seed_directory(s: Session) -> int:
    added, _ = upsert_entries(s, load_directory())
    return added


class DirectoryService:
    def __init__(self, db: Database, audit: AuditLog, routing: RoutingService) -> None:
        self._db = db
        self._audit = audit
        self._routing = routing

    def list(
        self, body: str | None = None, province_code: int | None = None
    ) -> list[DirectoryEntry]:
        stmt = select(DirectoryEntryRow).where(DirectoryEntryRow.active)
        if body:
            stmt = stmt.where(DirectoryEntryRow.body == body)
        if province_code is not None:
            stmt = stmt.where(DirectoryEntryRow.province_code == province_code)
        stmt = stmt.order_by(
            DirectoryEntryRow.body,
            DirectoryEntryRow.province_code.nulls_first(),
            DirectoryEntryRow.ward_code.nulls_first(),
            DirectoryEntryRow.id,
        )
        with self._db.read() as s:
            return [entry_of(r) for r in s.execute(stmt).scalars()]

    def import_csv(self, principal: Principal, text: str, source_name: str) -> tuple[int, int]:
        """All rows or none: a bad row raises before anything is written."""
        principal.require("admin")
        entries = parse_directory_csv(text)
        with self._db.write() as s:
            added, updated = upsert_entries(s, entries)
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "directory_imported",
                "directory",
                "-",
                {"file": source_name, "added": added, "updated": updated},
            )
        self._routing.forget_directory()
        return added, updated
