"""Signed checkpoints of the audit chain, kept outside the database (DESIGN §4).

A checkpoint says "event ``seq`` of database ``db_id`` had MAC ``mac`` at ``at``", signed with
an Ed25519 key derived from the data key. Against it, a truncated tail or a rewritten history
shows even when every remaining event chains correctly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseintake.crypto.errors import CryptoError

FORMAT = "caseintake-checkpoint/1"
# Version 2 names its signer (a user id, or "recovery") and is signed with that user's own key
# (issue 10 item 2), so a key derived from the shared data key cannot forge one.
FORMAT_SIGNED = "caseintake-checkpoint/2"


@dataclass(frozen=True)
class Checkpoint:
    db_id: str
    seq: int
    mac: bytes
    at: str  # ISO 8601 UTC
    signer: str | None = None  # None: version 1, signed with the data key's checkpoint key

    def _payload(self) -> bytes:
        fields: dict[str, object] = {
            "format": FORMAT if self.signer is None else FORMAT_SIGNED,
            "db_id": self.db_id,
            "seq": self.seq,
            "mac": self.mac.hex(),
            "at": self.at,
        }
        if self.signer is not None:
            fields["signer"] = self.signer
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def sign(self, key: Ed25519PrivateKey) -> str:
        """The checkpoint file's text: payload and signature as one JSON document."""
        doc = json.loads(self._payload())
        doc["signature"] = key.sign(self._payload()).hex()
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def load_checkpoint(text: str, key: Ed25519PrivateKey) -> Checkpoint:
    """Parse and check a checkpoint file against the database's signing key."""
    try:
        doc = json.loads(text)
        if doc.get("format") != FORMAT:
            raise CryptoError("crypto.checkpoint_format")
        cp = Checkpoint(
            str(doc["db_id"]), int(doc["seq"]), bytes.fromhex(doc["mac"]), str(doc["at"])
        )
        signature = bytes.fromhex(doc["signature"])
    except CryptoError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CryptoError("crypto.checkpoint_format") from None
    try:
        key.public_key().verify(signature, cp._payload())
    except InvalidSignature:
        raise CryptoError("crypto.checkpoint_signature") from None
    return cp


def load_signed_checkpoint(text: str, public_of: Callable[[str], bytes | None]) -> Checkpoint:
    """A version-2 checkpoint, checked against its signer's public key (None: unknown)."""
    try:
        doc = json.loads(text)
        if doc.get("format") != FORMAT_SIGNED:
            raise CryptoError("crypto.checkpoint_format")
        cp = Checkpoint(
            str(doc["db_id"]),
            int(doc["seq"]),
            bytes.fromhex(doc["mac"]),
            str(doc["at"]),
            str(doc["signer"]),
        )
        signature = bytes.fromhex(doc["signature"])
    except CryptoError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise CryptoError("crypto.checkpoint_format") from None
    public = public_of(cp.signer or "")
    try:
        if public is None:
            raise InvalidSignature
        Ed25519PublicKey.from_public_bytes(public).verify(signature, cp._payload())
    except (InvalidSignature, ValueError):
        raise CryptoError("crypto.checkpoint_signature") from None
    return cp


FAILURE_FORMAT = "caseintake-audit-failure/1"


@dataclass(frozen=True)
class FailureMark:
    """ "Verification of ``db_id`` failed at ``seq`` with ``problem``": kept beside the
    checkpoints so that later appends cannot mask it, until an admin acknowledges it."""

    db_id: str
    seq: int
    problem: str
    at: str

    def _payload(self) -> bytes:
        fields = {
            "format": FAILURE_FORMAT,
            "db_id": self.db_id,
            "seq": self.seq,
            "problem": self.problem,
            "at": self.at,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def sign(self, key: Ed25519PrivateKey) -> str:
        doc = json.loads(self._payload())
        doc["signature"] = key.sign(self._payload()).hex()
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def load_failure(text: str, key: Ed25519PrivateKey) -> FailureMark:
    """Parse a failure mark; one with a bad signature still counts as a failure (its damage is
    itself tampering), so callers treat CryptoError here as 'failed, details unknown'."""
    try:
        doc = json.loads(text)
        if doc.get("format") != FAILURE_FORMAT:
            raise CryptoError("crypto.checkpoint_format")
        mark = FailureMark(str(doc["db_id"]), int(doc["seq"]), str(doc["problem"]), str(doc["at"]))
        signature = bytes.fromhex(doc["signature"])
    except CryptoError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CryptoError("crypto.checkpoint_format") from None
    try:
        key.public_key().verify(signature, mark._payload())
    except InvalidSignature:
        raise CryptoError("crypto.checkpoint_signature") from None
    return mark
