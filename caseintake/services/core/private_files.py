"""Files the app writes outside the database: private (0600 in 0700 folders), never through a
link, never over a device, FIFO or folder (issue 10 items 7 and 10).

The state folder's own files (checkpoints, the trust anchor) are written whole to a new
temporary name opened with O_CREAT|O_EXCL|O_NOFOLLOW beside the target, synced, then renamed
over it: a symlink or FIFO planted at the temporary name makes the open fail, and a rename
replaces a directory entry, never what a link points to. Files that leave the building
(exports, slips, backups) are never written over anything: ``new_files``.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from caseintake.domain.errors import DomainError

FILE_MODE = 0o600
DIR_MODE = 0o700
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC


def private_dir(path: Path) -> Path:
    """Create the folder and each missing parent 0700; an existing folder is left as it is."""
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
    return path


def private_temp(folder: Path, name: str) -> Path:
    """An empty file created 0600, never through a link, beside where it will end up."""
    tmp = folder / f".{name}.{secrets.token_hex(8)}.part"
    os.close(os.open(tmp, _FLAGS, FILE_MODE))
    return tmp


def write_private(path: Path, text: str) -> None:
    """Write a state file durably with mode 0600 (replacing an older one), or raise and leave
    ``path`` as it was."""
    _check_state_path(path)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, _FLAGS, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        _check_state_path(path)  # again: it may have been swapped while we wrote
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def exposed(path: Path) -> bool:
    """True when an existing file or folder can be read or entered by group or others."""
    try:
        return bool(os.stat(path).st_mode & 0o077)
    except OSError:
        return False


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
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


def _check_state_path(path: Path) -> None:
    """A new path in an existing folder, or an existing regular file; anything else refused."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise DomainError("security.out_no_folder", path=str(path)) from None
        return
    if not stat.S_ISREG(info.st_mode):
        raise DomainError("security.out_not_regular", path=str(path))


def read_only_uri(path: Path) -> str:
    """Open a file SQLite must not write to, nor look for a WAL of: a copy being checked."""
    return f"{Path(os.path.abspath(path)).as_uri()}?immutable=1"
