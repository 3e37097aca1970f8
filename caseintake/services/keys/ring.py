"""Reading and writing key slots rows; the one place that turns rows into KeySlot values.

A row comes from a file an attacker may have written: its KDF parameters, nonce, length and
kind are checked before any derivation runs (issue 10 item 9). A slot a key rotation sealed
(see crypto/slots.py) must carry the signature of a certified, enabled admin or of the recovery
key: someone with the file and no key cannot plant a data key of their own for users to write
under. The slot comes with the newest key version and the older versions wrapped under it, so
the login opens the whole ring, and with a way to re-read them for a session that was already
open when a rotation began.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, object_session

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.kdf import MAX_KDF_JSON as KDF_JSON_LIMIT
from caseintake.crypto.kdf import KdfCost, KdfParams
from caseintake.crypto.key_ring import KeyRing, KeyRingError, RingBlob, open_ring
from caseintake.crypto.keys import DataKey
from caseintake.crypto.slots import (
    KeySlot,
    check_slot,
    grant_public,
    open_sealed_slot,
    recovery_kek,
    seal_slot,
    sealed_slot_payload,
    unwrap_with_kek,
    wrap_with_password_kek,
    wrap_with_recovery,
)
from caseintake.crypto.user_certs import RECOVERY_SIGNER, unwrap_signing_key, wrap_signing_key
from caseintake.store.models import DataKeyRow, KeySlotRow, Meta, User

MAX_KDF_JSON = KDF_JSON_LIMIT


def slot_of(row: KeySlotRow) -> KeySlot:
    """The slot of a row, or CryptoError('crypto.slot_damaged') in one sentence."""
    try:
        if row.kdf is not None and (not isinstance(row.kdf, str) or len(row.kdf) > MAX_KDF_JSON):
            raise CryptoError("crypto.slot_damaged")
        kdf = KdfParams.from_json(json.loads(row.kdf)) if row.kdf is not None else None
    except (ValueError, RecursionError):
        raise CryptoError("crypto.slot_damaged") from None
    sealed = row.sealed_by is not None
    slot = check_slot(KeySlot(row.kind, kdf, row.nonce, row.wrapped, row.key_version, sealed))
    session = object_session(row)
    if session is None:
        return slot
    if sealed:
        _check_seal(session, row)
    newest = int(session.execute(select(Meta.key_version)).scalar_one())
    blobs = tuple(
        RingBlob(int(v), bytes(w))
        for v, w in session.execute(select(DataKeyRow.version, DataKeyRow.wrapped))
    )
    bind = session.get_bind()
    engine = bind.execution_options(caseintake_write=False) if isinstance(bind, Engine) else None
    refresher = _refresher(engine, row.id) if engine is not None else None
    return replace(slot, newest=newest, ring=blobs, refresher=refresher)


def _check_seal(s: Session, row: KeySlotRow) -> None:
    """A sealed slot counts only with the signature of whoever may seal one."""
    from caseintake.services.audit.trust import Anchor, certified

    meta = s.execute(select(Meta.db_id, Meta.trust_anchor)).one()
    if meta.trust_anchor is None:
        return  # a database made before certificates: nothing to check against (as at login)
    anchor = Anchor.from_json(meta.trust_anchor)
    public: bytes | None = None
    if anchor is not None and row.sealed_by == RECOVERY_SIGNER:
        public = anchor.recovery_public
    elif anchor is not None and row.sealed_by is not None:
        signer = s.get(User, row.sealed_by)
        ok = signer is not None and signer.role == "admin" and not signer.disabled
        if ok and signer is not None and certified(s, anchor).get(signer.id, False):
            public = bytes(signer.public_key or b"")
    payload = sealed_slot_payload(meta.db_id, row.id, row.kind, row.key_version, row.wrapped)
    try:
        if public is None or not isinstance(row.seal_sig, bytes):
            raise InvalidSignature
        Ed25519PublicKey.from_public_bytes(public).verify(row.seal_sig, payload)
    except (InvalidSignature, ValueError):
        raise CryptoError("crypto.slot_damaged") from None


def _refresher(engine: Engine, slot_id: str):  # type: ignore[no-untyped-def]
    """Re-read one's own slot after a rotation and open what it seals (see KeyRing.refresh)."""

    def refresh(ring: KeyRing) -> tuple[DataKey, list[DataKey]] | None:
        if ring.grant is None:
            return None
        with Session(engine) as s, s.begin():
            row = s.get(KeySlotRow, slot_id)
            if row is None or row.sealed_by is None:
                return None  # a password changed since: log in again
            slot = slot_of(row)
        if slot.newest is None or slot.key_version != slot.newest:
            return None
        try:
            newest = open_sealed_slot(slot, slot_id, ring.grant)
        except CryptoError:
            return None
        return newest, open_ring(newest, slot.ring)

    return refresh


