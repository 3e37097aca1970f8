"""This line's identity, the cards of partner lines, and children's personal identification
numbers (issue 24, migration 0018); partner lines' drop folders (migration 0021)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class LineIdentityRow(Base):
    """One row (id "line"): code, name, public keys, the card's self-signature, and the two
    private keys wrapped as a field under the data key (``private_keys``, re-encrypted by a key
    rotation) or, for a database the migration gave its keys before anyone logged in, sealed
    to the database's sealing key (``sealed_keys``) until the first login wraps them."""

    __tablename__ = "line_identity"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    hpke_public: Mapped[bytes] = mapped_column(LargeBinary)
    card_signature: Mapped[bytes] = mapped_column(LargeBinary)
    private_keys: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sealed_keys: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LineCardRow(Base):
    """A partner line's card, pinned to a directory entry once its fingerprint matched."""

    __tablename__ = "line_cards"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    directory_id: Mapped[str] = mapped_column(String(80), index=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    sign_public: Mapped[bytes] = mapped_column(LargeBinary, index=True)
    hpke_public: Mapped[bytes] = mapped_column(LargeBinary)
    card: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(40))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ChildPin(Base):
    """A child's personal identification number (mã định danh cá nhân), encrypted, with its
    blind index for matching; one row per child of a case (``children``) or of a contact
    without one (``contact_children``), keyed by the child's id."""

    __tablename__ = "child_pins"
    child_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pin: Mapped[bytes] = mapped_column(LargeBinary)
    pin_index: Mapped[str] = mapped_column(String(64), index=True)


class DropFolderRow(Base):
    """The drop folder an admin configured for a partner line's directory entry: hand-offs to
    that partner are written into it, packages and receipts addressed to this line read from
    it (``services/handoffs/drop_folders.py``)."""

    __tablename__ = "drop_folders"
    directory_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())
    set_by: Mapped[str] = mapped_column(String(64))
