"""The data key ring, key rotations and per-case audit keys (migration 0008)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class DataKeyRow(Base):
    """An older data key version, wrapped under the newest (a field blob of this column)."""

    __tablename__ = "data_keys"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class KeyRotation(Base):
    """One rotation; the cursor lets a killed rotation resume where its last batch ended."""

    __tablename__ = "key_rotations"
    to_version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    from_version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_by: Mapped[str] = mapped_column(String(64))
    cursor_table: Mapped[str | None] = mapped_column(String(64), nullable=True)
    cursor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    fields: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CaseKeyRow(Base):
    """The key of one case's audit details ("-": events about no case), wrapped under the
    current data key version; erasing the case deletes it."""

    __tablename__ = "case_keys"
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
