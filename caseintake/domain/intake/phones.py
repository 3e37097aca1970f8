"""Phone numbers as operators type them, normalised to E.164 so repeat callers can be linked.

Callers give numbers in every local style (0912 345 678, 84-912-345-678, +84 912.345.678). We
store E.164 (+84912345678) because the caller's phone is matched by a blind index: two spellings
of one number must give one value. Short service numbers (111, 113, 114, 115) stay as dialled:
they have no E.164 form, and libphonenumber's metadata does not list 111.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

DEFAULT_REGION = "VN"
MAX_PHONE_LENGTH = 40  # longer text is not a phone number; also bounds the parser's work

# Tổng đài 111 (child protection), 112 (search and rescue), 113 (police), 114 (fire and
# rescue), 115 (ambulance): Thông tư 22/2014/TT-BTTTT on the national numbering plan [check].
SERVICE_NUMBERS = frozenset({"111", "112", "113", "114", "115"})

_ALLOWED = re.compile(r"[0-9+().\-/\s]+")


@cache
def _lib() -> ModuleType:
    # phonenumbers takes ~40 ms to import; load it on the first number, not at app start.
    import phonenumbers

    return phonenumbers


def normalise_phone(text: object, region: str = DEFAULT_REGION) -> str | None:
    """The number in E.164 (or a service number as dialled); None when it is not a valid number.

    Never raises: anything that is not a string, has letters, or does not parse gives None.
    """
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_PHONE_LENGTH or not _ALLOWED.fullmatch(stripped):
        return None
    return _e164(stripped, region)


@lru_cache(maxsize=64)
def _e164(stripped: str, region: str) -> str | None:
    """libphonenumber's parse costs ~17 µs, and a call's number is looked up as it is typed,
    then again at the save: the last few numbers are kept (a few, as the form's fields hold
    them in memory anyway)."""
    digits = re.sub(r"\D", "", stripped)
    if digits in SERVICE_NUMBERS and not stripped.startswith("+"):
        return digits
    pn = _lib()
    try:
        number = pn.parse(stripped, region)
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(number):
        return None
    return str(pn.format_number(number, pn.PhoneNumberFormat.E164))


def is_valid_phone(text: object, region: str = DEFAULT_REGION) -> bool:
    return normalise_phone(text, region) is not None


def phone_text(stored: str | None) -> str:
    """A stored number as people in Viet Nam read it (+84912345678 -> 0912 345 678); a
    foreign or service number, or one libphonenumber cannot format, as it was stored."""
    if not stored:
        return ""
    if not stored.startswith("+84"):
        return stored
    pn = _lib()
    try:
        shown = str(pn.format_number(pn.parse(stored, None), pn.PhoneNumberFormat.NATIONAL))
    except pn.NumberParseException:
        return stored
    return shown if shown.startswith("0") else stored
