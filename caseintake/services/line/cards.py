"""The directory knows other lines (issue 24 item 2): a partner's public card pinned to a
directory entry, only when the fingerprint read out of band by phone matches the card.

A card is added to an existing entry (a body that runs caseintake) or makes a new entry for the
line; a body without a card stays a slip body. A retired card keeps its row (history: which key
a partner had, from when to when) and ``PartnerCard.retired`` tells receiving to refuse it. Every
write is audited and its rows bound to the trail (``store/records.py``) like the directory's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.line_identity import LineCard, parse_card, same_fingerprint
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.field_checks import echo
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.line.identity import ROW_ID
from caseintake.services.routing.decisions import RoutingService
from caseintake.services.routing.directory import upsert_entries
from caseintake.services.routing.directory_admin import checked_entry
from caseintake.store.db import Database
from caseintake.store.models import DirectoryEntryRow, LineCardRow, LineIdentityRow

MAX_CARD_FILE = 4096
DEFAULT_BODY = "hotline_111"


def read_card_file(path: Path) -> bytes:
    """A card file's bytes, with one sentence for each way it cannot be read."""
    try:
        if path.stat().st_size > MAX_CARD_FILE:
            raise DomainError("line.card_too_big", n=MAX_CARD_FILE)
        return path.read_bytes()
    except FileNotFoundError:
        raise DomainError("cli.file_missing", path=str(path)) from None
    except IsADirectoryError:
        raise DomainError("cli.file_is_dir", path=str(path)) from None
    except OSError:
        raise DomainError("line.card_unreadable", path=str(path)) from None


@dataclass(frozen=True)
class PartnerCard:
    """A partner line's card as the directory holds it."""

    id: str  # the card row's id
    directory_id: str
    card: LineCard
    fingerprint: str
    added_at: datetime
    added_by: str
    retired_at: datetime | None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def code(self) -> str:
        return self.card.code

    @property
    def name(self) -> str:
        return self.card.name


def partner_of(row: LineCardRow) -> PartnerCard:
    """The stored card, parsed and its self-signature checked again (a row changed in the
    file no longer parses, and its binding to the trail no longer matches either)."""
    card = parse_card(row.card.encode("utf-8"))
    if card.sign_public != bytes(row.sign_public) or card.hpke_public != bytes(row.hpke_public):
        raise DomainError("line.card_signature")
    return PartnerCard(
        row.id, row.directory_id, card, card.fingerprint, row.added_at, row.added_by, row.retired_at
    )


