"""The audit trail: append-only (triggers refuse UPDATE and DELETE), MAC-chained."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


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

    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)


class PendingAuthEvent(Base):
    """A failed login or lockout seen before anyone held the key; sealed to the database's
    public key and moved into the chain by the next authenticated session."""

    __tablename__ = "pending_auth_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(48))
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
