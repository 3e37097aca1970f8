"""Blind index: a keyed hash of an E.164 phone number, for repeat-caller lookup."""

from __future__ import annotations

import hashlib
import hmac


def blind_index(key: bytes, e164_phone: str) -> str:
    """Hex HMAC-SHA256 of the normalised number; equal numbers give equal indexes."""
    return hmac.new(key, e164_phone.encode("ascii"), hashlib.sha256).hexdigest()


def personal_id_index(key: bytes, personal_id: str) -> str:
    """Hex HMAC-SHA256 of a 12-digit personal identification number, kept apart from the
    phones' indexes by its prefix."""
    return hmac.new(key, b"personal-id|" + personal_id.encode("ascii"), hashlib.sha256).hexdigest()
