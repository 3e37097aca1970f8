"""Contacts: every call, message or visit, data or not (DESIGN §3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    line: Mapped[str] = mapped_column(String(16))
    contact_type: Mapped[str] = mapped_column(String(24))
    operator_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    counselling_topics: Mapped[str] = mapped_column(String(400), default="")
    caller_relationship: Mapped[str | None] = mapped_column(String(24), nullable=True)
    caller_name: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    caller_phone: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    caller_phone_index: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # For statistics: the caller's own age group and sex (counselling is mostly children).
    caller_age_group: Mapped[str | None] = mapped_column(String(8), nullable=True)
    caller_sex: Mapped[str | None] = mapped_column(String(16), nullable=True)
    narrative: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # this call's words
    notes: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # the operator's notes
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # Date first, type in the index: statistics count a period by type from the index alone.
        Index("ix_contacts_received_type", "received_at", "contact_type"),
        Index("ix_contacts_operator_received", "operator_id", "received_at"),
        Index("ix_contacts_phone_index", "caller_phone_index", "received_at"),
        Index("ix_contacts_case_id", "case_id"),
        Index("ix_contacts_type_received", "contact_type", "received_at"),
    )
