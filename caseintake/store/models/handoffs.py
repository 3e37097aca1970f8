"""Hand-offs between lines (issue 24): each package sent or received, and each receipt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class HandoffRow(Base):
    """One package: ``out`` (this line sent it for one of its referrals) or ``in`` (received;
    a local case once accepted). ``package_id`` is unique: a package is taken once."""

    __tablename__ = "handoffs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    package_id: Mapped[str] = mapped_column(String(36), unique=True)
    direction: Mapped[str] = mapped_column(String(3))
    partner_line: Mapped[str] = mapped_column(String(8))
    partner_fingerprint: Mapped[str] = mapped_column(String(40))
    partner_entry_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referrals.id"), nullable=True)
    partner_case_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    basis: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the package's own time
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())  # sent or received here
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The body as sent or opened, encrypted; None once its case is erased (retention).
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    file_sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_handoffs_direction_status", "direction", "status"),)


class HandoffReceiptRow(Base):
    """One receipt, by its own id (taken once): sent (``out``) or received (``in``)."""

    __tablename__ = "handoff_receipts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    authored_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    words: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # reason or outcome
    file_sha256: Mapped[str] = mapped_column(String(64))
