"""Checks of single intake fields, shared by JSON intake, the CLI and the TUI (STYLE §6).

Each ``check_*`` returns the cleaned value or raises ``FieldRejected`` with a message key of
the ``[validation]`` catalogue. ``validation.parse_intake`` runs them over a whole intake;
``validate_field`` runs one of them on the text of a form input, for live feedback.
Messages never repeat the personal data that was rejected (names, phones, narratives).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from importlib import resources
from typing import TypeGuard

from caseintake.domain.errors import FieldError
from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.intake.phones import normalise_phone

# Viet Nam keeps UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact
# and needs no tz database on the operator's machine.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
MAX_FUTURE = timedelta(minutes=5)  # clock skew between an integration and this machine
EARLIEST_RECEIVED = datetime(2000, 1, 1, tzinfo=VIETNAM_TIME)  # catches typed years like 0202
MAX_AGE = 17  # the hotline logs people under 18; "trẻ em" is under 16 (Luật Trẻ em 2016 Art. 1)
MAX_DURATION = 86_400
MAX_NAME = 200
MAX_ADDRESS = 500
MAX_LONG_TEXT = 20_000  # narrative and notes
MAX_CASE_REF = 64
MAX_ECHO = 40  # how much of a rejected code a message repeats

_ALLOWED_CONTROLS = frozenset("\n\t")
# Bidirectional embeddings, overrides and isolates reorder what the screen shows (a name or
# note that reads differently from what is stored), and line/paragraph separators break lines
# where a single line is promised: refused like control characters (issue 10 item 8).
_SPOOFING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
_FORM_INTEGER = re.compile(r"-?[0-9]{1,18}")


class FieldRejected(Exception):
    """One field's value is refused: a ``validation.*`` message key and its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = f"validation.{key}"
        self.params = params

    def at(self, path: str) -> FieldError:
        return FieldError(path, self.key, dict(self.params))


def echo(value: object) -> str:
    """A short printable rendering of a rejected code, safe to put in a message."""
    text = value if isinstance(value, str) else repr(value)
    clean = "".join(ch if ch.isprintable() else "?" for ch in text[: MAX_ECHO + 1])
    return clean if len(clean) <= MAX_ECHO else clean[: MAX_ECHO - 1] + "…"


def is_int(value: object) -> TypeGuard[int]:
    """JSON integers only: ``True`` is a bool, not the number 1."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_text(value: object, *, max_length: int, multiline: bool) -> str:
    """Text stripped of surrounding space; control characters other than newline/tab refused."""
    if not isinstance(value, str):
        raise FieldRejected("not_text")
    # NFC: an input method may send "a" + combining marks where another sends "ắ"; both are stored
    # (and so found and counted) as the one composed form.
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs":
            raise FieldRejected("bad_character")
        if (category == "Cc" and ch not in _ALLOWED_CONTROLS) or ch in _SPOOFING:
            raise FieldRejected("control_character")
        if not multiline and ch in _ALLOWED_CONTROLS:
            raise FieldRejected("single_line")
    if len(text) > max_length:
        raise FieldRejected("too_long", max=max_length)
    return text


def check_optional_text(value: object, *, max_length: int, multiline: bool) -> str | None:
    if value is None:
        return None
    return check_text(value, max_length=max_length, multiline=multiline) or None


def check_code(kind: str, value: object) -> str:
    """A code of the taxonomy kind ``kind`` (concern sub-types such as violence.physical too)."""
    if not isinstance(value, str):
        raise FieldRejected("not_code")
    if not taxonomy.is_code(kind, value):
        raise FieldRejected("unknown_code", value=echo(value))
    return value


def check_age(value: object) -> int | None:
    """Age in whole years, 0–17, or None when not known."""
    if value is None:
        return None
    if not is_int(value):
        raise FieldRejected("not_integer")
    if value < 0:
        raise FieldRejected("age_negative")
    if value > MAX_AGE:
        raise FieldRejected("age_adult", value=value)
    return value


def check_duration(value: object) -> int | None:
    if value is None:
        return None
    if not is_int(value):
        raise FieldRejected("not_integer")
    if not 0 <= value <= MAX_DURATION:
        raise FieldRejected("duration_range", max=MAX_DURATION)
    return value


def check_phone(value: object) -> str | None:
    """The phone in E.164 (service numbers as dialled), None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise FieldRejected("not_text")
    normalised = normalise_phone(value)
    if normalised is None:
        raise FieldRejected("phone_invalid")
    return normalised


