"""The clear header of a package or a receipt: who sends, to whom, when, until when.

It travels in clear (the receiver reads it before it can open anything: is this for me, from
whom, still valid) and is bound into HPKE's ``info`` and repeated inside the signed content, so
no byte of it can change unnoticed. It holds no personal data: line codes, key fingerprints, a
random id and two times.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.canonical import canonical, parse

FORMAT = "caseintake-handoff/1"
KINDS = ("package", "receipt")
LIFETIME = timedelta(days=7)  # a package not opened within a week is sent again, not trusted
CLOCK_SKEW = timedelta(minutes=10)  # two lines' clocks may disagree by this much
LINE_CODE = re.compile(r"^[A-Z0-9]{2,8}$")  # issue 24: 2-8 capitals or digits
# The identity's own form ("1234 5678 …"): printable ASCII, no space at either end.
_FINGERPRINT = re.compile(r"^[!-~][ -~]{2,126}[!-~]$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_KEYS = {"format", "kind", "id", "sender", "recipient", "created", "expires"}


class HandoffRefused(DomainError):
    """A package or receipt refused, in one sentence (``handoff.error.*``)."""


@dataclass(frozen=True)
class Party:
    """A line as the header names it: its code and its card's key fingerprint."""

    line: str
    key: str

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "line": self.line}


@dataclass(frozen=True)
class Header:
    kind: str  # "package" or "receipt"
    id: str  # a random UUID: the package's id (replay refusal) or the receipt's
    sender: Party
    recipient: Party
    created: datetime
    expires: datetime

    @classmethod
    def new(
        cls,
        kind: str,
        sender: Party,
        recipient: Party,
        now: datetime,
        lifetime: timedelta = LIFETIME,
        file_id: str | None = None,
    ) -> Header:
        """A new header; ``file_id`` is an id drawn beforehand (a drop folder's file is named
        by it), else a new random one."""
        created = now.astimezone(UTC).replace(microsecond=0)
        ident = file_id or str(uuid.uuid4())
        header = cls(kind, ident, sender, recipient, created, created + lifetime)
        header.to_json()  # checks every field
        return header

    def to_json(self) -> dict[str, Any]:
        if self.kind not in KINDS:
            raise HandoffRefused("handoff.error.bad_header")
        for party in (self.sender, self.recipient):
            if not LINE_CODE.match(party.line) or not _FINGERPRINT.match(party.key):
                raise HandoffRefused("handoff.error.bad_header")
        return {
            "created": format_time(self.created),
            "expires": format_time(self.expires),
            "format": FORMAT,
            "id": self.id,
            "kind": self.kind,
            "recipient": self.recipient.to_json(),
            "sender": self.sender.to_json(),
        }

    def to_bytes(self) -> bytes:
        return canonical(self.to_json())

    @classmethod
    def from_bytes(cls, data: bytes) -> Header:
        try:
            return cls.from_json(parse(data))
        except HandoffRefused:
            raise
        except DomainError:
            raise HandoffRefused("handoff.error.bad_header") from None

    @classmethod
    def from_json(cls, value: Any) -> Header:
        if not isinstance(value, dict) or set(value) != _KEYS:
            raise HandoffRefused("handoff.error.bad_header")
        if value["format"] != FORMAT:
            raise HandoffRefused("handoff.error.format", found=str(value["format"])[:40])
        try:
            header = cls(
                kind=value["kind"],
                id=_uuid(value["id"]),
                sender=_party(value["sender"]),
                recipient=_party(value["recipient"]),
                created=parse_time(value["created"]),
                expires=parse_time(value["expires"]),
            )
        except (KeyError, TypeError, ValueError):
            raise HandoffRefused("handoff.error.bad_header") from None
        header.to_json()
        if header.expires <= header.created:
            raise HandoffRefused("handoff.error.bad_header")
        return header

    def check_times(self, now: datetime) -> None:
        """Refuse a header that has expired or that was made in the future."""
        if now >= self.expires:
            raise HandoffRefused("handoff.error.expired", expires=format_time(self.expires))
        if self.created > now + CLOCK_SKEW:
            raise HandoffRefused("handoff.error.future", created=format_time(self.created))


def format_time(at: datetime) -> str:
    """``2026-12-07T12:00:00Z``: UTC to the second."""
    return at.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def parse_time(text: Any) -> datetime:
    if not isinstance(text, str) or not _TIME.match(text):
        raise ValueError("not a header time")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def _uuid(text: Any) -> str:
    if not isinstance(text, str) or str(uuid.UUID(text)) != text:
        raise ValueError("not a canonical UUID")
    return text


def _party(value: Any) -> Party:
    if not isinstance(value, dict) or set(value) != {"key", "line"}:
        raise ValueError("not a party")
    line, key = value["line"], value["key"]
    if not isinstance(line, str) or not isinstance(key, str):
        raise ValueError("not a party")
    return Party(line, key)
