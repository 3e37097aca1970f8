"""Canonical JSON for what is signed: the RFC 8785 (JCS) rules on a subset of JSON.

The subset: objects with ASCII keys, arrays, strings, integers within ±(2**53 - 1), true, false
and null; no floats (nothing in a hand-off needs one, and JCS's number form is where
implementations differ). On that subset JCS is: keys sorted (ASCII keys sort the same by UTF-16
code units as by bytes), no whitespace, strings in UTF-8 with only ``"``, ``\\`` and the
control characters U+0000–U+001F escaped (``\\b \\t \\n \\f \\r`` short, the rest ``\\u00xx``).
``parse`` accepts only bytes that are already canonical, so a signature covers one text only.
"""

from __future__ import annotations

import json
from typing import Any

from caseintake.domain.errors import DomainError

MAX_INT = 2**53 - 1
_DEPTH = 32


def canonical(value: Any) -> bytes:
    """The canonical bytes of ``value``; a value outside the subset raises a DomainError."""
    _check(value, 0)
    return encode(value)


def encode(value: Any) -> bytes:
    """The canonical bytes of a value already known to be in the subset (one ``parse`` gave)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise DomainError("handoff.error.not_canonical") from None


def parse(data: bytes) -> Any:
    """The value of canonical bytes; anything else (other spacing or order, a duplicate key,
    a float, an integer out of range, bad UTF-8) raises a DomainError."""
    try:
        value = json.loads(
            data.decode("utf-8"), parse_float=_no_float, parse_int=_int, parse_constant=_no_float
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DomainError("handoff.error.not_canonical") from None
    # The hooks saw every number; a duplicate key or any other spacing, order or escaping
    # comes out different when encoded again, so equal bytes are the canonical text.
    if encode(value) != data:
        raise DomainError("handoff.error.not_canonical")
    return value


def _int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INT:
        raise ValueError("integer out of range")
    return value


def _no_float(text: str) -> Any:
    raise ValueError(f"not in the subset: {text}")


def _check(value: Any, depth: int) -> None:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return
    if kind is int:
        if not -MAX_INT <= value <= MAX_INT:
            raise DomainError("handoff.error.not_canonical")
    elif depth >= _DEPTH:
        raise DomainError("handoff.error.not_canonical")
    elif kind is list:
        for item in value:
            _check(item, depth + 1)
    elif kind is dict:
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                raise DomainError("handoff.error.not_canonical")
            _check(item, depth + 1)
    else:
        raise DomainError("handoff.error.not_canonical")
