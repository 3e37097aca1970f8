"""The directory of bodies and their contacts per area (DESIGN §3)."""

from __future__ import annotations

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base


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

    __table_args__ = (Index("ix_directory_body_area", "body", "province_code", "ward_code"),)
