"""Who a user is, bound by an admin's signature (issue 10 item 3).

Each user has an Ed25519 key pair: the private half is wrapped in their key slot under the key
derived from *their* password (never under the shared data key), the public half sits in the
users row. A certificate signs ``db_id | user id | name | role | disabled | slot id | public
key`` with an admin's key; the first admin's public key (and the recovery key's) form the
trust anchor, printed by ``init`` and pinned outside the database. Changing a role, the
disabled flag or a slot's owner in the file breaks the certificate, and the anchor cannot be
swapped without the pinned copy disagreeing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseintake.crypto.errors import CryptoError

RECOVERY_SIGNER = "recovery"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw
_RAW_PRIVATE = (
    serialization.Encoding.Raw,
    serialization.PrivateFormat.Raw,
    serialization.NoEncryption(),
)


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(*_RAW)


def fingerprint(public: bytes) -> str:
    """What an admin reads aloud or writes down: 16 hex groups of the SHA-256 of the key."""
    digest = hashlib.sha256(b"caseintake/anchor|" + public).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class Identity:
    db_id: str
    user_id: str
    name: str
    role: str
    disabled: bool
    slot_id: str
    public_key: bytes

    def payload(self, signer: str) -> bytes:
        fields = (
            "caseintake/user-cert/1",
            self.db_id,
            self.user_id,
            self.name,
            self.role,
            "1" if self.disabled else "0",
            self.slot_id,
            self.public_key.hex(),
            signer,
        )
        return "|".join(f"{len(f)}:{f}" for f in fields).encode("utf-8", "surrogatepass")


def certify(identity: Identity, signer: str, key: Ed25519PrivateKey) -> str:
    return f"{signer}:{key.sign(identity.payload(signer)).hex()}"


def split_certificate(cert: object) -> tuple[str, bytes] | None:
    if not isinstance(cert, str) or len(cert) > 400 or ":" not in cert:
        return None
    signer, _, sig = cert.rpartition(":")
    try:
        return signer, bytes.fromhex(sig)
    except ValueError:
        return None


def signed_by(identity: Identity, signer: str, signature: bytes, public: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, identity.payload(signer))
    except (InvalidSignature, ValueError):
        return False
    return True


def wrap_signing_key(kek: bytes, key: Ed25519PrivateKey, slot_id: str, owner: str) -> bytes:
    nonce = os.urandom(12)
    body = AESGCM(kek).encrypt(nonce, key.private_bytes(*_RAW_PRIVATE), _aad(slot_id, owner))
    return nonce + body


def unwrap_signing_key(kek: bytes, blob: object, slot_id: str, owner: str) -> Ed25519PrivateKey:
    if not isinstance(blob, bytes) or len(blob) != 12 + 32 + 16:
        raise CryptoError("crypto.slot_damaged")
    try:
        raw = AESGCM(kek).decrypt(blob[:12], blob[12:], _aad(slot_id, owner))
    except InvalidTag:
        raise CryptoError("crypto.slot_damaged") from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def _aad(slot_id: str, owner: str) -> bytes:
    return f"caseintake/signing-key/1|{slot_id}|{owner}".encode()
