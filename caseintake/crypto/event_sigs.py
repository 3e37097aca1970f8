"""Per-user signatures on the audit trail (issue 10 item 2).

The MAC chain proves order and content to anyone holding the audit key, and every user holds
it (it derives from the shared data key), so an insider could recompute it. Signatures close
that: each append is signed by the Ed25519 key of the user whose session wrote it, a key
wrapped under *their own* password. The signature covers the MAC of the append's last event,
and that MAC commits to every byte of every event before it, so

- changing, deleting, inserting or reordering an event breaks the MAC of every later event,
  and with it the signature of every later append made by someone else;
- an event's actor must be the name of the user whose key signed it, or the one system
  actor ``-`` (issue 20 item 3): nobody writes in another's name, nor under a look-alike or
  made-up one;
- an event without a signature must be followed, in the same run, by an event of the same
  signer: removing the signed end of someone's append leaves the rest uncovered, and named.

What stays possible for an insider with write access and their own password: rewriting their
*own* events after the last checkpoint, and cutting the tail of the trail after it (only a
checkpoint, kept outside the database, shows a cut tail). The README's threat model says so.

Signing per append rather than per event keeps verification affordable: one Ed25519 check
(~90 µs here) per append instead of per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_PREFIX = "caseintake/audit-sig/1"
# The actor of events no user wrote: failed logins and other attempts recorded before anyone
# held the key, chained by the next login (services/access/auth.py ``seal_pending``).
SYSTEM_ACTOR = "-"


def payload(db_id: str, signed_from: int, seq: int, signer: str, mac: bytes) -> bytes:
    """What a signature covers; ``signed_from`` is in it so that moving the start of the
    signed era breaks every signature made after it."""
    return f"{_PREFIX}|{db_id}|{signed_from}|{seq}|{len(signer)}:{signer}|".encode() + mac


def sign_event(
    key: Ed25519PrivateKey, db_id: str, signed_from: int, seq: int, signer: str, mac: bytes
) -> bytes:
    return key.sign(payload(db_id, signed_from, seq, signer, mac))


# One row as the verifier reads it: seq, actor, signer, sig, mac.
SigRow = tuple[object, object, object, object, object]


@dataclass(frozen=True)
class SignatureCheck:
    first_bad_seq: int | None
    problem: str | None  # a message key: audit.unsigned, audit.bad_signature, ...
    signatures: int  # how many were checked
    detail: str | None = None  # the signer or actor named


class SignatureVerifier:
    """Checks signed runs; ``publics`` maps a signer id to its raw public key (only certified
    users and the recovery key), ``actor_ids`` maps a user's name to their id."""

    def __init__(
        self,
        db_id: str,
        signed_from: int,
        publics: Mapping[str, bytes],
        actor_ids: Mapping[str, str],
    ) -> None:
        self._db_id = db_id
        self._from = signed_from
        self._actor_ids = actor_ids
        self._keys: dict[str, Ed25519PublicKey] = {}
        for signer, raw in publics.items():
            try:
                self._keys[signer] = Ed25519PublicKey.from_public_bytes(raw)
            except ValueError:
                continue

    def check(self, rows: Iterable[SigRow], hi: int | None = None) -> SignatureCheck:
        """Rows in seq order from ``signed_from`` (or a range's start) on; when ``hi`` is given
        the rows may run one past it, that row only telling whether the run at ``hi`` goes on."""
        checked = 0
        pending: tuple[int, str] | None = None  # an unsigned event waiting for its run's end
        for seq, actor, signer, sig, mac in rows:
            if not isinstance(seq, int):
                return SignatureCheck(None, "audit.reordered", checked)
            if pending is not None and pending[1] != signer:
                return SignatureCheck(pending[0], "audit.unsigned", checked, pending[1])
            pending = None
            if hi is not None and seq > hi:
                return SignatureCheck(None, None, checked)
            if not isinstance(signer, str) or signer not in self._keys:
                return SignatureCheck(seq, "audit.unknown_signer", checked, _text(signer))
            owner = self._actor_ids.get(actor) if isinstance(actor, str) else None
            if owner != signer and actor != SYSTEM_ACTOR:
                return SignatureCheck(seq, "audit.forged_actor", checked, _text(actor))
            if sig is None:
                pending = (seq, signer)
                continue
            checked += 1
            if not self._valid(seq, signer, sig, mac):
                return SignatureCheck(seq, "audit.bad_signature", checked, signer)
        if pending is not None:
            return SignatureCheck(pending[0], "audit.unsigned", checked, pending[1])
        return SignatureCheck(None, None, checked)

    def _valid(self, seq: int, signer: str, sig: object, mac: object) -> bool:
        if isinstance(sig, memoryview):
            sig = bytes(sig)
        if isinstance(mac, memoryview):
            mac = bytes(mac)
        if not isinstance(sig, bytes) or not isinstance(mac, bytes):
            return False
        try:
            self._keys[signer].verify(sig, payload(self._db_id, self._from, seq, signer, mac))
        except InvalidSignature:
            return False
        return True


def _text(value: object) -> str:
    return value if isinstance(value, str) else repr(value)[:64]
