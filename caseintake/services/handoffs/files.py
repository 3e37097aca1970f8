"""Reading a hand-off file (never more than the size limit) and what is kept of one: its
SHA-256 and its body as a field blob under the data key."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from caseintake.crypto.handoff import MAX_FILE
from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.canonical import canonical, parse
from caseintake.domain.handoff.header import HandoffRefused
from caseintake.services.core.principal import Principal


def read_file(path: Path, limit: int = MAX_FILE) -> bytes:
    """The file's bytes; one sentence when it is missing, a folder, or over the limit."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise DomainError("cli.file_missing", path=str(path)) from None
    except IsADirectoryError:
        raise DomainError("cli.file_is_dir", path=str(path)) from None
    if len(data) > limit:
        raise HandoffRefused("handoff.error.too_large", size=path.stat().st_size, limit=limit)
    return data


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seal_body(principal: Principal, row_id: str, body: dict[str, Any]) -> bytes:
    text = canonical(body).decode("utf-8")
    return principal.keys.cipher.encrypt("handoffs", "payload", row_id, text)


def open_body(principal: Principal, row_id: str, blob: bytes | None) -> dict[str, Any]:
    if blob is None:  # its case was erased
        raise HandoffRefused("handoff.error.erased")
    text = principal.keys.cipher.decrypt("handoffs", "payload", row_id, blob)
    value = parse(text.encode("utf-8"))
    if not isinstance(value, dict):
        raise HandoffRefused("handoff.error.bad_body")
    return value


def seal_words(principal: Principal, row_id: str, words: str | None) -> bytes | None:
    return principal.keys.cipher.encrypt_opt("handoff_receipts", "words", row_id, words)
