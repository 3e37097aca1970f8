"""What an audit event says about the rows it wrote (issue 20 item 1).

Each write of a bound record commits, in its audit event, to the state it left: a digest over
the row's columns as the database holds them (ciphertexts included) with its table and key.
The event's MAC and its writer's signature cover these bytes, so a row changed, inserted or
deleted in the file no longer matches the last event that names it.

The bytes: a version byte, then per row its table's code (one byte), the length of its key (one
byte), the key (UTF-8) and a 16-byte BLAKE2b digest; a deleted row has the all-zero digest.
Parsing is strict: anything left over, or short, is damaged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from hashlib import blake2b
from typing import Any

VERSION = 1
DIGEST_SIZE = 16
GONE = bytes(DIGEST_SIZE)  # a row the event deleted (erasure, retention)
MARK = b"|R|"
PERSON = b"caseintake-rec"  # what joins the states to an event's canonical bytes

# One row's state: table code, key, digest.
RowState = tuple[int, str, bytes]


class StatesDamaged(ValueError):
    """The states of an event do not parse."""


def row_digest(code: int, key: str, values: Iterable[Any]) -> bytes:
    """The digest of one row: its table's code, its key and every column's value as the
    database gives it back (None, int, str, bytes; times as UTC text, booleans as 0/1)."""
    text = repr((code, key, *values)).encode("utf-8", "surrogatepass")
    return blake2b(text, digest_size=DIGEST_SIZE, person=PERSON).digest()


def encode(states: Iterable[RowState]) -> bytes:
    out = bytearray([VERSION])
    for code, key, digest in states:
        raw = key.encode()
        if not 0 < code < 256 or len(raw) > 255 or len(digest) != DIGEST_SIZE:
            raise ValueError(f"cannot record the state of row {key!r} of table {code}")
        out += bytes([code, len(raw)]) + raw + digest
    return bytes(out)


def decode(blob: bytes) -> Iterator[RowState]:
    """The rows of ``blob`` in order; ``StatesDamaged`` at the first byte that does not fit."""
    data = bytes(blob)
    if not data or data[0] != VERSION:
        raise StatesDamaged("unknown version")
    i, end = 1, len(data)
    while i < end:
        if i + 2 > end:
            raise StatesDamaged("short entry")
        code, size = data[i], data[i + 1]
        start = i + 2
        stop = start + size + DIGEST_SIZE
        if stop > end or code == 0:
            raise StatesDamaged("short entry")
        try:
            key = data[start : start + size].decode()
        except UnicodeDecodeError:
            raise StatesDamaged("bad key") from None
        yield code, key, data[start + size : stop]
        i = stop
