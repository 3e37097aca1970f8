"""The directory of bodies: seeded at init, imported from CSV by an admin, listed by anyone."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.directory import DirectoryEntry, load_directory, parse_directory_csv
from caseintake.services.audit_log import AuditLog
from caseintake.services.principal import Principal
from caseintake.services.routing import RoutingService, entry_of
from caseintake.services.views import join_codes
from caseintake.store.db import Database
from caseintake.store.models import DirectoryEntryRow


def upsert_entries(s: Session, entries: Iterable[DirectoryEntry]) -> tuple[int, int]:
    added = updated = 0
    for e in entries:
        row = s.get(DirectoryEntryRow, e.id)
        if row is None:
            row = DirectoryEntryRow(id=e.id)
            s.add(row)
            added += 1
        else:
            updated += 1
        row.body, row.name, row.province_code, row.ward_code = (
            e.body,
            e.name,
            e.province_code,
            e.ward_code,
        )
        row.phones, row.email, row.hours, row.source = (
            join_codes(list(e.phones)),
            e.email,
            e.hours,
            e.source,
        )
        row.active = True
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
