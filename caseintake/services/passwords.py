"""Password rules and one-time passwords."""

from __future__ import annotations

import secrets

from caseintake.domain.errors import DomainError

MIN_LENGTH = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


def check_new_password(name: str, new: str, current: str | None = None) -> None:
    if len(new) < MIN_LENGTH:
        raise DomainError("auth.password_short", n=MIN_LENGTH)
    if new.strip().lower() == name.strip().lower():
        raise DomainError("auth.password_is_name")
    if current is not None and new == current:
        raise DomainError("auth.password_same")
    if any(ord(c) < 32 for c in new):
        raise DomainError("auth.password_control")


def one_time_password() -> str:
    """Fourteen characters without look-alikes, easy to read out over the phone."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(14))
