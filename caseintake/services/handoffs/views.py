"""What a hand-off looks like to its readers: the list's rows, what a command wrote, and the
local cases an incoming one may belong to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path


@dataclass(frozen=True)
class HandoffView:
    id: str
    case_number: str | None  # this line's case (an incoming one has none until accepted)
    direction: str  # "out" or "in"
    partner: str  # the other line's code
    status: str  # sent, received, accepted, rejected, in_progress, done
    partner_case_number: str | None
    basis: str
    package_id: str
    due_at: datetime | None
    recorded_at: datetime
    updated_at: datetime
    # Its acceptance deadline (domain.handoff.deadlines): out, the partner's signed acceptance
    # is due then and ``overdue`` is "overdue at partner"; in, this line's answer is due then.
    accept_by: datetime | None = None
    overdue: bool = False
    accepted_at: datetime | None = None  # out: the acceptance receipt's signed time
    late_by: timedelta | None = None  # out: how late that acceptance was signed


@dataclass(frozen=True)
class SentFile:
    """A package or receipt written: the hand-off it belongs to and the file."""

    handoff_id: str
    file_id: str  # the package's or the receipt's own id
    path: Path
    status: str
    case_number: str | None = None  # the local case an acceptance opened or added to
    merged: bool = False  # added to an existing case (``accept --into``) rather than opened
    candidates: tuple[str, ...] = ()  # the local cases that matched, as the acceptance found them
    data: bytes | None = None  # a download's bytes, for the browser (nothing written here)


@dataclass(frozen=True)
class CaseMatch:
    """One of this line's cases an incoming package's child may already be: found by the
    child's personal identification number or the caller's phone (their blind indexes)."""

    case_number: str
    opened_at: datetime
    status: str
    matched_by: tuple[str, ...]  # "personal_id", "phone"

    def to_json(self) -> dict[str, object]:
        return {
            "case_number": self.case_number,
            "opened_at": self.opened_at.isoformat(),
            "status": self.status,
            "matched_by": list(self.matched_by),
        }
