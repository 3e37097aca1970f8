"""The directory of bodies and their contacts per area (DESIGN §3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class DirectoryEntryRow(Base):
    __tablename__ = "directory_entries"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    body: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    province_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ward_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phones: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    hours: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Issue 10 (migration 0006): an old version kept for the referrals sent to it points at
    # its live entry with ``current_id``; a retired entry keeps its row for its referrals.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    current_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_directory_body_area", "body", "province_code", "ward_code"),
        Index("ix_directory_current", "current_id"),
    )
