"""Sealed boxes: encrypt to the database's X25519 public key without holding the data key.

Used for what must be recorded before anyone has logged in (a failed login's details): the
attempt is sealed at once and chained into the audit trail by the next authenticated session.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.keys import _hkdf

_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def public_bytes(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(*_RAW)


def seal(public_key: bytes, plaintext: bytes, context: str) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key))
    key = _hkdf(shared + public_key, "caseintake/sealed-box")
    nonce = os.urandom(12)
    body = AESGCM(key).encrypt(nonce, plaintext, context.encode())
    return public_bytes(ephemeral) + nonce + body


def open_sealed(private_key: X25519PrivateKey, blob: bytes, context: str) -> bytes:
    eph, nonce, body = blob[:32], blob[32:44], blob[44:]
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(eph))
        key = _hkdf(shared + public_bytes(private_key), "caseintake/sealed-box")
        return AESGCM(key).decrypt(nonce, body, context.encode())
    except (InvalidTag, ValueError):
        raise CryptoError("crypto.sealed_corrupt") from None
