"""The audit trail: append-only (triggers refuse UPDATE and DELETE), MAC-chained."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base


class AuditEvent(Base):
    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    # Integer microseconds since the epoch (UTC): the exact value the MAC covers.
    at_us: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[bytes] = mapped_column(LargeBinary)
    mac: Mapped[bytes] = mapped_column(LargeBinary)
    # Who appended it, and at the last event of each append their Ed25519 signature over
    # ``mac`` (issue 10 item 2); NULL for events written before migration 0007.
    signer: Mapped[str | None] = mapped_column(String(36), nullable=True)
    sig: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # The states of the rows this event wrote (issue 20, ``crypto.record_states``), in its MAC.
    states: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)


class PendingAuthEvent(Base):
    """A failed login or lockout seen before anyone held the key; every field (what, who, when)
    is sealed to the database's public key, and the next authenticated session moves it into
    the chain (issue 10 item 5). Anyone with the file can add one: it proves nothing alone."""

    __tablename__ = "pending_auth_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
