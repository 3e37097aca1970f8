"""The folder of one database's signed checkpoints and failure marks, outside the database.

``<state>/checkpoints/<db_id>/NNNNNNNNNNNN.json`` are checkpoints, ``failed-*.json`` failure
marks; an admin's acknowledgement moves them to ``acknowledged/`` and ``superseded/``, kept as
evidence but no longer held against the trail. ``db_id`` comes from the database, which an
attacker may have written, so it must be a UUID before it becomes a path component.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseintake.crypto.checkpoint import (
    Checkpoint,
    FailureMark,
    load_checkpoint,
    load_failure,
    load_signed_checkpoint,
)
from caseintake.crypto.errors import CryptoError
from caseintake.domain.errors import DomainError
from caseintake.services.core.private_files import private_dir, write_private

_DB_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CHECKPOINT = re.compile(r"[0-9]{12}\.json")


def valid_db_id(db_id: object) -> str:
    if not isinstance(db_id, str) or not _DB_ID.fullmatch(db_id):
        raise DomainError("security.bad_db_id")
    return db_id


@dataclass(frozen=True)
class Signers:
    """Whose checkpoints count: ``None`` for a database made before per-user keys (version-1
    files, signed with the data key's checkpoint key, are then read)."""

    every: dict[str, bytes] | None = None
    trusted: dict[str, bytes] | None = None


@dataclass(frozen=True)
class Kept:
    checkpoints: list[Checkpoint]
    damaged: list[int]  # seqs (from the file names) of checkpoint files that do not verify
    failures: list[FailureMark | None]  # None: a mark whose own signature is damaged


def read_checkpoint(
    text: str, key: Ed25519PrivateKey, signers: Signers | None
) -> Checkpoint | None:
    """A checkpoint that counts, None for a valid one whose signer's checkpoints do not count
    (a signer outside ``trusted``), CryptoError for anything forged or damaged."""
    if signers is None or signers.every is None or signers.trusted is None:
        return load_checkpoint(text, key)
    cp = load_signed_checkpoint(text, signers.every.get)
    return cp if cp.signer in signers.trusted else None


class CheckpointStore:
    def __init__(self, state_dir: Path, db_id: object) -> None:
        self.db_id = valid_db_id(db_id)
        self.root = state_dir / "checkpoints"
        self.folder = self.root / self.db_id

    def register_copy(self, path: Path) -> None:
        """A backup restored at ``path`` (a new file, same ``db_id``): from now on its
        checkpoints and failure marks are kept apart (issue 20 item 5)."""
        private_dir(self.root)
        private_dir(self.folder)
        listed = self.folder / "copies.txt"
        known = listed.read_text(encoding="utf-8").splitlines() if listed.is_file() else []
        if str(path) not in known:
            write_private(listed, "".join(f"{line}\n" for line in [*known, str(path)]))

    def for_path(self, path: Path | None) -> CheckpointStore:
        """This store, or a restored copy's own when ``path`` is one."""
        listed = self.folder / "copies.txt"
        if path is None or not listed.is_file():
            return self
        if str(path) not in listed.read_text(encoding="utf-8").splitlines():
            return self
        copy = CheckpointStore(self.root.parent, self.db_id)
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
        copy.folder = self.folder / "copies" / digest
        return copy

    def keep(self, seq: int, text: str) -> Path:
        private_dir(self.root)
        private_dir(self.folder.parent)
        private_dir(self.folder)
        path = self.folder / f"{seq:012d}.json"
        write_private(path, text)
        return path

    def mark_failed(self, mark: FailureMark, key: Ed25519PrivateKey) -> None:
        private_dir(self.root)
        private_dir(self.folder.parent)
        private_dir(self.folder)
        name = f"failed-{mark.at.replace(':', '').replace('+', 'Z')}-{mark.seq}.json"
        write_private(self.folder / name, mark.sign(key))

    def read(self, key: Ed25519PrivateKey, signers: Signers | None = None) -> Kept:
        checkpoints: list[Checkpoint] = []
        damaged: list[int] = []
        failures: list[FailureMark | None] = []
        if not self.folder.is_dir():
            return Kept(checkpoints, damaged, failures)
        for path in sorted(self.folder.iterdir()):
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            if _CHECKPOINT.fullmatch(path.name):
                try:
                    cp = read_checkpoint(text, key, signers)
                except CryptoError:
                    damaged.append(int(path.stem))
                    continue
                if cp is None:  # a signer outside ``trusted``: kept, but no proof
                    continue
                if cp.db_id != self.db_id:
                    damaged.append(int(path.stem))
                    continue
                checkpoints.append(cp)
            elif path.name.startswith("failed-") and path.suffix == ".json":
                try:
                    failures.append(load_failure(text, key))
                except CryptoError:
                    failures.append(None)
        return Kept(checkpoints, damaged, failures)

    def set_aside(self, checkpoint_seqs: list[int]) -> None:
        """After an admin's acknowledgement: failure marks and the checkpoints that no longer
        match are moved out of the way, kept as evidence."""
        if not self.folder.is_dir():
            return
        acknowledged = private_dir(self.folder / "acknowledged")
        superseded = private_dir(self.folder / "superseded")
        for path in list(self.folder.iterdir()):
            if path.name.startswith("failed-") and path.is_file():
                path.replace(acknowledged / path.name)
        for seq in checkpoint_seqs:
            path = self.folder / f"{seq:012d}.json"
            if path.is_file():
                path.replace(superseded / path.name)
