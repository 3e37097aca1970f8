"""Contacts: every call, message or visit, data or not (DESIGN §3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String
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
    # What a call without a case tells (migration 0009); a linked call keeps these on the case.
    setting: Mapped[str | None] = mapped_column(String(24), nullable=True)
    province_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ward_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    concerns: Mapped[str] = mapped_column(String(400), default="", server_default="")
    immediate_danger: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # Date first, type in the index: statistics count a period by type from the index alone.
        Index("ix_contacts_received_type", "received_at", "contact_type"),
        Index("ix_contacts_operator_received", "operator_id", "received_at"),
        Index("ix_contacts_phone_index", "caller_phone_index", "received_at"),
        # Issue 23: a habitual caller's silent calls counted from the index alone.
        Index("ix_contacts_phone_type", "caller_phone_index", "contact_type"),
        Index("ix_contacts_case_id", "case_id"),
        Index("ix_contacts_type_received", "contact_type", "received_at"),
    )


class ContactChild(Base):
    """A child a contact without a case tells about (a counselling call): coded facts plain
    for statistics, name and address encrypted (migration 0009)."""

    __tablename__ = "contact_children"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    age_basis: Mapped[str] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(16))
    ethnicity: Mapped[str] = mapped_column(String(24))
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    special_circumstances: Mapped[str] = mapped_column(String(400), default="")
    name: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    address: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
