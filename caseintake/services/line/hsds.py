"""The directory exported to and imported from Open Referral HSDS 3.0 (issue 24 item 2; the
format and its schema subset: ``domain/hsds.py``).

Export writes every live entry (retired ones as ``inactive``) with the active card of a line
that has one, through the one safe way to write a file. Import checks the document against the
schema subset, then goes through the directory's own CSV import (every value checked as typed
text, all rows or none, previewed, audited). A card found in an imported document is never
pinned by the import: a card is trusted only with its fingerprint read out by phone
(``directory add-line``), so the import only counts them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseintake.domain import hsds
from caseintake.domain.directory import CSV_COLUMNS
from caseintake.domain.errors import DomainError
from caseintake.domain.intake import geography
from caseintake.services.core.new_files import new_file
from caseintake.services.core.principal import Principal
from caseintake.services.line.cards import LineDirectoryService
from caseintake.services.routing.directory_admin import DirectoryAdminService, ImportPreview
from caseintake.store.db import Database

MAX_HSDS_BYTES = 5_000_000
ALL = 1_000_000


@dataclass(frozen=True)
class HsdsImport:
    preview: ImportPreview
    cards_seen: int  # line cards in the document, not pinned (add-line with the fingerprint)


class DirectoryExchange:
    def __init__(
        self, db: Database, directory: DirectoryAdminService, cards: LineDirectoryService
    ) -> None:
        self._db = db
        self._directory = directory
        self._cards = cards

    def document(self) -> list[dict[str, Any]]:
        out = []
        for found in self._directory.search("", include_retired=True, limit=ALL):
            entry = found.entry
            partner = self._cards.partner(entry.id)
            card = None
            if partner is not None and not partner.retired:
                card = json.loads(partner.card.to_bytes())
            out.append(hsds.service_of(entry, found.retired, _area(entry), card))
        return out

    def export(self, out: Path) -> int:
        services = self.document()
        data = json.dumps(services, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
        with new_file(out, self._db) as target:
            target.place(data)
        return len(services)

    def read(self, data: bytes) -> tuple[str, int]:
        """The document as the directory's CSV, and how many line cards it carries."""
        if len(data) > MAX_HSDS_BYTES:
            raise DomainError("line.hsds_too_big", n=MAX_HSDS_BYTES)
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise DomainError("line.hsds_not_json") from None
        found = hsds.problems(document)
        if found:
            raise DomainError("line.hsds_invalid", where=found[0], n=len(found))
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        for service in document:
            fields = hsds.entry_fields(service)
            writer.writerow(
                ["" if fields.get(c) is None else fields.get(c, "") for c in CSV_COLUMNS]
            )
        cards = sum(1 for s in document if s.get(hsds.CARD_MEMBER))
        return text.getvalue(), cards

    def preview(self, data: bytes) -> HsdsImport:
        text, cards = self.read(data)
        return HsdsImport(self._directory.preview_import(text), cards)

    def import_document(self, admin: Principal, data: bytes, source_name: str) -> HsdsImport:
        admin.require("admin")
        text, cards = self.read(data)
        return HsdsImport(self._directory.import_csv(admin, text, source_name), cards)


def _area(entry: Any) -> str:
    if entry.ward_code is not None:
        ward = geography.ward(entry.ward_code)
        if ward is not None:
            return ward.name
    province = geography.province(entry.province_code)
    return province.name if province is not None else "Việt Nam"
