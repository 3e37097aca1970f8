"""The one way a file leaves the building (issue 21 item 1): slips, statistics, backups,
checkpoints. A new file only, never over anything that is already there.

Refused before any work, each in one sentence: a path that exists in any form (a file, a link,
a dangling link, a FIFO, a device, a folder), a folder that does not exist, and the live
database and its ``-wal``, ``-shm`` and ``-journal`` files even while they do not exist. The
bytes go to a private temporary file beside the target, created with O_CREAT|O_EXCL|O_NOFOLLOW
mode 0600 and synced, then hard-linked to the target: ``link`` never follows a link and fails
if anything appeared there meanwhile, so nothing is ever replaced. Nothing is opened for
reading or writing at the target itself, so a FIFO cannot hang the command.

The caller's transaction (the audit event) sits inside ``NewFile``'s block: the file is placed
before the commit, and withdrawn again when the audit or the commit fails, so an event is
written only for a file that exists, and a file exists only with its event.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from caseintake.domain.errors import DomainError
from caseintake.services.core.private_files import fsync_dir, fsync_file, private_temp
from caseintake.store.db import Database, sqlite_file

DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def database_files(database: Path | None) -> tuple[Path, ...]:
    """The live SQLite database and the files SQLite keeps beside it (none for PostgreSQL)."""
    if database is None:
        return ()
    real = Path(os.path.realpath(database))
    return tuple(Path(f"{real}{suffix}") for suffix in DATABASE_SUFFIXES)


def new_file(out: Path, db: Database) -> NewFile:
    """A new file at ``out`` that can be none of ``db``'s own files."""
    return NewFile(out, database_files(sqlite_file(db.url)))


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "file"


def check_new_path(out: Path, protected: Iterable[Path] = ()) -> Path:
    """The folder of ``out`` when ``out`` may become a new file; one sentence otherwise."""
    try:
        info = os.lstat(out)
    except FileNotFoundError:
        pass
    except OSError:
        raise DomainError("exports.unwritable", path=str(out)) from None
    else:
        raise DomainError(f"exports.exists_{_kind(info.st_mode)}", path=str(out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise DomainError("exports.no_folder", path=str(out))
    where = Path(os.path.realpath(folder)) / out.name
    if any(where == p for p in protected):
        raise DomainError("exports.live_database", path=str(out))
    return folder


class NewFile:
    """A file about to be created at ``out``: checked at once, placed by ``place`` or
    ``publish``; inside ``with``, withdrawn if the block fails after it was placed."""

    def __init__(self, out: Path, protected: Iterable[Path] = ()) -> None:
        self.out = out
        self.folder = check_new_path(out, tuple(protected))
        self._staged: Path | None = None
        self._placed: tuple[int, ...] | None = None

    def staging(self) -> Path:
        """An empty private file beside the target, for writers that need a path (SQLite)."""
        if self._staged is None:
            try:
                self._staged = private_temp(self.folder, self.out.name)
            except OSError as err:
                raise self._unwritable(err) from None
        return self._staged

    def place(self, data: bytes) -> None:
        """Write ``data`` and give it its name; a failure leaves no file behind."""
        tmp = self.staging()
        try:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
            )
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except OSError as err:
            self.discard()
            raise self._unwritable(err) from None
        self.publish()

    def publish(self) -> None:
        """Link the staged file to the target, which must still not exist in any form."""
        tmp = self.staging()
        try:
            fsync_file(tmp)
            os.link(tmp, self.out, follow_symlinks=False)
        except FileExistsError:
            raise DomainError("exports.appeared", path=str(self.out)) from None
        except OSError as err:
            raise self._unwritable(err) from None
        finally:
            self.discard()
        self._placed = _identity(self.out)
        fsync_dir(self.folder)

    def withdraw(self) -> None:
        """Remove what ``publish`` placed, if the name still holds that very file (same inode,
        size and change time: a freed inode number reused by another file does not match)."""
        if self._placed is None:
            return
        try:
            if _identity(self.out) == self._placed:
                self.out.unlink()
        except OSError:
            pass
        self._placed = None

    def discard(self) -> None:
        if self._staged is not None:
            self._staged.unlink(missing_ok=True)
            self._staged = None

    def __enter__(self) -> NewFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.discard()
        if error is not None:
            self.withdraw()

    def _unwritable(self, err: OSError) -> DomainError:
        key = "exports.disk_full" if err.errno == errno.ENOSPC else "exports.unwritable"
        return DomainError(key, path=str(self.out))


def _identity(path: Path) -> tuple[int, ...]:
    info = os.lstat(path)
    return (info.st_dev, info.st_ino, info.st_size, info.st_ctime_ns, info.st_mtime_ns)
