"""Intake validation, defined once for JSON intake, the CLI and the TUI (STYLE §6).

``parse_intake`` turns JSON-like data into an ``Intake`` or raises ``IntakeInvalid`` listing
every rejected field with its path (``children[0].age``, ``location.ward_code``). Field checks
live in ``field_checks``; this module walks the shape and adds the rules that join fields.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar
from weakref import WeakValueDictionary

from caseintake.domain.errors import FieldError, IntakeInvalid
from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.intake.field_checks import (
    MAX_ADDRESS,
    MAX_CASE_REF,
    MAX_LONG_TEXT,
    MAX_NAME,
    FieldRejected,
    check_age,
    check_bool,
    check_code,
    check_duration,
    check_optional_text,
    check_phone,
    check_province_code,
    check_received_at,
    check_text,
    check_ward_code,
    echo,
    validate_field,
)
from caseintake.domain.intake.personal_id import check_personal_id, pin_disagrees
from caseintake.domain.intake.record import Caller, Child, Intake, Location, Perpetrator

# The field checks are re-exported so the TUI wraps them from one place (STYLE §6).
__all__ = [
    "MAX_LIST",
    "FieldRejected",
    "check_age",
    "check_code",
    "check_duration",
    "check_phone",
    "check_province_code",
    "check_received_at",
    "check_text",
    "check_ward_code",
    "parse_intake",
    "validate_field",
]

T = TypeVar("T")
MAX_LIST = 20  # children, perpetrators, concerns, topics, circumstances per contact

INTAKE_KEYS = frozenset(Intake.__dataclass_fields__)
CALLER_KEYS = frozenset(Caller.__dataclass_fields__)
VIET_NAM = timezone(timedelta(hours=7))  # the year of a call is the year in Viet Nam
CHILD_KEYS = frozenset(Child.__dataclass_fields__)
PERPETRATOR_KEYS = frozenset(Perpetrator.__dataclass_fields__)
LOCATION_KEYS = frozenset(Location.__dataclass_fields__)
# Fields a non-data contact (silent, hang-up, prank, wrong number, thanks) must leave empty:
# such contacts are counted, but carry no case (CHI data framework; DESIGN §3).
CASE_DATA_FIELDS = (
    "children",
    "perpetrators",
    "concerns",
    "crime_signs",
    "counselling_topics",
    "setting",
)


class _Errors:
    """Collects every problem so the caller sees all of them at once."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, path: str, key: str, **params: object) -> None:
        self.items.append(FieldError(path, f"validation.{key}", params))

    def check(self, path: str, fn: Callable[[object], T], value: object, default: T) -> T:
        try:
            return fn(value)
        except FieldRejected as rejected:
            self.items.append(rejected.at(path))
            return default

    def object_at(self, path: str, value: object, keys: frozenset[str]) -> dict[str, Any]:
        """The value as a dict with unknown keys reported; an empty dict when it is not one."""
        if not isinstance(value, dict):
            self.add(path, "not_object")
            return {}
        for key in value:
            if key not in keys:
                self.add(_key_path(path, key), "unknown_key")
        return value


def _key_path(path: str, key: object) -> str:
    """``caller.nmae`` for a plain key; ``caller[""]`` or ``$[3]`` for keys that are not names."""
    if isinstance(key, str) and key.isidentifier() and key.isascii():
        return key if path == "$" else f"{path}.{key}"
    shown = json.dumps(key, ensure_ascii=False) if isinstance(key, str) else repr(key)
    return f"{path}[{echo(shown)}]"


def _list(errors: _Errors, path: str, value: object) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        errors.add(path, "not_list")
        return []
    if len(value) > MAX_LIST:
        errors.add(path, "too_many", max=MAX_LIST)
        return []
    return list(value)


def _codes(errors: _Errors, path: str, kind: str, value: object) -> tuple[str, ...]:
    """A list of codes, each checked, duplicates dropped (a category counts once per contact)."""
    out: dict[str, None] = {}
    for i, item in enumerate(_list(errors, path, value)):
        code = errors.check(f"{path}[{i}]", lambda v: check_code(kind, v), item, None)
        if code is not None:
            out[code] = None
    return tuple(out)


def _text(errors: _Errors, path: str, value: object, limit: int, multiline: bool) -> str | None:
    return errors.check(
        path,
        lambda v: check_optional_text(v, max_length=limit, multiline=multiline),
        value,
        None,
    )