class LineDirectoryService:
    def __init__(
        self, db: Database, settings: Settings, audit: AuditLog, routing: RoutingService
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._routing = routing

    def add_line(
        self,
        admin: Principal,
        card_bytes: bytes,
        fingerprint: str,
        *,
        entry_id: str | None = None,
        body: str | None = None,
        province_code: int | None = None,
    ) -> str:
        """Pin a partner's card; returns the directory id packages are sent ``--to``. Refused
        in one sentence, nothing stored, when the card does not verify or the fingerprint
        typed does not match it."""
        admin.require("admin")
        card = parse_card(card_bytes)
        if not same_fingerprint(fingerprint, card.fingerprint):
            raise DomainError("line.fingerprint_mismatch")
        now = self._settings.clock()
        with self._db.write() as s:
            own = s.get(LineIdentityRow, ROW_ID)
            if own is not None and bytes(own.sign_public) == card.sign_public:
                raise DomainError("line.own_card")
            known = _active(s, LineCardRow.sign_public == card.sign_public)
            if known is not None:
                raise DomainError("line.card_known", id=known.directory_id)
            if entry_id is not None:
                directory_id = self._existing_entry(s, entry_id)
            else:
                directory_id = self._new_entry(s, card, body, province_code)
            row = LineCardRow(
                id=str(uuid.uuid4()),
                directory_id=directory_id,
                code=card.code,
                name=card.name,
                sign_public=card.sign_public,
                hpke_public=card.hpke_public,
                card=card.to_bytes().decode("utf-8"),
                fingerprint=card.fingerprint,
                added_at=now,
                added_by=admin.name,
                retired_at=None,
            )
            s.add(row)
            self._audit.append(
                s, admin.keys, admin.name, "directory_line_added", "directory", directory_id,
                {"card": row.id, "code": card.code, "name": card.name,
                 "fingerprint": card.fingerprint, "new_entry": entry_id is None},
            )  # fmt: skip
        self._routing.forget_directory()
        return directory_id

    def _existing_entry(self, s: Session, entry_id: str) -> str:
        row = s.get(DirectoryEntryRow, entry_id)
        if row is None or row.current_id is not None or not row.active:
            raise DomainError("admin.directory.no_entry", id=echo(entry_id))
        held = _active(s, LineCardRow.directory_id == entry_id)
        if held is not None:
            raise DomainError("line.entry_has_card", id=entry_id, code=held.code)
        return entry_id

    def _new_entry(
        self, s: Session, card: LineCard, body: str | None, province_code: int | None
    ) -> str:
        entry_id = f"line-{card.code.lower()}"
        if s.get(DirectoryEntryRow, entry_id) is not None:
            raise DomainError("line.entry_exists", id=entry_id)
        entry = checked_entry(
            {"id": entry_id, "body": body or DEFAULT_BODY, "name": card.name,
             "province_code": province_code, "source": f"caseintake card {card.fingerprint}"}
        )  # fmt: skip
        upsert_entries(s, [entry])
        return entry_id

    def retire_card(self, admin: Principal, directory_id: str) -> PartnerCard:
        """The entry's card is no longer trusted: packages signed with it are refused from now
        on. The row stays, with when it was retired."""
        admin.require("admin")
        with self._db.write() as s:
            row = _active(s, LineCardRow.directory_id == directory_id)
            if row is None:
                raise DomainError("line.no_card", id=echo(directory_id))
            row.retired_at = self._settings.clock()
            self._audit.append(
                s, admin.keys, admin.name, "directory_line_retired", "directory", directory_id,
                {"card": row.id, "code": row.code, "fingerprint": row.fingerprint},
            )  # fmt: skip
            partner = partner_of(row)
        self._routing.forget_directory()
        return partner

    def partner(self, directory_id: str) -> PartnerCard | None:
        """The entry's card: the active one, else the last retired one (``retired``), else
        None (a slip body)."""
        with self._db.read() as s:
            rows = s.scalars(
                select(LineCardRow)
                .where(LineCardRow.directory_id == directory_id)
                .order_by(LineCardRow.retired_at.is_(None).desc(), LineCardRow.added_at.desc())
            ).all()
            return partner_of(rows[0]) if rows else None

    def partner_by_sign_key(self, sign_public: bytes) -> PartnerCard | None:
        """Whose card carries this signing key (a package's sender): the active card, else a
        retired one (``retired``: refuse), else None (unknown sender)."""
        with self._db.read() as s:
            rows = s.scalars(
                select(LineCardRow)
                .where(LineCardRow.sign_public == sign_public)
                .order_by(LineCardRow.retired_at.is_(None).desc(), LineCardRow.added_at.desc())
            ).all()
            return partner_of(rows[0]) if rows else None

    def cards(self, include_retired: bool = True) -> list[PartnerCard]:
        stmt = select(LineCardRow).order_by(LineCardRow.directory_id, LineCardRow.added_at)
        if not include_retired:
            stmt = stmt.where(LineCardRow.retired_at.is_(None))
        with self._db.read() as s:
            return [partner_of(r) for r in s.scalars(stmt)]


def _active(s: Session, where: object) -> LineCardRow | None:
    return s.scalars(
        select(LineCardRow).where(where, LineCardRow.retired_at.is_(None))  # type: ignore[arg-type]
    ).first()
