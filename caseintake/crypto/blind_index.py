"""Blind index: a keyed hash of an E.164 phone number, for repeat-caller lookup."""

from __future__ import annotations

import hashlib
import hmac


def blind_index(key: bytes, e164_phone: str) -> str:
    """Hex HMAC-SHA256 of the normalised number; equal numbers give equal indexes."""
    return hmac.new(key, e164_phone.encode("ascii"), hashlib.sha256).hexdigest()
