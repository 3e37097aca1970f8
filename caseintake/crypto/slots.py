"""Key slots: the data key wrapped (AES-GCM) under a key derived from a password or recovery key."""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.kdf import STRONG, KdfCost, KdfParams, derive_key
from caseintake.crypto.keys import DataKey, _hkdf

SLOT_FORMAT = 1


@dataclass(frozen=True)
class KeySlot:
    """What the database stores for one holder of the data key."""

    kind: str  # "password" or "recovery"
    kdf: KdfParams | None  # None for the recovery slot: its secret is already full-entropy
    nonce: bytes
    wrapped: bytes
    key_version: int


def _aad(slot_id: str, kind: str, key_version: int) -> bytes:
    return f"caseintake/slot/{SLOT_FORMAT}|{slot_id}|{kind}|{key_version}".encode()


def wrap_with_password(
    data_key: DataKey, password: str, slot_id: str, cost: KdfCost = STRONG
) -> KeySlot:
    return wrap_with_password_kek(data_key, password, slot_id, cost)[0]


def wrap_with_password_kek(
    data_key: DataKey, password: str, slot_id: str, cost: KdfCost = STRONG
) -> tuple[KeySlot, bytes]:
    """The slot, and the key-encryption key that also wraps the holder's signing key."""
    params = KdfParams.fresh(cost)
    kek = derive_key(password, params)
    return _wrap(data_key, kek, slot_id, "password", params), kek


def wrap_with_recovery(data_key: DataKey, recovery_key: str, slot_id: str) -> KeySlot:
    return _wrap(data_key, _recovery_kek(recovery_key), slot_id, "recovery", None)


def recovery_kek(recovery_key: str) -> bytes:
    return _recovery_kek(recovery_key)


def _wrap(
    data_key: DataKey, kek: bytes, slot_id: str, kind: str, params: KdfParams | None
) -> KeySlot:
    nonce = os.urandom(12)
    wrapped = AESGCM(kek).encrypt(nonce, data_key.secret, _aad(slot_id, kind, data_key.version))
    return KeySlot(kind, params, nonce, wrapped, data_key.version)


def check_slot(slot: KeySlot) -> KeySlot:
    """A slot read from the file, refused in one sentence when its shape was tampered with."""
    ok = (
        slot.kind in ("password", "recovery")
        and (slot.kdf is not None) == (slot.kind == "password")
        and isinstance(slot.nonce, bytes)
        and len(slot.nonce) == 12
        and isinstance(slot.wrapped, bytes)
        and len(slot.wrapped) == 32 + 16
        and isinstance(slot.key_version, int)
        and 1 <= slot.key_version <= 0xFFFF
    )
    if not ok:
        raise CryptoError("crypto.slot_damaged")
    return slot


def unwrap(slot: KeySlot, secret: str, slot_id: str) -> DataKey:
    """The data key, or CryptoError when the password or recovery key is wrong."""
    return unwrap_with_kek(slot, secret, slot_id)[0]


def unwrap_with_kek(slot: KeySlot, secret: str, slot_id: str) -> tuple[DataKey, bytes]:
    """The data key and the key-encryption key (which also opens the holder's signing key)."""
    if slot.kind == "recovery":
        kek = _recovery_kek(secret)
    elif slot.kdf is not None:
        kek = derive_key(secret, slot.kdf)
    else:
        raise CryptoError("crypto.slot_damaged")
    try:
        raw = AESGCM(kek).decrypt(
            slot.nonce, slot.wrapped, _aad(slot_id, slot.kind, slot.key_version)
        )
    except InvalidTag:
        raise CryptoError("crypto.wrong_secret") from None
    return DataKey(raw, slot.key_version), kek


def new_recovery_key() -> str:
    """160 random bits shown once at init, in groups of four base32 characters."""
    text = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _recovery_kek(recovery_key: str) -> bytes:
    canonical = (
        recovery_key.replace("-", "").replace(" ", "").upper().encode("utf-8", "surrogatepass")
    )
    return _hkdf(canonical, "caseintake/recovery-slot")


def burn_time(password: str, cost: KdfCost = STRONG) -> None:
    """Spend one key derivation at the database's cost, so an unknown user costs what a known
    one does."""
    derive_key(password, KdfParams(salt=b"\0" * 16, cost=cost))
