"""The supervisor's decisions: escalations confirmed or dismissed, and case approvals.

An escalation that is only *proposed* is never stored: it is computed from the referrals each
time the queue is read (issue 8, item 3). A row here records what the supervisor decided.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class EscalationRow(Base):
    """One decision on the escalation of an overdue, unacknowledged referral (one per referral)."""

    __tablename__ = "escalations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), unique=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(40))
    province_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    basis: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))  # confirmed | dismissed
    decided_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    new_referral_id: Mapped[str | None] = mapped_column(ForeignKey("referrals.id"), nullable=True)


class CaseApproval(Base):
    """A supervisor's approval of a step of a case: the support plan or the closure."""

    __tablename__ = "case_approvals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    step: Mapped[str] = mapped_column(String(24))  # support_plan | closure
    approved_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_case_approvals_case", "case_id", "approved_at"),)
