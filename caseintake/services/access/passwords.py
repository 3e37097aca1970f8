"""Password rules and one-time passwords.

Strength is judged by zxcvbn (Dropbox's estimator, maintained on PyPI): a password must reach
score 3 ("safely unguessable": about 10^8 guesses or more), which at the key slots' cost of
about half a second per guess and per core is years of work offline (issue 10 item 7). The
refusal names what makes it weak (a repeat, a common word, a keyboard row, a date...).
"""

from __future__ import annotations

import secrets
import unicodedata

from caseintake.domain.errors import DomainError
from caseintake.domain.user_names import password_holds_name

MIN_LENGTH = 10
MAX_LENGTH = 1024
MIN_SCORE = 3
_ESTIMATED = 72  # zxcvbn's own limit; the rest of a longer passphrase only adds strength
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
_WEAKNESS = {
    "repeat": "auth.weak_repeat",
    "sequence": "auth.weak_sequence",
    "dictionary": "auth.weak_common",
    "spatial": "auth.weak_keyboard",
    "date": "auth.weak_date",
}


def check_new_password(name: str, new: str, current: str | None = None) -> None:
    if len(new) < MIN_LENGTH:
        raise DomainError("auth.password_short", n=MIN_LENGTH)
    if len(new) > MAX_LENGTH:
        raise DomainError("auth.password_long", n=MAX_LENGTH)
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in new):
        raise DomainError("auth.password_control")
    if new.strip().lower() == name.strip().lower():
        raise DomainError("auth.password_is_name")
    if password_holds_name(name, new):  # issue 20 item 3
        raise DomainError("access_checks.password_has_name", name=name)
    if current is not None and new == current:
        raise DomainError("auth.password_same")
    _check_strength(name, new)


def _check_strength(name: str, new: str) -> None:
    from zxcvbn import zxcvbn  # loaded on first use: keeps it off the login screen's start-up

    result = zxcvbn(new[:_ESTIMATED], user_inputs=[name, "caseintake", "tongdai111"])
    if result["score"] >= MIN_SCORE:
        return
    patterns = [m.get("pattern") for m in result.get("sequence", [])]
    raise DomainError(next((_WEAKNESS[p] for p in patterns if p in _WEAKNESS), "auth.weak_other"))


def one_time_password() -> str:
    """Fourteen characters without look-alikes, easy to read out over the phone."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(14))