def check_province_code(value: object) -> int | None:
    """A province code of today's 34 (Nghị quyết 202/2025/QH15), or None when not known."""
    if value is None:
        return None
    if not is_int(value):
        raise FieldRejected("not_integer")
    if geography.province(value) is None:
        raise FieldRejected("province_unknown", value=value)
    return value


def check_ward_code(value: object) -> int | None:
    """Today's commune code; a pre-2025 code is mapped when it went whole to one new commune."""
    if value is None:
        return None
    if not is_int(value):
        raise FieldRejected("not_integer")
    if geography.ward(value) is not None:
        return value
    legacy = geography.resolve_legacy_ward(value)
    if legacy is None:
        raise FieldRejected("ward_unknown", value=value)
    if legacy.is_split:
        names = ", ".join(w.name for c in legacy.new_codes if (w := geography.ward(c)))
        raise FieldRejected("ward_split", old=legacy.old_name, options=names)
    return legacy.new_codes[0]


def check_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldRejected("not_boolean")
    return value


def check_received_at(value: object, now: datetime | None = None) -> datetime:
    """ISO 8601 date and time; a time without offset is Viet Nam time; not in the future."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and 16 <= len(value.strip()) <= 40:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise FieldRejected("not_iso_time") from None
    else:
        raise FieldRejected("not_iso_time")
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=VIETNAM_TIME)
    reference = now or datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=VIETNAM_TIME)
    try:
        too_early = moment < EARLIEST_RECEIVED
        too_late = moment > reference + MAX_FUTURE
    except OverflowError:
        raise FieldRejected("not_iso_time") from None
    if too_early:
        raise FieldRejected("time_too_early", year=EARLIEST_RECEIVED.year)
    if too_late:
        raise FieldRejected("time_in_future", minutes=int(MAX_FUTURE.total_seconds() // 60))
    return moment


PERSONAL_ID_LENGTH = 12


@cache
def personal_id_provinces() -> frozenset[int]:
    text = resources.files("caseintake.rules").joinpath("personal_id.toml").read_text("utf-8")
    return frozenset(int(c) for c in tomllib.loads(text)["province_codes"])


def check_personal_id(value: object) -> str | None:
    """Twelve digits with a known province code, or None when not given; spaces, dots and
    dashes as typed are dropped."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldRejected("pin_format")
    digits = "".join(c for c in value if c not in " .-")
    if not digits:
        return None
    if len(digits) != PERSONAL_ID_LENGTH or not digits.isascii() or not digits.isdigit():
        raise FieldRejected("pin_format")
    if int(digits[:3]) not in personal_id_provinces():
        raise FieldRejected("pin_province", code=digits[:3])
    return digits


def _from_form(kind: str, text: str) -> object:
    """Form inputs hold text: turn the digits of a number field into an int, blanks into None."""
    stripped = text.strip()
    if kind in {"age", "duration_seconds", "province_code", "ward_code"}:
        if not stripped:
            return None
        return int(stripped) if _FORM_INTEGER.fullmatch(stripped) else text
    return text


def validate_field(kind: str, value: str, path: str | None = None) -> FieldError | None:
    """Live check of one form input: None when it is acceptable, else the error to show.

    ``kind`` is ``age``, ``phone``, ``name``, ``address``, ``narrative``, ``notes``,
    ``duration_seconds``, ``received_at``, ``case_id``, ``province_code``, ``ward_code``, or
    any taxonomy kind (``sex``, ``concern``...). ``parse_intake`` also checks that the
    commune lies in the province.
    """
    field = path or kind
    converted = _from_form(kind, value)
    try:
        if kind == "age":
            check_age(converted)
        elif kind == "duration_seconds":
            check_duration(converted)
        elif kind == "phone":
            check_phone(converted)
        elif kind == "name":
            check_text(converted, max_length=MAX_NAME, multiline=False)
        elif kind == "case_id":
            check_text(converted, max_length=MAX_CASE_REF, multiline=False)
        elif kind == "address":
            check_text(converted, max_length=MAX_ADDRESS, multiline=True)
        elif kind in {"narrative", "notes"}:
            check_text(converted, max_length=MAX_LONG_TEXT, multiline=True)
        elif kind == "province_code":
            check_province_code(converted)
        elif kind == "ward_code":
            check_ward_code(converted)
        elif kind == "received_at":
            check_received_at(converted)
        elif kind == "personal_id":
            check_personal_id(converted)
        elif kind in taxonomy.kinds():
            check_code(kind, converted)
        else:
            raise ValueError(f"no field check for {kind!r}")
    except FieldRejected as rejected:
        return rejected.at(field)
    return None
