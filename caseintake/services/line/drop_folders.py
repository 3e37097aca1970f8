"""A drop folder per partner line (issue 24, transport): the shared or synced folder an admin
configures for a directory entry that holds an active line card. Hand-offs to that partner are
written into it and the packages and receipts addressed to this line are read from it
(``services/handoffs/drop_folders.py``; the layout is in ``docs/handoff-format.md`` §13).

Refused in one sentence, nothing stored: an entry without an active card, a path that is not an
existing folder this process can read and write, and a folder inside the database's own folder
or the state folder (the drop folder's files are moved and written by the app itself). Setting
and clearing are audited, and the row is bound to the trail like the directory's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.domain.intake.field_checks import echo
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database, sqlite_file
from caseintake.store.models import DropFolderRow, LineCardRow

MAX_PATH = 1024
MAX_SHOWN = 200


@dataclass(frozen=True)
class DropFolder:
    directory_id: str
    path: Path
    set_at: datetime
    set_by: str


def _shown(text: str) -> str:
    """A typed path as a sentence may show it: printable, and not too long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text[: MAX_SHOWN + 1])
    return clean if len(clean) <= MAX_SHOWN else clean[: MAX_SHOWN - 1] + "…"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class DropFolderService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def checked_path(self, text: str) -> Path:
        """The folder ``text`` names, made absolute with its links resolved; one sentence
        when it cannot be a drop folder."""
        raw = text.strip()
        if not raw or len(raw) > MAX_PATH or "\x00" in raw:
            raise DomainError("handoff_folders.not_folder", path=_shown(raw))
        path = Path(os.path.realpath(Path(raw).expanduser()))
        if not path.is_dir():
            raise DomainError("handoff_folders.not_folder", path=_shown(raw))
        if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
            raise DomainError("handoff_folders.not_writable", path=_shown(raw))
        own = [Path(os.path.realpath(self._settings.state_dir))]
        database = sqlite_file(self._db.url)
        if database is not None:
            own.append(Path(os.path.realpath(database)).parent)
        if any(_inside(path, folder) for folder in own):
            raise DomainError("handoff_folders.own_folder", path=_shown(raw))
        return path

    def set_folder(self, admin: Principal, directory_id: str, text: str) -> Path:
        """Configure (or change) the entry's drop folder; returns the folder as kept."""
        admin.require("admin")
        path = self.checked_path(text)
        now = self._settings.clock()
        with self._db.write() as s:
            self._partner_code(s, directory_id)
            row = s.get(DropFolderRow, directory_id)
            before = row.path if row is not None else None
            if row is None:
                row = DropFolderRow(directory_id=directory_id, path=str(path), set_at=now,
                                    set_by=admin.name)  # fmt: skip
                s.add(row)
            else:
                row.path, row.set_at, row.set_by = str(path), now, admin.name
            s.flush()
            self._audit.append(
                s, admin.keys, admin.name, "directory_folder_set", "directory", directory_id,
                {"path": str(path), "before": before},
            )  # fmt: skip
        return path

    def clear(self, admin: Principal, directory_id: str) -> None:
        admin.require("admin")
        with self._db.write() as s:
            row = s.get(DropFolderRow, directory_id)
            if row is None:
                raise DomainError("handoff_folders.none_set", id=echo(directory_id))
            before = row.path
            s.delete(row)
            s.flush()
            self._audit.append(
                s, admin.keys, admin.name, "directory_folder_cleared", "directory",
                directory_id, {"before": before},
            )  # fmt: skip

    def folder(self, directory_id: str) -> Path | None:
        with self._db.read() as s:
            row = s.get(DropFolderRow, directory_id)
            return Path(row.path) if row is not None else None

    def folders(self) -> list[DropFolder]:
        with self._db.read() as s:
            rows = s.scalars(select(DropFolderRow).order_by(DropFolderRow.directory_id))
            return [DropFolder(r.directory_id, Path(r.path), r.set_at, r.set_by) for r in rows]

    @staticmethod
    def _partner_code(s: Session, directory_id: str) -> str:
        code = s.execute(
            select(LineCardRow.code).where(
                LineCardRow.directory_id == directory_id, LineCardRow.retired_at.is_(None)
            )
        ).scalar()
        if code is None:
            raise DomainError("handoff_folders.no_card", id=echo(directory_id))
        return str(code)
