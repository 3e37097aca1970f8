"""Key slots: the data key wrapped (AES-GCM) under a key derived from a password or recovery key.

A key rotation cannot derive a slot's key-encryption key (it does not know the password), yet
every slot must open the new data key at once. So each slot also publishes a *grant key*: an
X25519 public key whose private half is derived from the slot's key-encryption key. The
rotation seals the new data key to it (a *sealed* slot, signed by the rotating admin, checked
by ``services/keys/ring.py``), and the holder opens it with the same password as before. The
next password change writes a plain AES-GCM slot again.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.kdf import BURN_SALT, STRONG, KdfCost, KdfParams, derive_key
from caseintake.crypto.key_ring import KeyRing, KeyRingError, Refresher, RingBlob, open_ring
from caseintake.crypto.keys import DATA_KEY_BYTES, DataKey, _hkdf
from caseintake.crypto.sealing import open_sealed, public_bytes, seal

SLOT_FORMAT = 1
SEALED_BYTES = 32 + 12 + DATA_KEY_BYTES + 16  # ephemeral key, nonce, key, tag


@dataclass(frozen=True)
class KeySlot:
    """What the database stores for one holder of the data key."""

    kind: str  # "password" or "recovery"
    kdf: KdfParams | None  # None for the recovery slot: its secret is already full-entropy
    nonce: bytes
    wrapped: bytes
    key_version: int
    sealed: bool = False  # wrapped by a rotation to the slot's grant key (see the docstring)
    # What the file said besides the slot (set by services/keys/ring.py): the newest version,
    # the older versions wrapped under it, and how to re-read all that later.
    newest: int | None = None
    ring: tuple[RingBlob, ...] = ()
    refresher: Refresher | None = field(default=None, compare=False, repr=False)


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
        and len(slot.wrapped) == (SEALED_BYTES if slot.sealed else 32 + 16)
        and isinstance(slot.key_version, int)
        and 1 <= slot.key_version <= 0xFFFF
    )
    if not ok:
        raise CryptoError("crypto.slot_damaged")
    return slot


def unwrap(slot: KeySlot, secret: str, slot_id: str) -> DataKey:
    """The data key, or CryptoError when the password or recovery key is wrong."""
    return unwrap_with_kek(slot, secret, slot_id)[0]


def unwrap_with_kek(
    slot: KeySlot, secret: str, slot_id: str, derived: bytes | None = None
) -> tuple[DataKey, bytes]:
    """The data key and the key-encryption key (which also opens the holder's signing key).
    ``derived``: the key-encryption key already derived from ``secret`` with ``slot.kdf``
    (a login's early derivation, ``services/access/early_login.py``).

    When the slot came with the ring (``slot.newest`` set), the key returned is the newest
    version with every older one attached; a slot left at an older version than the newest
    (a user disabled during a rotation) is refused once its password is shown to be right."""
    if slot.kind == "recovery":
        kek = _recovery_kek(secret)
    elif slot.kdf is not None:
        kek = derived if derived is not None else derive_key(secret, slot.kdf)
    else:
        raise CryptoError("crypto.slot_damaged")
    if slot.sealed:
        try:
            key = open_sealed_slot(slot, slot_id, grant_private(kek))
        except CryptoError:
            raise CryptoError("crypto.wrong_secret") from None
    else:
        try:
            raw = AESGCM(kek).decrypt(
                slot.nonce, slot.wrapped, _aad(slot_id, slot.kind, slot.key_version)
            )
        except InvalidTag:
            raise CryptoError("crypto.wrong_secret") from None
        key = DataKey(raw, slot.key_version)
    if slot.newest is None:
        return key, kek
    if key.version != slot.newest:
        raise KeyRingError("keys.slot_outdated")
    ring = KeyRing(open_ring(key, slot.ring), grant_private(kek), slot.refresher)
    return ring.current, kek


def grant_private(kek: bytes) -> X25519PrivateKey:
    """The slot's grant key, derived from its key-encryption key: only the holder has it."""
    return X25519PrivateKey.from_private_bytes(_hkdf(kek, "caseintake/slot-grant"))


def grant_public(kek: bytes) -> bytes:
    return public_bytes(grant_private(kek))


def _sealed_context(slot_id: str, kind: str, version: int) -> str:
    return f"caseintake/sealed-slot/{SLOT_FORMAT}|{slot_id}|{kind}|{version}"


def seal_slot(data_key: DataKey, grant: bytes, slot_id: str, kind: str) -> bytes:
    """A rotation's new key for a slot whose password it does not know."""
    return seal(grant, data_key.secret, _sealed_context(slot_id, kind, data_key.version))


def open_sealed_slot(slot: KeySlot, slot_id: str, grant: X25519PrivateKey) -> DataKey:
    context = _sealed_context(slot_id, slot.kind, slot.key_version)
    return DataKey(open_sealed(grant, slot.wrapped, context), slot.key_version)


def sealed_slot_payload(db_id: str, slot_id: str, kind: str, version: int, sealed: bytes) -> bytes:
    """What the sealing admin signs: this slot of this database holds this sealed key."""
    digest = hashlib.sha256(sealed).hexdigest()
    return f"caseintake/sealed-slot-sig/1|{db_id}|{slot_id}|{kind}|{version}|{digest}".encode()


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
    derive_key(password, KdfParams(salt=BURN_SALT, cost=cost))
