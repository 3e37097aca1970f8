"""Cases and what hangs off them: children, alleged perpetrators, concerns, notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    line: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    protection_level: Mapped[str] = mapped_column(String(16))
    setting: Mapped[str | None] = mapped_column(String(24), nullable=True)
    province_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ward_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    immediate_danger: Mapped[bool] = mapped_column(Boolean, default=False)
    narrative: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    assigned_to: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_cases_status_opened", "status", "opened_at"),
        Index("ix_cases_assigned_status", "assigned_to", "status"),
        Index("ix_cases_place", "province_code", "ward_code"),
        # Issue 11: the home's open cases, and the case list's (opened_at, id) keyset.
        Index(
            "ix_cases_open_assigned",
            "assigned_to",
            "opened_at",
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
        Index("ix_cases_opened_id", "opened_at", "id"),
    )


class CaseConcern(Base):
    """One coded concern of a case, a row each so statistics and filters run in SQL."""

    __tablename__ = "case_concerns"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    concern: Mapped[str] = mapped_column(String(48), primary_key=True)

    __table_args__ = (Index("ix_case_concerns_concern", "concern"),)


class Child(Base):
    __tablename__ = "children"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    age_basis: Mapped[str] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(16))
    ethnicity: Mapped[str] = mapped_column(String(24))
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    special_circumstances: Mapped[str] = mapped_column(String(400), default="")
    name: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    address: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class Perpetrator(Base):
    __tablename__ = "perpetrators"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    relationship: Mapped[str] = mapped_column(String(24))
    name: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class CaseNote(Base):
    __tablename__ = "case_notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    body: Mapped[bytes] = mapped_column(LargeBinary)


class CaseCounter(Base):
    """The last human case number given per line and year: 111-2026-000123."""

    __tablename__ = "case_counters"
    line: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
