"""Audit details under a per-case key (format 2), so erasing a case can destroy them.

Blob layout: format byte 2 | scope length (1 byte) | scope (ASCII: a case id, or "-" for events
about no case) | 96-bit nonce | ciphertext+tag, with associated data
``v2|audit_events|details|seq|scope``: moved to another event or scope, it fails to open.
Format 1 blobs are the older details under the data key itself (crypto/fields.py).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseintake.crypto.errors import CryptoError

SCOPED_FORMAT = 2
GENERAL_SCOPE = "-"
SCOPE_KEY_BYTES = 32
_NONCE = 12


def new_scope_key() -> bytes:
    return os.urandom(SCOPE_KEY_BYTES)


def _aad(seq: int, scope: str) -> bytes:
    return f"v{SCOPED_FORMAT}|audit_events|details|{seq}|{scope}".encode()


def check_scope(scope: str) -> str:
    if not (1 <= len(scope) <= 64) or not scope.isascii() or not scope.isprintable():
        raise ValueError("a scope is 1-64 printable ASCII characters")
    return scope


def seal_scoped(key: bytes, seq: int, scope: str, payload: str) -> bytes:
    raw_scope = check_scope(scope).encode("ascii")
    nonce = os.urandom(_NONCE)
    body = AESGCM(key).encrypt(nonce, payload.encode("utf-8"), _aad(seq, scope))
    return bytes((SCOPED_FORMAT, len(raw_scope))) + raw_scope + nonce + body


def scope_of(blob: bytes) -> str | None:
    """The scope a format-2 blob names; None for any other blob."""
    if len(blob) < 2 or blob[0] != SCOPED_FORMAT or len(blob) < 2 + blob[1] + _NONCE + 16:
        return None
    try:
        return check_scope(blob[2 : 2 + blob[1]].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def open_scoped(key: bytes, seq: int, blob: bytes) -> str:
    scope = scope_of(blob)
    if scope is None:
        raise CryptoError("crypto.field_corrupt", where="audit_events.details", row=str(seq))
    start = 2 + blob[1]
    nonce, body = blob[start : start + _NONCE], blob[start + _NONCE :]
    try:
        return AESGCM(key).decrypt(nonce, body, _aad(seq, scope)).decode("utf-8")
    except (InvalidTag, UnicodeDecodeError):
        raise CryptoError(
            "crypto.field_corrupt", where="audit_events.details", row=str(seq)
        ) from None
