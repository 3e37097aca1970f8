"""A directory entry as it was when a referral was sent to it, kept for good (issue 10).

Referrals point at a directory row. Before a row's content changes, the referrals already
sent to it are moved to a copy of the row as it was (inactive, ``current_id`` = the live
entry), so the desk a referral was sent to never changes under it. Referrals not yet sent
follow the live entry: they will be sent to whatever it says then.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from caseintake.domain.directory import DirectoryEntry
from caseintake.services.core.views import join_codes
from caseintake.store.models import DirectoryEntryRow, Referral
from caseintake.store.records import touch


def same_content(row: DirectoryEntryRow, entry: DirectoryEntry) -> bool:
    return (
        row.body,
        row.name,
        row.province_code,
        row.ward_code,
        row.phones,
        row.email,
        row.hours or "",
        row.source or "",
    ) == (
        entry.body,
        entry.name,
        entry.province_code,
        entry.ward_code,
        join_codes(list(entry.phones)),
        entry.email,
        entry.hours,
        entry.source,
    )


def keep_sent_version(s: Session, row: DirectoryEntryRow, now: datetime) -> str | None:
    """Before ``row`` changes: copy it for the referrals already sent to it and point them at
    the copy. Returns the copy's id, or None when no sent referral needed one."""
    sent = (Referral.directory_entry_id == row.id) & Referral.sent_at.is_not(None)
    if s.execute(select(Referral.id).where(sent).limit(1)).first() is None:
        return None
    old_id = str(uuid.uuid4())
    s.add(
        DirectoryEntryRow(
            id=old_id,
            body=row.body,
            name=row.name,
            province_code=row.province_code,
            ward_code=row.ward_code,
            phones=row.phones,
            email=row.email,
            hours=row.hours,
            source=row.source,
            active=False,
            version=row.version,
            current_id=row.id,
            retired_at=now,
        )
    )
    s.flush()
    moved = s.execute(select(Referral.id).where(sent)).scalars()
    touch(s.connection(), "referrals", list(moved))  # bound by the entry's event (issue 20)
    s.execute(update(Referral).where(sent).values(directory_entry_id=old_id))
    return old_id


def write_entry(s: Session, row: DirectoryEntryRow, entry: DirectoryEntry, now: datetime) -> bool:
    """Put ``entry``'s content in the live ``row`` (a new version when it differs, the sent
    version kept first); the entry becomes active. Returns whether the content changed."""
    changed = not same_content(row, entry)
    if changed and row.body is not None:  # an existing entry (a new row has no body yet)
        with s.no_autoflush:
            keep_sent_version(s, row, now)
        row.version = (row.version or 1) + 1
    row.body, row.name = entry.body, entry.name
    row.province_code, row.ward_code = entry.province_code, entry.ward_code
    row.phones, row.email = join_codes(list(entry.phones)), entry.email
    row.hours, row.source = entry.hours, entry.source
    row.active, row.retired_at = True, None
    return changed
