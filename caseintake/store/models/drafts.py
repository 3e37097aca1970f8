"""Encrypted drafts of the intake form, saved as the operator types (issue: never lose a word)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class Draft(Base):
    __tablename__ = "drafts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[bytes] = mapped_column(LargeBinary)
