"""The admin's directory desk: search, add, edit, retire, and a CSV import previewed first.

Every value is checked as typed text (control characters, bidi overrides and line breaks are
refused, issue 10 item 8) and then by the directory's own rules (body code, area, phones,
e-mail). An edit never changes the desk a referral was already sent to
(``directory_versions``); a retired entry is no longer routed to but keeps its row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from caseintake.domain.directory import CSV_COLUMNS, DirectoryEntry, parse_directory_csv
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.field_checks import FieldRejected, check_text, echo
from caseintake.domain.intake.phones import normalise_phone
from caseintake.i18n import t
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.routing.decisions import RoutingService, entry_of
from caseintake.services.routing.directory import upsert_entries
from caseintake.services.routing.directory_versions import same_content, write_entry
from caseintake.store.db import Database
from caseintake.store.models import DirectoryEntryRow

EDITABLE = ("body", "name", "province_code", "ward_code", "phones", "email", "hours", "source")
_LIMITS = {"id": 80, "name": 300, "phones": 300, "email": 200, "hours": 200, "source": 1000}
SEARCH_LIMIT = 200
MAX_CSV_BYTES = 5_000_000


def read_import_file(path: Path) -> str:
    """A CSV file to import from the desk, with one sentence for each way it can be wrong."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise DomainError("cli.file_too_big", path=str(path), n=MAX_CSV_BYTES)
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DomainError("cli.file_missing", path=str(path)) from None
    except IsADirectoryError:
        raise DomainError("cli.file_is_dir", path=str(path)) from None
    except UnicodeDecodeError:
        raise DomainError("cli.file_not_utf8", path=str(path)) from None


@dataclass(frozen=True)
class AdminEntry:
    entry: DirectoryEntry
    version: int
    retired: bool


@dataclass
class ImportPreview:
    added: list[DirectoryEntry] = field(default_factory=list)
    changed: list[tuple[DirectoryEntry, DirectoryEntry]] = field(default_factory=list)  # old, new
    unchanged: int = 0


def checked_entry(fields: Mapping[str, object]) -> DirectoryEntry:
    """One entry from typed values: each a single line of text, then the directory's rules."""
    row: dict[str, str] = {}
    for column in CSV_COLUMNS:
        value = fields.get(column)
        if value is None:
            row[column] = ""
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        try:
            row[column] = check_text(value, max_length=_LIMITS.get(column, 200), multiline=False)
        except FieldRejected as err:
            reason = t(err.key, **err.params)
            raise DomainError("admin.directory.bad_text", column=column, reason=reason) from None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerow([row[c] for c in CSV_COLUMNS])
    try:
        (entry,) = parse_directory_csv(out.getvalue())
    except DomainError as err:
        column = str(err.params.get("column", "?"))
        if err.key == "directory.error.csv_formula":
            reason = t("exports.formula_reason")
            raise DomainError("admin.directory.bad_text", column=column, reason=reason) from None
        value = echo(err.params.get("value", row.get(column, "")))
        raise DomainError("admin.directory.bad_field", column=column, value=value) from None
    return entry


def _as_fields(entry: DirectoryEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "body": entry.body,
        "name": entry.name,
        "province_code": entry.province_code,
        "ward_code": entry.ward_code,
        "phones": ";".join(entry.phones),
        "email": entry.email,
        "hours": entry.hours,
        "source": entry.source,
    }


def _changes(old: DirectoryEntry, new: DirectoryEntry) -> dict[str, list[object]]:
    before, after = _as_fields(old), _as_fields(new)
    return {k: [before[k], after[k]] for k in EDITABLE if before[k] != after[k]}