def current_key(data_key: DataKey) -> DataKey:
    """The newest version a session holds (the key it was given, before any rotation)."""
    return data_key.ring.current if data_key.ring is not None else data_key


def newest_key(s: Session, data_key: DataKey) -> DataKey:
    """The database's newest version, for a slot about to be written: a session that logged
    in before a rotation picks it up first, or is told to log in again."""
    newest = int(s.execute(select(Meta.key_version)).scalar_one())
    key = current_key(data_key)
    if key.version < newest and data_key.ring is not None:
        data_key.ring.refresh()
        key = current_key(data_key)
    if key.version != newest:
        raise KeyRingError("keys.log_in_again")
    return key


def seal_slot_row(
    s: Session, row: KeySlotRow, data_key: DataKey, signer: str, signing: Ed25519PrivateKey
) -> None:
    """A rotation gives a slot the new key without its password, signed by ``signer``."""
    if row.grant_public is None:
        raise CryptoError("crypto.slot_damaged")
    db_id = s.execute(select(Meta.db_id)).scalar_one()
    sealed = seal_slot(data_key, bytes(row.grant_public), row.id, row.kind)
    row.wrapped, row.nonce, row.key_version = sealed, b"\0" * 12, data_key.version
    row.sealed_by = signer
    row.seal_sig = signing.sign(
        sealed_slot_payload(db_id, row.id, row.kind, data_key.version, sealed)
    )


def put_password_slot(
    session: Session,
    data_key: DataKey,
    user_id: str,
    password: str,
    now: datetime,
    cost: KdfCost,
    signing: Ed25519PrivateKey | None = None,
) -> str:
    """Create or replace the user's slot (a password change re-wraps the same data key, and
    the user's signing key with it); returns the slot id."""
    row = session.execute(
        select(KeySlotRow).where(KeySlotRow.user_id == user_id)
    ).scalar_one_or_none()
    slot_id = row.id if row is not None else str(uuid.uuid4())
    slot, kek = wrap_with_password_kek(newest_key(session, data_key), password, slot_id, cost)
    if row is None:
        row = KeySlotRow(id=slot_id, user_id=user_id)
        session.add(row)
    _fill(row, slot, now)
    row.grant_public = grant_public(kek)
    row.signing_key = wrap_signing_key(kek, signing, slot_id, user_id) if signing else None
    return slot_id


def put_recovery_slot(
    session: Session,
    data_key: DataKey,
    recovery_key: str,
    now: datetime,
    signing: Ed25519PrivateKey | None = None,
) -> None:
    slot_id = str(uuid.uuid4())
    row = KeySlotRow(id=slot_id, user_id=None)
    _fill(row, wrap_with_recovery(newest_key(session, data_key), recovery_key, slot_id), now)
    kek = recovery_kek(recovery_key)
    row.grant_public = grant_public(kek)
    if signing is not None:
        row.signing_key = wrap_signing_key(kek, signing, slot_id, RECOVERY_SIGNER)
    session.add(row)


def open_recovery_slot(
    slot: KeySlot, slot_id: str, signing_blob: bytes | None, recovery_key: str
) -> tuple[DataKey, Ed25519PrivateKey | None]:
    """The data key the recovery slot wraps, and the recovery signing key when it holds one;
    CryptoError for a wrong recovery key. Takes the row's values so that the key derivation
    runs outside any transaction."""
    data_key, kek = unwrap_with_kek(slot, recovery_key, slot_id)
    if signing_blob is None:
        return data_key, None
    return data_key, unwrap_signing_key(kek, signing_blob, slot_id, RECOVERY_SIGNER)


def _fill(row: KeySlotRow, slot: KeySlot, now: datetime) -> None:
    row.kind = slot.kind
    row.kdf = json.dumps(slot.kdf.to_json()) if slot.kdf else None
    row.nonce = slot.nonce
    row.wrapped = slot.wrapped
    row.key_version = slot.key_version
    row.created_at = now
    row.sealed_by = row.seal_sig = None
