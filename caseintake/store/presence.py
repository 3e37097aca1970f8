"""Who has an SQLite database open, so that replacing the file under them is refused
(issue 20 item 5): a process replaced under would go on writing to a deleted file.

Each process that opens the database keeps a small marker in ``<database>-sessions/``,
holding a shared ``flock`` on it for as long as it runs; the marker names the users who logged
in through it. The lock, not the file, says the process is alive: a marker whose lock can be
taken was left by a process that died, and is removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


def presence_dir(database: Path) -> Path:
    return database.with_name(f"{database.name}-sessions")


@dataclass(frozen=True)
class OpenSession:
    pid: int
    users: tuple[str, ...]

    def label(self) -> str:
        who = ", ".join(self.users) if self.users else "-"
        return f"{who} (pid {self.pid})"


class Presence:
    """This process's marker; ``close`` removes it."""

    def __init__(self, database: Path) -> None:
        folder = presence_dir(database)
        folder.mkdir(mode=0o700, exist_ok=True)
        self._path = folder / f"{os.getpid()}-{secrets.token_hex(6)}.session"
        self._users: list[str] = []
        self._fd: int | None = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        self._write()

    def add_user(self, name: str) -> None:
        if name not in self._users:
            self._users.append(name)
            self._write()

    def _write(self) -> None:
        if self._fd is None:
            return
        data = json.dumps({"pid": os.getpid(), "users": self._users}).encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)

    def close(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self._path.unlink()
        os.close(self._fd)
        self._fd = None


def others(database: Path) -> list[OpenSession]:
    """The other live processes that have the database open; stale markers are removed."""
    folder = presence_dir(database)
    found: list[OpenSession] = []
    if not folder.is_dir():
        return found
    for marker in sorted(folder.glob("*.session")):
        try:
            fd = os.open(marker, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            data = _read(fd)
            if data.pid == os.getpid():
                continue  # this process: the one doing the replacing
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                found.append(data)
                continue
            with contextlib.suppress(OSError):
                marker.unlink()  # its process is gone
        finally:
            os.close(fd)
    return found


def _read(fd: int) -> OpenSession:
    try:
        raw = json.loads(os.read(fd, 65536) or b"{}")
        pid = int(raw.get("pid", -1))
        users = tuple(str(u)[:64] for u in raw.get("users", [])[:20])
    except (ValueError, TypeError, AttributeError):
        return OpenSession(-1, ())
    return OpenSession(pid, users)
