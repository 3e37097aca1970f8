"""Where a hand-off file goes when no ``--out`` is given: the partner's drop folder (issue 24,
transport), under a name that says who it is from, to whom, and which file it is, so two lines
can share one synced folder and each read only what is addressed to it (``docs/handoff-format.md``
§13). The file itself is placed the one way (``services/core/new_files.py``): written under a
hidden temporary name, synced, then linked to its name, so the other side never reads half."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.header import HandoffRefused
from caseintake.domain.intake.field_checks import echo
from caseintake.store.db import Database
from caseintake.store.models import DropFolderRow, HandoffRow, LineCardRow

SUFFIX = {"package": ".cih", "receipt": ".cir"}
KIND_OF = {suffix: kind for kind, suffix in SUFFIX.items()}
DONE, REFUSED = "done", "refused"
# FROM-to-TO-ID.cih|cir: codes of 2-8 capitals or digits, the file's id a lower-case UUID.
NAME = re.compile(
    r"^(?P<sender>[A-Z0-9]{2,8})-to-(?P<recipient>[A-Z0-9]{2,8})-"
    r"(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?P<suffix>\.ci[hr])$"
)


@dataclass(frozen=True)
class DropName:
    sender: str
    recipient: str
    file_id: str
    kind: str  # "package" or "receipt"


def file_name(kind: str, sender: str, recipient: str, file_id: str) -> str:
    return f"{sender}-to-{recipient}-{file_id}{SUFFIX[kind]}"


def parse_name(name: str) -> DropName | None:
    """What a file's name says of it; None for any other file (a temporary one included)."""
    found = NAME.match(name)
    if found is None:
        return None
    return DropName(found["sender"], found["recipient"], found["id"], KIND_OF[found["suffix"]])


@dataclass(frozen=True)
class DropTarget:
    path: Path
    file_id: str  # the header's id, drawn before the file is made


def _folder(s: Session, directory_id: str | None) -> Path | None:
    if directory_id is None:
        return None
    row = s.get(DropFolderRow, directory_id)
    return Path(row.path) if row is not None else None


def package_target(db: Database, me: str, directory_id: str) -> DropTarget:
    """A new package's file in the entry's drop folder; one sentence when it has none."""
    with db.read() as s:
        folder = _folder(s, directory_id)
        code = s.execute(
            select(LineCardRow.code).where(
                LineCardRow.directory_id == directory_id, LineCardRow.retired_at.is_(None)
            )
        ).scalar()
    if folder is None or code is None:
        raise DomainError("handoff_folders.no_target", id=echo(directory_id))
    file_id = str(uuid.uuid4())
    return DropTarget(folder / file_name("package", me, code, file_id), file_id)


def receipt_folder(db: Database, handoff_id: str) -> Path | None:
    """The drop folder a receipt for this incoming hand-off would go to, if any."""
    with db.read() as s:
        row = s.get(HandoffRow, handoff_id)
        return _folder(s, row.partner_entry_id) if row is not None else None


def receipt_target(db: Database, me: str, handoff_id: str) -> DropTarget:
    """A new receipt's file in the drop folder of the line that sent the package."""
    with db.read() as s:
        row = s.get(HandoffRow, handoff_id)
        if row is None or row.direction != "in":
            raise HandoffRefused("handoff.error.not_found", id=handoff_id)
        folder = _folder(s, row.partner_entry_id)
        partner = row.partner_line
    if folder is None:
        raise DomainError("handoff_folders.no_target", id=echo(row.partner_entry_id or partner))
    file_id = str(uuid.uuid4())
    return DropTarget(folder / file_name("receipt", me, partner, file_id), file_id)


def configured_folders(db: Database) -> list[Path]:
    """Every configured drop folder once (two partners may share one)."""
    with db.read() as s:
        paths = s.execute(select(DropFolderRow.path).order_by(DropFolderRow.path)).scalars()
        return [Path(p) for p in dict.fromkeys(paths)]
