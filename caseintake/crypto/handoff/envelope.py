"""Signing and sealing hand-off packages and receipts (issue 24; ``docs/handoff-format.md``).

A file is ``"CIH1" | header length (2 bytes, big-endian) | header | HPKE enc | HPKE ciphertext``.
The header is canonical JSON in clear; everything before the HPKE output is HPKE's ``info``, so
changing a header byte makes the ciphertext fail to open. The plaintext is ``Ed25519 signature
(64 bytes) | content``, the content the canonical JSON ``{"body": …, "header": …}`` and the
signature over ``SIGNING_CONTEXT | content`` by the sender's line key. HPKE is RFC 9180 base
mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, to the recipient's X25519 key.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke

from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.canonical import canonical, encode, parse
from caseintake.domain.handoff.header import HandoffRefused, Header, Party

MAGIC = b"CIH1"
SIGNING_CONTEXT = b"caseintake/handoff/1\x00"  # a line key signs nothing else with this prefix
MAX_HEADER = 2048
MAX_FILE = 1 << 20  # 1 MiB: a package is a few kilobytes; anything larger is refused unread
SIGNATURE = 64
SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)  # as the cards'
SUITE_OVERHEAD = hpke.KEM.X25519.enc_length() + 16  # the encapsulated key and the AEAD tag


class ThisLine(Protocol):
    """This line as sealing needs it: its code, its card's fingerprint, and the two private
    operations of its identity (the private keys never leave the identity service)."""

    @property
    def code(self) -> str: ...

    @property
    def fingerprint(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...

    def open_hpke(self, sealed: bytes, info: bytes) -> bytes: ...


class OtherLine(Protocol):
    """Another line's public card, as the directory holds it."""

    @property
    def code(self) -> str: ...

    @property
    def fingerprint(self) -> str: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...

    def seal(self, plaintext: bytes, info: bytes) -> bytes: ...


def party(line: ThisLine | OtherLine) -> Party:
    return Party(line.code, line.fingerprint)


@dataclass(frozen=True)
class Opened:
    header: Header
    body: dict[str, Any]
    inner: bytes  # signature | content, as signed


def signed_inner(header: Header, body: dict[str, Any], me: ThisLine) -> bytes:
    """``signature | content``: deterministic for given keys and content (Ed25519 is)."""
    if header.sender != party(me):
        raise HandoffRefused("handoff.error.bad_header")
    content = canonical({"body": body, "header": header.to_json()})
    signature = me.sign(SIGNING_CONTEXT + content)
    if len(signature) != SIGNATURE:
        raise HandoffRefused("handoff.error.bad_signature", line=me.code)
    return signature + content


def seal(header: Header, body: dict[str, Any], me: ThisLine, to: OtherLine) -> bytes:
    """The file's bytes: the header in clear, the signed content sealed to ``to``."""
    if header.recipient != party(to):
        raise HandoffRefused("handoff.error.bad_header")
    prefix = _prefix(header.to_bytes())
    return prefix + to.seal(signed_inner(header, body, me), prefix)


def read_header(data: bytes, limit: int = MAX_FILE) -> Header:
    """The clear header, read before anything is opened (who from, to whom, until when)."""
    return _split(data, limit)[1]


def open_file(
    data: bytes,
    kind: str,
    me: ThisLine,
    sender: OtherLine,
    now: datetime,
    limit: int = MAX_FILE,
) -> Opened:
    """Check and open a package or a receipt addressed to ``me`` from ``sender``'s card."""
    prefix, header, sealed = _split(data, limit)
    check_header(header, kind, me, now)
    if header.sender != party(sender):
        raise HandoffRefused("handoff.error.unknown_sender", line=header.sender.line)
    try:
        inner = me.open_hpke(sealed, prefix)
    except (DomainError, InvalidTag, ValueError):  # the identity's one sentence is ours here
        raise HandoffRefused("handoff.error.tampered") from None
    signature, content = inner[:SIGNATURE], inner[SIGNATURE:]
    if len(signature) != SIGNATURE or not sender.verify(SIGNING_CONTEXT + content, signature):
        raise HandoffRefused("handoff.error.bad_signature", line=header.sender.line)
    try:
        value = parse(content)
    except DomainError:
        raise HandoffRefused("handoff.error.tampered") from None
    if not isinstance(value, dict) or set(value) != {"body", "header"}:
        raise HandoffRefused("handoff.error.bad_body")
    if encode(value["header"]) != prefix[6:] or not isinstance(value["body"], dict):
        raise HandoffRefused("handoff.error.tampered")
    return Opened(header, value["body"], inner)


def check_header(header: Header, kind: str, me: ThisLine, now: datetime) -> None:
    """What the clear header alone decides: the kind of file, for this line and its key, in
    its time (checked again by ``open_file``)."""
    if header.kind != kind:
        key = "handoff.error.not_a_receipt" if kind == "receipt" else "handoff.error.not_a_package"
        raise HandoffRefused(key)
    if header.recipient.line != me.code:
        raise HandoffRefused("handoff.error.wrong_recipient", line=header.recipient.line)
    if header.recipient.key != me.fingerprint:
        raise HandoffRefused("handoff.error.wrong_key", fingerprint=header.recipient.key)
    header.check_times(now)


def _prefix(header: bytes) -> bytes:
    if len(header) > MAX_HEADER:
        raise HandoffRefused("handoff.error.bad_header")
    return MAGIC + struct.pack(">H", len(header)) + header


def _split(data: bytes, limit: int) -> tuple[bytes, Header, bytes]:
    if len(data) > limit:
        raise HandoffRefused("handoff.error.too_large", size=len(data), limit=limit)
    if len(data) < 6 or data[:4] != MAGIC:
        raise HandoffRefused("handoff.error.not_handoff")
    (length,) = struct.unpack(">H", data[4:6])
    end = 6 + length
    if length > MAX_HEADER or len(data) < end + SUITE_OVERHEAD:
        raise HandoffRefused("handoff.error.not_handoff")
    return data[:end], Header.from_bytes(data[6:end]), data[end:]
