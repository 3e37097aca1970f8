"""Referrals: one body asked to act on a case, with the legal deadline and its basis."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime

_OPEN = "status IN ('pending', 'sent', 'acknowledged', 'in_progress')"
_UNMET = "status IN ('pending', 'sent')"  # the body has not answered yet


class Referral(Base):
    __tablename__ = "referrals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    body: Mapped[str] = mapped_column(String(40))
    directory_entry_id: Mapped[str | None] = mapped_column(
        ForeignKey("directory_entries.id"), nullable=True
    )
    province_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ward_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    due_spec: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    rule_ids: Mapped[str] = mapped_column(String(400))
    basis: Mapped[str] = mapped_column(Text)
    added_by_operator: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    in_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reason: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    outcome_note: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (
        Index("ix_referrals_status_due", "status", "due_at"),
        Index("ix_referrals_body_status", "body", "status"),
        # Issue 11: the supervisor queue, open referrals by deadline.
        Index(
            "ix_referrals_open_due",
            "due_at",
            sqlite_where=text(_OPEN),
            postgresql_where=text(_OPEN),
        ),
        # Issue 23: the queue's overdue and due-soon bands walk the unmet ones alone.
        Index(
            "ix_referrals_unmet_due",
            "due_at",
            sqlite_where=text(_UNMET),
            postgresql_where=text(_UNMET),
        ),
    )


class ReferralUpdate(Base):
    """One step the receiving body reported: who recorded it, how they were reached, and whom."""

    __tablename__ = "referral_updates"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    via: Mapped[str | None] = mapped_column(String(16), nullable=True)  # phone, letter, dispatch...
    contacted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # "whom, how"
    note: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (Index("ix_referral_updates_referral", "referral_id", "at"),)