class DirectoryAdminService:
    def __init__(
        self, db: Database, settings: Settings, audit: AuditLog, routing: RoutingService
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._routing = routing

    def search(
        self, text: str = "", *, include_retired: bool = False, limit: int = SEARCH_LIMIT
    ) -> list[AdminEntry]:
        """Live entries whose id, name, body code or phones contain ``text`` (any case)."""
        stmt = select(DirectoryEntryRow).where(DirectoryEntryRow.current_id.is_(None))
        if not include_retired:
            stmt = stmt.where(DirectoryEntryRow.active)
        needle = text.strip().lower()
        if needle:
            cols = (DirectoryEntryRow.id, DirectoryEntryRow.name, DirectoryEntryRow.body)
            wanted = [func.lower(col).like(_like(needle), escape="\\") for col in cols]
            wanted.append(DirectoryEntryRow.phones.like(_like(normalise_phone(needle) or needle)))
            stmt = stmt.where(or_(*wanted))
        stmt = stmt.order_by(DirectoryEntryRow.body, DirectoryEntryRow.id).limit(limit)
        with self._db.read() as s:
            return [AdminEntry(entry_of(r), r.version, not r.active) for r in s.scalars(stmt)]

    def add(self, admin: Principal, fields: Mapping[str, object]) -> DirectoryEntry:
        admin.require("admin")
        entry = checked_entry(fields)
        with self._db.write() as s:
            if s.get(DirectoryEntryRow, entry.id) is not None:
                raise DomainError("admin.directory.exists", id=entry.id)
            upsert_entries(s, [entry])
            self._audit.append(
                s, admin.keys, admin.name, "directory_entry_added", "directory", entry.id,
                _as_fields(entry),
            )  # fmt: skip
        self._routing.forget_directory()
        return entry

    def edit(self, admin: Principal, entry_id: str, changes: Mapping[str, object]) -> AdminEntry:
        """Change some fields of a live entry; the version a referral was sent to is kept."""
        admin.require("admin")
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise DomainError("admin.directory.not_editable", column=echo(sorted(unknown)[0]))
        now = self._settings.clock()
        with self._db.write() as s:
            row = _live(s, entry_id)
            old = entry_of(row)
            new = checked_entry({**_as_fields(old), **changes})
            if same_content(row, new):
                raise DomainError("admin.directory.no_change", id=entry_id)
            kept = (row.active, row.retired_at)
            write_entry(s, row, new, now)
            row.active, row.retired_at = kept  # an edit does not bring a retired entry back
            self._audit.append(
                s, admin.keys, admin.name, "directory_entry_edited", "directory", entry_id,
                {"version": row.version, "changes": _changes(old, new)},
            )  # fmt: skip
            result = AdminEntry(new, row.version, not row.active)
        self._routing.forget_directory()
        return result

    def retire(self, admin: Principal, entry_id: str) -> None:
        """No longer routed to; referrals made to it keep showing it as it was."""
        admin.require("admin")
        with self._db.write() as s:
            row = _live(s, entry_id)
            if not row.active:
                raise DomainError("admin.directory.already_retired", id=entry_id)
            row.active, row.retired_at = False, self._settings.clock()
            self._audit.append(
                s, admin.keys, admin.name, "directory_entry_retired", "directory", entry_id,
                {"name": row.name, "version": row.version},
            )  # fmt: skip
        self._routing.forget_directory()

    def preview_import(self, text: str) -> ImportPreview:
        """What an import would do, without doing it: new entries, changed ones (before and
        after), and how many are the same."""
        entries = []
        for parsed in parse_directory_csv(text):
            try:
                entries.append(checked_entry(_as_fields(parsed)))
            except DomainError as err:  # which row, in the words of the field's refusal
                key = "admin.directory.in_entry"
                raise DomainError(key, id=parsed.id, reason=err.message()) from None
        preview = ImportPreview()
        with self._db.read() as s:
            for entry in entries:
                row = s.get(DirectoryEntryRow, entry.id)
                if row is None:
                    preview.added.append(entry)
                elif row.current_id is not None:
                    raise DomainError("admin.directory.old_version", id=entry.id)
                elif same_content(row, entry) and row.active:
                    preview.unchanged += 1
                else:
                    preview.changed.append((entry_of(row), entry))
        return preview

    def import_csv(self, admin: Principal, text: str, source_name: str) -> ImportPreview:
        """All rows or none, each checked as typed text first; audited with what changed."""
        admin.require("admin")
        preview = self.preview_import(text)
        todo = [*preview.added, *(new for _old, new in preview.changed)]
        with self._db.write() as s:
            upsert_entries(s, todo)
            self._audit.append(
                s, admin.keys, admin.name, "directory_imported", "directory", "-",
                {
                    "file": source_name,
                    "added": [e.id for e in preview.added],
                    "changed": {old.id: _changes(old, new) for old, new in preview.changed},
                    "unchanged": preview.unchanged,
                },
            )  # fmt: skip
        self._routing.forget_directory()
        return preview


def _like(needle: str) -> str:
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _live(s: Session, entry_id: str) -> DirectoryEntryRow:
    row = s.get(DirectoryEntryRow, entry_id)
    if row is None or row.current_id is not None:
        raise DomainError("admin.directory.no_entry", id=echo(entry_id))
    return row
