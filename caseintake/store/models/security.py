"""The database's identity, its users and their key slots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class Meta(Base):
    """One row: who this database is and which public keys belong to it."""

    __tablename__ = "meta"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    db_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_version: Mapped[int] = mapped_column(Integer)
    sealing_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    line: Mapped[str] = mapped_column(String(16), default="111")
    # The first admin's and the recovery key's public keys (JSON); pinned outside too.
    trust_anchor: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The first audit seq that must carry a per-user signature (migration 0007).
    audit_signed_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The first seq from which every record is bound to the trail (migration 0010).
    records_bound_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The first seq from which no event's time is before the one preceding it (0015).
    times_ordered_from: Mapped[int | None] = mapped_column(Integer, nullable=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    language: Mapped[str] = mapped_column(String(8), default="vi")
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # An admin's signature over id, name, role, disabled, slot and public key (issue 10 #3).
    certificate: Mapped[str | None] = mapped_column(String(400), nullable=True)


class KeySlotRow(Base):
    """The data key wrapped for one user, or for the recovery key (user_id NULL)."""

    __tablename__ = "key_slots"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), unique=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    kdf: Mapped[str | None] = mapped_column(Text, nullable=True)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    key_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The holder's Ed25519 private key, wrapped under the same password-derived key.
    signing_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # X25519 public key derived from the slot's key-encryption key: a key rotation seals the
    # new data key to it, signed by the rotating admin ("recovery" or a user id) (0008).
    grant_public: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sealed_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    seal_sig: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class SecuritySettings(Base):
    """One row, set at init and changed only by an admin (audited): lockout and the key
    derivation cost of new slots. Never read from the caller's environment (issue 10 item 6)."""

    __tablename__ = "security_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lockout_failures: Mapped[int] = mapped_column(Integer)
    lockout_window_s: Mapped[int] = mapped_column(Integer)
    lockout_duration_s: Mapped[int] = mapped_column(Integer)
    kdf_memory_kib: Mapped[int] = mapped_column(Integer)
    kdf_iterations: Mapped[int] = mapped_column(Integer)
    kdf_lanes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A writing process signs a checkpoint at least this often (issue 20 item 4, 0014).
    checkpoint_every_events: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checkpoint_every_s: Mapped[int | None] = mapped_column(Integer, nullable=True)


class LoginThrottle(Base):
    """Failed logins per typed name, known or not, so an unknown name is refused and locked
    exactly as a real one is. The name is stored as a salted digest, never as typed."""

    __tablename__ = "login_throttle"
    name_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
