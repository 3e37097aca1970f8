"""New files for copies of the database (backups, restores): created private, never through a
link, beside where they end up, and linked into place only where nothing appeared meanwhile."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from caseintake.domain.errors import DomainError

Progress = Callable[[float], None]  # a share done, 0.0 to 1.0
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC


def new_output(out: Path) -> Path:
    """The folder of a path that must not exist yet in any form; one sentence otherwise."""
    if os.path.lexists(out):
        kind = os.lstat(out).st_mode
        key = "admin.backup.out_exists" if stat.S_ISREG(kind) else "admin.backup.out_not_regular"
        raise DomainError(key, path=str(out))
    if not out.parent.is_dir():
        raise DomainError("admin.backup.out_no_folder", path=str(out))
    return out.parent


def private_temp(folder: Path, name: str) -> Path:
    """An empty file created 0600, never through a link, beside where it will end up."""
    tmp = folder / f".{name}.{secrets.token_hex(8)}.part"
    os.close(os.open(tmp, _FLAGS, 0o600))
    return tmp


def publish(tmp: Path, out: Path) -> None:
    """Give ``tmp`` its final name without replacing anything that appeared there."""
    fsync_file(tmp)
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise DomainError("admin.backup.out_exists", path=str(out)) from None
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(out.parent)


def read_only_uri(path: Path) -> str:
    """Open a file SQLite must not write to, nor look for a WAL of: a copy being checked."""
    return f"{Path(os.path.abspath(path)).as_uri()}?immutable=1"


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
