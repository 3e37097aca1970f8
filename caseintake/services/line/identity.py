"""This line's identity (issue 24 item 1): who the line is to its partners, and the keys it
signs and opens hand-off packages with.

The public half (code, name, fingerprint, card) is read without a login: a card is public and
``caseintake line show`` / ``line card`` take no user. The private keys are opened only for a
logged-in principal, and never handed out as bytes: ``LineIdentity`` signs and opens HPKE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.line_identity import (
    LineCard,
    LineKeys,
    check_code,
    check_name,
    make_card,
    open_hpke,
    open_sealed_keys,
)
from caseintake.domain.errors import DomainError
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.new_files import new_file
from caseintake.services.core.principal import Keys, Principal
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import LineIdentityRow, Meta

ROW_ID = "line"
_TABLE, _COLUMN = "line_identity", "private_keys"


@dataclass(frozen=True)
class LineInfo:
    code: str
    name: str
    fingerprint: str


@dataclass(frozen=True)
class LineIdentity:
    """This line with its private keys in hand: sign bytes, open what was sealed to it."""

    card: LineCard
    _keys: LineKeys = field(repr=False)

    @property
    def code(self) -> str:
        return self.card.code

    @property
    def name(self) -> str:
        return self.card.name

    @property
    def sign_public(self) -> bytes:
        return self.card.sign_public

    @property
    def hpke_public(self) -> bytes:
        return self.card.hpke_public

    def sign(self, message: bytes) -> bytes:
        """The line's Ed25519 signature of ``message``."""
        return self._keys.signing.sign(message)

    def open_hpke(self, sealed: bytes, info: bytes) -> bytes:
        """HPKE base mode (RFC 9180) open with the line's X25519 key; CryptoError
        ('line.hpke_failed') when ``sealed`` or ``info`` is not what was sealed."""
        return open_hpke(self._keys, sealed, info)


def create_identity(
    s: Session, keys: Keys, code: str, name: str, now: datetime
) -> tuple[LineCard, LineKeys]:
    """New keys for a new database (``init``), wrapped under its data key in ``s``."""
    line_keys = LineKeys.generate()
    card = make_card(check_code(code), check_name(name), line_keys)
    s.add(
        LineIdentityRow(
            id=ROW_ID,
            code=card.code,
            name=card.name,
            sign_public=card.sign_public,
            hpke_public=card.hpke_public,
            card_signature=card.signature,
            private_keys=_wrap(keys, line_keys),
            sealed_keys=None,
            created_at=now,
        )
    )
    return card, line_keys


def _wrap(keys: Keys, line_keys: LineKeys) -> bytes:
    return keys.cipher.encrypt(_TABLE, _COLUMN, ROW_ID, line_keys.to_bytes().hex())


def card_of(row: LineIdentityRow) -> LineCard:
    """The card the row describes, its self-signature checked (a row changed in the file, or
    keys swapped without the signature, is refused in one sentence)."""
    card = LineCard(
        row.code,
        row.name,
        bytes(row.sign_public),
        bytes(row.hpke_public),
        bytes(row.card_signature),
    )
    if not card.verify(card.signed_bytes(), card.signature):
        raise CryptoError("line.identity_damaged")
    return card


class LineService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def _row(self, s: Session) -> LineIdentityRow:
        row = s.get(LineIdentityRow, ROW_ID)
        if row is None:
            raise DomainError("line.none")
        return row

    def card(self) -> LineCard:
        with self._db.read() as s:
            return card_of(self._row(s))

    def show(self) -> LineInfo:
        card = self.card()
        return LineInfo(card.code, card.name, card.fingerprint)

    def write_card(self, out: Path) -> LineCard:
        """The public card to a new file (never over an existing one)."""
        card = self.card()
        with new_file(out, self._db) as target:
            target.place(card.to_bytes())
        return card

    def identity(self, principal: Principal) -> LineIdentity:
        """The line with its private keys, for a logged-in user of this database. Keys the
        migration sealed are wrapped under the data key at the first call (audited)."""
        principal.check_standing()
        keys = principal.keys
        with self._db.read() as s:
            row = self._row(s)
            card = card_of(row)
            blob = row.private_keys
        line_keys = (
            self._unwrap(keys, bytes(blob)) if blob is not None else self._wrap_sealed(principal)
        )
        if line_keys.sign_public != card.sign_public or line_keys.hpke_public != card.hpke_public:
            raise CryptoError("line.identity_damaged")
        return LineIdentity(card, line_keys)

    @staticmethod
    def _unwrap(keys: Keys, blob: bytes) -> LineKeys:
        try:
            raw = bytes.fromhex(keys.cipher.decrypt(_TABLE, _COLUMN, ROW_ID, blob))
        except ValueError:
            raise CryptoError("line.keys_damaged") from None
        return LineKeys.from_bytes(raw)

    def _wrap_sealed(self, principal: Principal) -> LineKeys:
        keys = principal.keys
        with self._db.write() as s:
            row = self._row(s)
            if row.private_keys is not None:  # another session wrapped them meanwhile
                return self._unwrap(keys, bytes(row.private_keys))
            if row.sealed_keys is None:
                raise CryptoError("line.keys_damaged")
            db_id = s.execute(select(Meta.db_id)).scalar_one()
            line_keys = open_sealed_keys(keys.data_key.sealing_key, bytes(row.sealed_keys), db_id)
            row.private_keys = _wrap(keys, line_keys)
            row.sealed_keys = None
            self._audit.append(
                s, keys, principal.name, "line_keys_wrapped", "database", "-",
                {"code": row.code},
            )  # fmt: skip
        return line_keys