def _code_or(errors: _Errors, path: str, kind: str, value: object, default: str) -> str:
    if value is None:
        return default
    return errors.check(path, lambda v: check_code(kind, v), value, default)


def _caller(errors: _Errors, value: object) -> Caller:
    if value is None:
        return Caller()
    data = errors.object_at("caller", value, CALLER_KEYS)
    relationship = data.get("relationship")
    return Caller(
        relationship=_code_or(
            errors, "caller.relationship", "caller_relationship", relationship, Caller.relationship
        ),
        name=_text(errors, "caller.name", data.get("name"), MAX_NAME, False),
        phone=errors.check("caller.phone", check_phone, data.get("phone"), None),
        age_group=_optional_code(errors, "caller.age_group", "caller_age_group", data),
        sex=_optional_code(errors, "caller.sex", "sex", data),
    )


def _optional_code(errors: _Errors, path: str, kind: str, data: dict[str, Any]) -> str | None:
    value = data.get(path.rsplit(".", 1)[1])
    return None if value is None else errors.check(path, lambda v: check_code(kind, v), value, None)


def _child(errors: _Errors, path: str, value: object) -> Child:
    data = errors.object_at(path, value, CHILD_KEYS)
    disability = data.get("disability")
    return Child(
        age=errors.check(f"{path}.age", check_age, data.get("age"), None),
        age_basis=_code_or(
            errors, f"{path}.age_basis", "age_basis", data.get("age_basis"), Child.age_basis
        ),
        sex=_code_or(errors, f"{path}.sex", "sex", data.get("sex"), Child.sex),
        ethnicity=_code_or(
            errors, f"{path}.ethnicity", "ethnicity", data.get("ethnicity"), Child.ethnicity
        ),
        disability=False
        if disability is None
        else errors.check(f"{path}.disability", check_bool, disability, False),
        special_circumstances=_codes(
            errors,
            f"{path}.special_circumstances",
            "special_circumstance",
            data.get("special_circumstances"),
        ),
        name=_text(errors, f"{path}.name", data.get("name"), MAX_NAME, False),
        address=_text(errors, f"{path}.address", data.get("address"), MAX_ADDRESS, True),
        personal_id=errors.check(
            f"{path}.personal_id", check_personal_id, data.get("personal_id"), None
        ),
    )


def _personal_ids(errors: _Errors, children: tuple[Child, ...], received_at: datetime) -> None:
    """Each child's number against their sex and age on the day of the call."""
    year = received_at.astimezone(VIET_NAM).year
    for i, child in enumerate(children):
        if child.personal_id is not None:
            problem = pin_disagrees(child.personal_id, child.sex, child.age, child.age_basis, year)
            if problem is not None:
                errors.items.append(problem.at(f"children[{i}].personal_id"))


def _perpetrator(errors: _Errors, path: str, value: object) -> Perpetrator:
    data = errors.object_at(path, value, PERPETRATOR_KEYS)
    kind, relationship = "perpetrator_relationship", data.get("relationship")
    return Perpetrator(
        relationship=_code_or(
            errors, f"{path}.relationship", kind, relationship, Perpetrator.relationship
        ),
        name=_text(errors, f"{path}.name", data.get("name"), MAX_NAME, False),
    )


def _location(errors: _Errors, value: object) -> Location:
    """Province and commune of today's map; the commune must lie in the province."""
    if value is None:
        return Location()
    data = errors.object_at("location", value, LOCATION_KEYS)
    province = errors.check(
        "location.province_code", check_province_code, data.get("province_code"), None
    )
    ward_code = errors.check("location.ward_code", check_ward_code, data.get("ward_code"), None)
    ward = geography.ward(ward_code)
    if ward is not None and province is None and data.get("province_code") is None:
        province = ward.province_code  # a commune names its province since 2025: no districts
    elif ward is not None and province is not None and ward.province_code != province:
        in_province = geography.province(province)
        errors.add(
            "location.ward_code",
            "ward_not_in_province",
            ward=ward.name,
            province=in_province.name if in_province else province,
        )
        ward_code = None
    return Location(province_code=province, ward_code=ward_code)


def _items(
    errors: _Errors, path: str, value: object, build: Callable[[str, object], T]
) -> tuple[T, ...]:
    return tuple(build(f"{path}[{i}]", item) for i, item in enumerate(_list(errors, path, value)))


