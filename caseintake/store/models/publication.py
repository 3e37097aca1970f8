"""The publication ledger (issue 21, migration 0011): every statistics table that left the
building, with the period, the threshold and each cell as published, and the threshold floor
an admin sets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseintake.store.models.base import Base
from caseintake.store.types import UTCDateTime


class StatisticsRelease(Base):
    """One table of one export: ``cells`` is JSON ``[[code, ..., value or null], ...]``."""

    __tablename__ = "statistics_releases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    export_id: Mapped[str] = mapped_column(String(36), index=True)
    indicator: Mapped[str] = mapped_column(String(64), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    threshold: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime())
    released_by: Mapped[str] = mapped_column(String(100))
    destination: Mapped[str] = mapped_column(String(20))  # file, download, stdout
    cells: Mapped[str] = mapped_column(Text)


class StatisticsFloor(Base):
    """The lowest threshold any export may use (one row, id 1); absent: the default 10."""

    __tablename__ = "statistics_floor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    floor: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(100))
