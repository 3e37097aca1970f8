"""The audit MAC chain: mac_n = HMAC(audit key, mac_(n-1) || canonical event) (DESIGN §4).

Pure functions over plain tuples so that the verifier is a tight loop, close in speed to a bare
HMAC loop over the same events (bench/bench_crypto.py holds it to at least half of that).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

MAC_BYTES = 32


@dataclass(frozen=True)
class ChainEvent:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    details: bytes  # ciphertext; the MAC covers it as stored
    mac: bytes


def genesis_mac(audit_key: bytes, db_id: str) -> bytes:
    """The chain's anchor, bound to the database so a trail cannot be grafted onto another."""
    return hmac.digest(audit_key, b"caseintake/audit-genesis|" + db_id.encode(), "sha256")


def canonical(
    seq: int, at: str, actor: str, action: str, entity: str, entity_id: str, details: bytes
) -> bytes:
    """Length-prefixed fields, so no two different events share an encoding."""
    parts = (
        str(seq).encode(),
        at.encode(),
        actor.encode(),
        action.encode(),
        entity.encode(),
        entity_id.encode(),
        details,
    )
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


def time_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def next_mac(audit_key: bytes, prev: bytes, event_bytes: bytes) -> bytes:
    return hmac.digest(audit_key, prev + event_bytes, "sha256")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    last_seq: int
    last_mac: bytes
    first_bad_seq: int | None = None
    problem: str | None = None  # a message key: audit.modified, audit.missing, ...


def verify_chain(
    audit_key: bytes,
    db_id: str,
    rows: Iterable[tuple[int, datetime, str, str, str, str, bytes, bytes]],
) -> ChainReport:
    """Walk the events in seq order; name the first one that does not fit."""
    prev = genesis_mac(audit_key, db_id)
    expected = 1
    checked = 0
    digest = hmac.digest
    for seq, at, actor, action, entity, entity_id, details, mac in rows:
        if seq != expected:
            problem = "audit.missing" if seq > expected else "audit.reordered"
            return ChainReport(False, checked, expected - 1, prev, expected, problem)
        body = canonical(seq, time_text(at), actor, action, entity, entity_id, details)
        prev_next = digest(audit_key, prev + body, "sha256")
        if not hmac.compare_digest(prev_next, mac):
            return ChainReport(False, checked, seq - 1, prev, seq, "audit.modified")
        prev = prev_next
        expected += 1
        checked += 1
    return ChainReport(True, checked, expected - 1, prev)
