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
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise DomainError("handoff.error.not_canonical") from None


def parse(data: bytes) -> Any:
    """The value of canonical bytes; anything else (other spacing or order, a duplicate key,
    a float, bad UTF-8) raises a DomainError."""
    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_float=_no_float,
            parse_constant=_no_float,
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DomainError("handoff.error.not_canonical") from None
    if canonical(value) != data:
        raise DomainError("handoff.error.not_canonical")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")
    return out


def _no_float(text: str) -> Any:
    raise ValueError(f"not in the subset: {text}")


def _check(value: Any, depth: int) -> None:
    if depth > _DEPTH:
        raise DomainError("handoff.error.not_canonical")
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise DomainError("handoff.error.not_canonical")
        return
    if isinstance(value, list):
        for item in value:
            _check(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise DomainError("handoff.error.not_canonical")
            _check(item, depth + 1)
        return
    raise DomainError("handoff.error.not_canonical")
