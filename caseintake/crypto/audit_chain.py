"""The audit MAC chain: mac_n = HMAC(audit key, mac_(n-1) || canonical event) (DESIGN §4).

Pure functions over plain tuples so that the verifier is a tight loop, close in speed to a bare
HMAC loop over the same events (bench/bench_crypto.py holds it to at least half of that).
Times enter the MAC as integer microseconds since the epoch, the form they are stored in, so
verification never parses a date.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_micros(at: datetime) -> int:
    delta = at.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


class ChainKey:
    """The audit key, pre-keyed once: each event then costs one HMAC update, not a re-keying."""

    def __init__(self, key: bytes) -> None:
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def mac(self, prev: bytes, body: bytes) -> bytes:
        h = self._base.copy()
        h.update(prev)
        h.update(body)
        return h.digest()


def genesis_mac(audit_key: bytes, db_id: str) -> bytes:
    """The chain's anchor, bound to the database so a trail cannot be grafted onto another."""
    return hmac.digest(audit_key, b"caseintake/audit-genesis|" + db_id.encode(), "sha256")


def canonical(
    seq: int,
    at_us: int,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    details: bytes,
    states: bytes | None = None,
) -> bytes:
    """Length-prefixed text fields, then the details ciphertext: no two events share an encoding.
    An event that wrote records ends with their states (``crypto.record_states``, issue 20)."""
    body = (
        f"{seq}|{at_us}|{len(actor)}:{actor}|{len(action)}:{action}|"
        f"{len(entity)}:{entity}|{len(entity_id)}:{entity_id}|"
    ).encode() + details
    return body if states is None else body + b"|R|" + states


def next_mac(audit_key: bytes, prev: bytes, event_bytes: bytes) -> bytes:
    return hmac.digest(audit_key, prev + event_bytes, "sha256")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    last_seq: int
    first_bad_seq: int | None = None
    problem: str | None = None  # a message key: audit.modified, audit.missing, ...


def verify_chain(
    audit_key: bytes, db_id: str, rows: Iterable[tuple[int, bytes, bytes]]
) -> ChainReport:
    """Walk ``(seq, canonical bytes, mac)`` in seq order; name the first event that does not fit.

    The store builds the canonical bytes in SQL (see ``services/audit/trail.py``), so this loop
    is little more than the HMAC itself.
    """
    prev = genesis_mac(audit_key, db_id)
    expected = 1
    mac_of = ChainKey(audit_key).mac
    same = hmac.compare_digest
    for seq, body, mac in rows:
        if seq != expected:
            bad, problem = out_of_place(seq, expected)
            return ChainReport(False, expected - 1, expected - 1, bad, problem)
        try:
            computed = mac_of(prev, body)
            intact = same(computed, mac)
        except TypeError:  # a value of the wrong type, as only tampering leaves behind
            intact = False
        if not intact:
            return ChainReport(False, expected - 1, seq - 1, seq, "audit.modified")
        prev = computed
        expected += 1
    return ChainReport(True, expected - 1, expected - 1)


def verify_links(
    audit_key: bytes,
    lo: int,
    hi: int,
    rows: Iterable[tuple[int, bytes, bytes]],
    anchor: bytes | None = None,
) -> tuple[int | None, str | None]:
    """Check links lo..hi, each against the MAC stored before it: ``anchor`` for the first
    (the genesis MAC when lo is 1), else the MAC of row lo - 1, then given first in ``rows``.

    Returns the first bad seq and its problem, or (None, None). Used to split verification
    across processes; with the genesis-anchored first range it proves the same as a full walk.
    """
    mac_of = ChainKey(audit_key).mac
    same = hmac.compare_digest
    it = iter(rows)
    if anchor is None:
        head = next(it, None)
        if head is None or head[0] != lo - 1:
            return lo - 1, "audit.missing"
        anchor = head[2]
    prev = anchor
    expected = lo
    for seq, body, mac in it:
        if seq != expected:
            return out_of_place(seq, expected)
        try:
            intact = same(mac_of(prev, body), mac)
        except TypeError:
            intact = False
        if not intact:
            return seq, "audit.modified"
        prev = mac
        expected += 1
    if expected <= hi:
        return expected, "audit.missing"
    return None, None


def out_of_place(seq: object, expected: int) -> tuple[int, str]:
    """The event to name when ``seq`` arrives where ``expected`` should: a gap names the first
    missing event; a seq below the chain's start (0, -1: inserted before event 1, issue 10
    item 4) or of the wrong type names the intruder itself."""
    if not isinstance(seq, int) or isinstance(seq, bool):
        return expected, "audit.reordered"
    if seq > expected:
        return expected, "audit.missing"
    if seq < 1:
        return seq, "audit.inserted"
    return expected, "audit.reordered"
