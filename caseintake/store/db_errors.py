"""The database's own failures that a user can act on, as one sentence each (DESIGN §5)."""

from __future__ import annotations

from caseintake.domain.errors import DomainError


def plain_error(message: str) -> DomainError | None:
    """A full disk or a lock held too long, from the driver's message; None for anything else
    (a bug, which keeps its traceback)."""
    text = message.lower()
    if "full" in text or "no space" in text:
        return DomainError("db.disk_full")
    if "locked" in text or "busy" in text:
        return DomainError("db.busy")
    return None
