"""What a hand-off looks like to its readers: the list's rows and what a command wrote."""

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
    case_number: str | None = None  # the local case an acceptance opened
