"""Reading the drop folders by itself (issue 24, transport): every configured folder once, each
file addressed to this line by its name (``FROM-to-ME-ID.cih`` a package, ``.cir`` a receipt)
received or taken as ``handoff receive`` and ``handoff receipt`` would, then moved out of the
way: to ``done/`` when taken, to ``refused/`` with a ``.txt`` of the one-sentence reason when
refused. Nothing is deleted; a replayed file is refused once and moved, never read again.

Files addressed to another line, hidden temporary files (a writer's half-written file) and
anything else are left alone. A folder that is gone or unreadable is one sentence in
``errors``; the other folders are still read."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.services.core.new_files import NewFile
from caseintake.services.handoffs.drop_folders import DONE, REFUSED, DropName, parse_name

Handle = Callable[[str, bytes], str]  # (kind, the file's bytes) -> what it was taken as


@dataclass(frozen=True)
class PolledFile:
    folder: Path
    name: str
    kind: str  # "package" or "receipt"
    sender: str  # the sending line's code, as the name says
    taken: bool
    said: str  # the hand-off's id when taken, else the sentence refusing it
    moved_to: Path


@dataclass
class PollResult:
    files: list[PolledFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one sentence per folder not read

    @property
    def taken(self) -> list[PolledFile]:
        return [f for f in self.files if f.taken]

    @property
    def refused(self) -> list[PolledFile]:
        return [f for f in self.files if not f.taken]

    def senders(self, kind: str) -> dict[str, int]:
        """How many files of ``kind`` were taken from each line."""
        out: dict[str, int] = {}
        for f in self.taken:
            if f.kind == kind:
                out[f.sender] = out.get(f.sender, 0) + 1
        return out


def addressed(folder: Path, me: str) -> list[tuple[Path, DropName]]:
    """The folder's files addressed to this line, packages first, each in name order."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = parse_name(entry.name)
            if name is not None and name.recipient == me and entry.is_file(follow_symlinks=False):
                found.append((Path(entry.path), name))
    return sorted(found, key=lambda pair: (pair[1].kind != "package", pair[0].name))


def poll_folders(
    folders: list[Path],
    me: str,
    read: Callable[[Path], bytes],
    handle: Handle,
    language: str,
    protected: tuple[Path, ...] = (),
) -> PollResult:
    result = PollResult()
    for folder in folders:
        try:
            files = addressed(folder, me)
        except OSError:
            result.errors.append(DomainError("handoff_folders.unreadable", path=str(folder))
                                 .message(language))  # fmt: skip
            continue
        for path, name in files:
            polled = _one(folder, path, name, read, handle, language, protected)
            if isinstance(polled, str):
                result.errors.append(polled)
            elif polled is not None:
                result.files.append(polled)
    return result


def _one(
    folder: Path,
    path: Path,
    name: DropName,
    read: Callable[[Path], bytes],
    handle: Handle,
    language: str,
    protected: tuple[Path, ...],
) -> PolledFile | str | None:
    """One file taken or refused, then moved; None when it went away meanwhile (another
    reader took it); a sentence when it could not be moved."""
    try:
        said, taken = handle(name.kind, read(path)), True
    except DomainError as err:
        if not path.exists():
            return None
        said, taken = err.message(language), False
    try:
        moved = _move(path, folder / (DONE if taken else REFUSED))
        if moved is None:
            return None
        if not taken:
            with NewFile(moved.with_name(moved.name + ".txt"), protected) as why:
                why.place((said + "\n").encode("utf-8"))
    except (OSError, DomainError):
        return DomainError("handoff_folders.unmovable", path=str(path)).message(language)
    return PolledFile(folder, path.name, name.kind, name.sender, taken, said, moved)


def _move(path: Path, into: Path) -> Path | None:
    """``path`` moved into the folder ``into`` under its own name, or with ``.1``, ``.2`` …
    added when that name is taken there: never over another file. None when it is gone."""
    into.mkdir(mode=0o700, exist_ok=True)
    if not stat.S_ISDIR(os.lstat(into).st_mode):  # a link planted there leads nowhere of ours
        raise OSError(errno.ENOTDIR, "not a folder", str(into))
    for n in range(1000):
        target = into / (path.name if n == 0 else f"{path.name}.{n}")
        try:
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except FileNotFoundError:
            return None
        except OSError as err:  # a file system without hard links (FAT, some synced ones)
            if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            if target.exists():
                continue
            os.rename(path, target)
            return target
        path.unlink()
        return target
    raise OSError(errno.EEXIST, "no free name", str(into))
