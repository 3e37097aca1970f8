"""The intake JSON as a JSON Schema (draft 2020-12), generated from the code.

The shape comes from the dataclasses of ``intake.py``, the codes from ``rules/taxonomy.toml``
and the limits from ``field_checks``/``validation``, so a field or code added there appears
here without an edit. ``parse_intake`` stays the authority: the schema documents the shape for
integrations (``caseintake intake --schema``) and cannot say everything validation checks (a
commune must lie in its province; an old commune code that was split is refused).

A field is given the codes of the taxonomy kind named ``<owner>_<field>`` (``caller_age_group``
for ``Caller.age_group``), else ``<field>`` (``sex``), else ``<field>`` without its plural
``s`` (``concerns`` -> ``concern``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.intake.field_checks import (
    MAX_ADDRESS,
    MAX_AGE,
    MAX_CASE_REF,
    MAX_DURATION,
    MAX_LONG_TEXT,
    MAX_NAME,
)
from caseintake.domain.intake.record import Intake
from caseintake.domain.intake.validation import CASE_DATA_FIELDS, MAX_LIST

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:caseintake:intake"
# Validation accepts an ISO 8601 date and time; without an offset it is Viet Nam time (UTC+7).
TIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"

_TEXT_LIMITS = {
    "Caller.name": MAX_NAME,
    "Child.name": MAX_NAME,
    "Child.address": MAX_ADDRESS,
    "Perpetrator.name": MAX_NAME,
    "Intake.narrative": MAX_LONG_TEXT,
    "Intake.notes": MAX_LONG_TEXT,
    "Intake.case_id": MAX_CASE_REF,
}
_INT_RANGES = {"Child.age": (0, MAX_AGE), "Intake.duration_seconds": (0, MAX_DURATION)}
_DESCRIPTIONS = {
    "Intake": "One contact with the hotline, as the TUI form, `caseintake intake` and "
    "integrations record it. Every field but received_at and contact_type may be left out "
    "or null.",
    "Intake.received_at": "When the contact began: ISO 8601 date and time; without an offset "
    "it is Viet Nam time (UTC+7). Not before 2000, not in the future.",
    "Intake.line": "The national hotline 111 or a provincial line.",
    "Intake.counselling_topics": "For counselling and information contacts.",
    "Intake.narrative": "What the caller said, in their words (stored encrypted).",
    "Intake.notes": "The operator's notes (stored encrypted); the first note of the case.",
    "Intake.case_id": "Link this contact to an existing case (its id) instead of opening one.",
    "Intake.crime_signs": "What the operator heard that is a sign of a crime (Bộ luật Tố tụng "
    "hình sự 2015 Arts. 144–145): reported to the police, or the Procuracy for violence by "
    "officials, at once. Routing also infers signs from the concerns, setting, perpetrators, "
    "ages and special circumstances. Left out in files made before it existed.",
    "Intake.immediate_danger": "The child is in danger now: emergency actions during the call.",
    "Caller.phone": "As typed; Vietnamese numbers are normalised to E.164.",
    "Caller.age_group": "The caller's own age group, for statistics.",
    "Caller.sex": "The caller's own sex, for statistics.",
    "Child.age": f"Whole years, 0 to {MAX_AGE}; null when not known.",
    "Child.personal_id": "The child's personal identification number (mã định danh cá nhân): "
    "12 digits, province of birth registration, century and sex, year of birth, serial "
    "(Nghị định 137/2015/NĐ-CP Art. 13; Thông tư 59/2021/TT-BCA Art. 7); stored encrypted, "
    "checked against the child's sex and age when given.",
    "Location.province_code": "One of today's 34 provinces (Nghị quyết 202/2025/QH15).",
    "Location.ward_code": "Today's commune code; an old code that went whole to one commune "
    "is mapped. With no province_code, the commune names its province.",
}


def intake_schema() -> dict[str, Any]:
    """The JSON Schema of the intake JSON; a new dict on each call."""
    defs: dict[str, Any] = {}
    root = _object(Intake, defs)
    non_data = [c for c in taxonomy.ordered_codes("contact_type") if c in _non_data()]
    empty_list = {"anyOf": [{"type": "null"}, {"type": "array", "maxItems": 0}]}
    not_here: dict[str, Any] = {name: empty_list for name in CASE_DATA_FIELDS}
    not_here["setting"] = {"type": "null"}
    not_here["narrative"] = {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 0}]}
    not_here["immediate_danger"] = {"enum": [None, False]}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "caseintake intake",
        **root,
        "allOf": [
            {  # counted as contacts, but carry no case (CHI data framework; DESIGN §3)
                "if": {
                    "required": ["contact_type"],
                    "properties": {"contact_type": {"enum": non_data}},
                },
                "then": {"properties": not_here},
            },
            {  # Decree 56/2017 Mẫu 01: a report says what it is about
                "if": {
                    "required": ["contact_type"],
                    "properties": {"contact_type": {"const": "report"}},
                },
                "then": {
                    "required": ["concerns"],
                    "properties": {"concerns": {"type": "array", "minItems": 1}},
                },
            },
        ],
        "$defs": defs,
    }


def _non_data() -> frozenset[str]:
    return taxonomy.non_data_contact_types()


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    owner = cls.__name__
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        path = f"{owner}.{f.name}"
        has_default = f.default is not dataclasses.MISSING
        if not has_default and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
        prop = _value(owner, f.name, hints[f.name], defs)
        if f.name not in required:
            prop = _nullable(prop)
        if has_default and f.default is not None:
            prop["default"] = list(f.default) if isinstance(f.default, tuple) else f.default
        if path in _DESCRIPTIONS:
            prop["description"] = _DESCRIPTIONS[path]
        properties[f.name] = prop
    out: dict[str, Any] = {"type": "object"}
    if owner in _DESCRIPTIONS:
        out["description"] = _DESCRIPTIONS[owner]
    out["properties"] = properties
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _value(owner: str, name: str, hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of one field's value (without null; the caller adds it)."""
    path = f"{owner}.{name}"
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return _value(owner, name, args[0], defs)
    if typing.get_origin(hint) is tuple:
        item = _value(owner, name, args[0], defs)
        return {"type": "array", "items": item, "maxItems": MAX_LIST}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if hint.__name__ not in defs:
            defs[hint.__name__] = _object(hint, defs)
        return {"$ref": f"#/$defs/{hint.__name__}"}
    if hint is datetime:
        return {"type": "string", "minLength": 16, "maxLength": 40, "pattern": TIME_PATTERN}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        out: dict[str, Any] = {"type": "integer"}
        if path in _INT_RANGES:
            out["minimum"], out["maximum"] = _INT_RANGES[path]
        if name == "province_code":
            out["enum"] = [p.code for p in geography.provinces()]
        return out
    if hint is str:
        kind = code_kind(owner, name)
        if kind is not None:
            return {"type": "string", "enum": list(taxonomy.ordered_codes(kind))}
        text: dict[str, Any] = {"type": "string"}
        if path == "Child.personal_id":  # typed with spaces, dots or dashes is accepted too
            text["pattern"], text["maxLength"] = r"^[0-9 .\-]*$", 40
        if path in _TEXT_LIMITS:
            text["maxLength"] = _TEXT_LIMITS[path]
        return text
    raise TypeError(f"no JSON Schema for {path}: {hint!r}")


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        return {"anyOf": [prop, {"type": "null"}]}
    if "enum" in prop:
        return {**prop, "type": [prop["type"], "null"], "enum": [*prop["enum"], None]}
    return {**prop, "type": [prop["type"], "null"]}


def code_kind(owner: str, name: str) -> str | None:
    """The taxonomy kind whose codes the field ``owner.name`` takes, or None for free values."""
    kinds = taxonomy.kinds()
    candidates = [name, name.removesuffix("s")]
    if owner != "Intake":
        candidates.insert(0, f"{owner.lower()}_{name}")
    return next((k for k in candidates if k in kinds), None)