def parse_intake(data: object, now: datetime | None = None) -> Intake:
    """The intake in ``data`` (a JSON object), or ``IntakeInvalid`` naming every bad field."""
    errors = _Errors()
    raw = errors.object_at("$", data, INTAKE_KEYS)
    received_at: datetime | None = None
    contact_type = ""
    if isinstance(data, dict):
        if raw.get("received_at") is None:
            errors.add("received_at", "required")
        else:
            check_time = lambda v: check_received_at(v, now)  # noqa: E731
            received_at = errors.check("received_at", check_time, raw["received_at"], None)
        if raw.get("contact_type") is None:
            errors.add("contact_type", "required")
        else:
            contact_type = _code_or(errors, "contact_type", "contact_type", raw["contact_type"], "")
    duration = raw.get("duration_seconds")
    intake_fields: dict[str, Any] = {
        "channel": _code_or(errors, "channel", "channel", raw.get("channel"), Intake.channel),
        "line": _code_or(errors, "line", "line", raw.get("line"), Intake.line),
        "duration_seconds": errors.check("duration_seconds", check_duration, duration, None),
        "counselling_topics": _codes(
            errors, "counselling_topics", "counselling_topic", raw.get("counselling_topics")
        ),
        "caller": _caller(errors, raw.get("caller")),
        "children": _items(
            errors, "children", raw.get("children"), lambda p, v: _child(errors, p, v)
        ),
        "location": _location(errors, raw.get("location")),
        "concerns": _codes(errors, "concerns", "concern", raw.get("concerns")),
        # Absent from intake files made before issue 22: no crime sign said (routing infers).
        "crime_signs": _codes(errors, "crime_signs", "crime_sign", raw.get("crime_signs")),
        "setting": None
        if raw.get("setting") is None
        else errors.check("setting", lambda v: check_code("setting", v), raw["setting"], None),
        "perpetrators": _items(
            errors, "perpetrators", raw.get("perpetrators"), lambda p, v: _perpetrator(errors, p, v)
        ),
        "immediate_danger": False
        if raw.get("immediate_danger") is None
        else errors.check("immediate_danger", check_bool, raw["immediate_danger"], False),
        "narrative": _text(errors, "narrative", raw.get("narrative"), MAX_LONG_TEXT, True) or "",
        "notes": _text(errors, "notes", raw.get("notes"), MAX_LONG_TEXT, True) or "",
        "case_id": _text(errors, "case_id", raw.get("case_id"), MAX_CASE_REF, False),
    }
    _cross_checks(errors, contact_type, intake_fields)
    if received_at is not None:
        _personal_ids(errors, intake_fields["children"], received_at)
    if errors.items or received_at is None or not contact_type:
        raise IntakeInvalid(errors.items)
    intake = Intake(received_at=received_at, contact_type=contact_type, **intake_fields)
    _PARSED[id(intake)] = intake
    return intake


# The intakes this module made, by identity: an Intake is immutable all the way down (frozen
# dataclasses, tuples), so one parse holds for good except its time against a later clock.
_PARSED: WeakValueDictionary[int, Intake] = WeakValueDictionary()


def checked_intake(intake: Intake, now: datetime | None = None) -> Intake:
    """``intake`` as ``parse_intake`` would give it at ``now``: an intake that came out of
    ``parse_intake`` has its time checked again (~1 µs, where parsing again costs ~45 µs and
    the save re-checks every intake); any other is parsed from its JSON."""
    if _PARSED.get(id(intake)) is intake:
        try:
            check_received_at(intake.received_at, now)
            return intake
        except FieldRejected:
            pass  # the whole parse says it the usual way
    return parse_intake(intake.to_json(), now=now)


def _cross_checks(errors: _Errors, contact_type: str, fields: dict[str, Any]) -> None:
    if contact_type in taxonomy.non_data_contact_types():
        for name in CASE_DATA_FIELDS:
            if fields[name]:
                errors.add(name, "non_data_field")
        if fields["narrative"]:
            errors.add("narrative", "non_data_field")
        if fields["immediate_danger"]:
            errors.add("immediate_danger", "non_data_field")
    # Decree 56/2017 Mẫu 01 records what the report is about: a report without a concern
    # cannot be routed. Only said when the list itself was not already rejected.
    if contact_type == "report" and not fields["concerns"] and not _has_error(errors, "concerns"):
        errors.add("concerns", "report_needs_concern")


def _has_error(errors: _Errors, path: str) -> bool:
    return any(e.field == path or e.field.startswith(f"{path}[") for e in errors.items)
