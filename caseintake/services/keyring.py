"""Reading and writing key slots rows; the one place that turns rows into KeySlot values.

A row comes from a file an attacker may have written: its KDF parameters, nonce, length and
kind are checked before any derivation runs (issue 10 item 9).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.kdf import KdfCost, KdfParams
from caseintake.crypto.keys import DataKey
from caseintake.crypto.slots import (
    KeySlot,
    check_slot,
    recovery_kek,
    wrap_with_password_kek,
    wrap_with_recovery,
)
from caseintake.crypto.user_certs import RECOVERY_SIGNER, wrap_signing_key
from caseintake.store.models import KeySlotRow

MAX_KDF_JSON = 1000


def slot_of(row: KeySlotRow) -> KeySlot:
    """The slot of a row, or CryptoError('crypto.slot_damaged') in one sentence."""
    try:
        if row.kdf is not None and (not isinstance(row.kdf, str) or len(row.kdf) > MAX_KDF_JSON):
            raise CryptoError("crypto.slot_damaged")
        kdf = KdfParams.from_json(json.loads(row.kdf)) if row.kdf is not None else None
    except (ValueError, RecursionError):
        raise CryptoError("crypto.slot_damaged") from None
    return check_slot(KeySlot(row.kind, kdf, row.nonce, row.wrapped, row.key_version))


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
    slot, kek = wrap_with_password_kek(data_key, password, slot_id, cost)
    if row is None:
        row = KeySlotRow(id=slot_id, user_id=user_id)
        session.add(row)
    _fill(row, slot, now)
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
    _fill(row, wrap_with_recovery(data_key, recovery_key, slot_id), now)
    if signing is not None:
        kek = recovery_kek(recovery_key)
        row.signing_key = wrap_signing_key(kek, signing, slot_id, RECOVERY_SIGNER)
    session.add(row)


def _fill(row: KeySlotRow, slot: KeySlot, now: datetime) -> None:
    row.kind = slot.kind
    row.kdf = json.dumps(slot.kdf.to_json()) if slot.kdf else None
    row.nonce = slot.nonce
    row.wrapped = slot.wrapped
    row.key_version = slot.key_version
    row.created_at = now
