"""Retention and erasure (issue 10, migration 0006): how long a closed case's content is kept,
and which cases had their content destroyed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class RetentionPolicy(Base):
    __tablename__ = "retention_policy"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    days_after_closure: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class CaseErasure(Base):
    __tablename__ = "case_erasures"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime())
    erased_by: Mapped[str] = mapped_column(String(100))
    fields: Mapped[int] = mapped_column(Integer)
    # NULL while the file may still hold the destroyed ciphertexts (a reader kept the old
    # pages): completed at the next checkpoint or start, or ``case erase`` again (0014).
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
