"""The intake form's values as plain data: form values ⇄ intake JSON ⇄ draft payload.

Pure Python, no Textual: the form widgets read and write these dicts, the screen sends them to
the services, and tests check the conversions without a terminal. Form values keep what the
operator typed even when it is invalid (an age of "9a" stays "9a"), so nothing is lost; the
domain's ``parse_intake`` says what is wrong, and ``routing_intake`` routes on what is right.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from caseintake.domain.intake import field_checks as fc
from caseintake.domain.intake.record import DATA_CONTACT_TYPES, Caller, Child, Intake, Location
from caseintake.domain.intake.record import Perpetrator as Perp

DRAFT_VERSION = 1
_DIGITS = re.compile(r"[0-9]{1,18}")
_INDEX = re.compile(r"^(children|perpetrators)\[(\d+)\]")

Values = dict[str, Any]


def empty_child() -> dict[str, Any]:
    return {
        "age": "",
        "age_basis": "estimated",
        "sex": "unknown",
        "ethnicity": "unknown",
        "disability": False,
        "special_circumstances": [],
        "name": "",
        "address": "",
        "personal_id": "",
    }


def empty_perpetrator() -> dict[str, Any]:
    return {"relationship": "unknown", "name": ""}


def empty_values(contact_type: str | None = None) -> Values:
    """A new form: one child and one alleged perpetrator row, everything else unknown."""
    return {
        "contact_type": contact_type or "report",
        "channel": "phone",
        "caller": {
            "relationship": "anonymous",
            "name": "",
            "phone": "",
            "age_group": None,
            "sex": None,
        },
        "children": [empty_child()],
        "concerns": [],
        "crime_signs": [],
        "setting": None,
        "location": {"province_code": None, "ward_code": None},
        "perpetrators": [empty_perpetrator()],
        "immediate_danger": False,
        "narrative": "",
        "counselling_topics": [],
        "case_id": None,
    }


def is_data(values: Values) -> bool:
    return values.get("contact_type") in DATA_CONTACT_TYPES


def _blank(text: object) -> bool:
    return not isinstance(text, str) or not text.strip()


def _is_empty_child(child: dict[str, Any]) -> bool:
    defaults = empty_child()
    texts = ("name", "address", "personal_id")
    same = all(child.get(k) == defaults[k] for k in defaults if k not in texts)
    return same and all(_blank(child.get(k)) for k in texts)


def _is_empty_perpetrator(perp: dict[str, Any]) -> bool:
    return perp.get("relationship") in (None, "unknown") and _blank(perp.get("name"))


def _number(text: object) -> object:
    """The digits of a number field as an int; blank is None; anything else stays as typed."""
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    if not stripped:
        return None
    return int(stripped) if _DIGITS.fullmatch(stripped) else text


def _opt(text: object) -> object:
    return None if _blank(text) else text


def intake_payload(
    values: Values, received_at: datetime, duration_seconds: int | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The intake JSON for ``parse_intake``, and how its list paths map back to form rows.

    Untouched child and perpetrator rows are left out, so ``children[0]`` of the payload may be
    the form's second child: the map turns ``children[0]`` back into ``children[1]``.
    """
    caller = values.get("caller") or {}
    out: dict[str, Any] = {
        "received_at": received_at.isoformat(),
        "contact_type": values.get("contact_type"),
        "channel": values.get("channel") or "phone",
        "duration_seconds": duration_seconds,
        "caller": {
            "relationship": caller.get("relationship") or None,
            "name": _opt(caller.get("name")),
            "phone": _opt(caller.get("phone")),
            "age_group": caller.get("age_group") or None,
            "sex": caller.get("sex") or None,
        },
    }
    paths: dict[str, str] = {}
    if values.get("case_id"):
        out["case_id"] = values["case_id"]
    if not is_data(values):
        return out, paths
    children = []
    for i, child in enumerate(values.get("children") or []):
        if _is_empty_child(child):
            continue
        paths[f"children[{len(children)}]"] = f"children[{i}]"
        item = dict(child, age=_number(child.get("age")))
        item["name"], item["address"] = _opt(child.get("name")), _opt(child.get("address"))
        item["personal_id"] = _opt(child.get("personal_id"))
        children.append(item)
    perpetrators = []
    # A counselling call has no alleged perpetrator (the section is hidden): none is saved.
    counselling = values.get("contact_type") == "counselling"
    for i, perp in enumerate([] if counselling else values.get("perpetrators") or []):
        if _is_empty_perpetrator(perp):
            continue
        paths[f"perpetrators[{len(perpetrators)}]"] = f"perpetrators[{i}]"
        perpetrators.append(
            {"relationship": perp.get("relationship"), "name": _opt(perp.get("name"))}
        )
    location = values.get("location") or {}
    out.update(
        children=children,
        perpetrators=perpetrators,
        concerns=list(values.get("concerns") or []),
        crime_signs=list(values.get("crime_signs") or []),
        setting=values.get("setting") or None,
        location={
            "province_code": location.get("province_code"),
            "ward_code": location.get("ward_code"),
        },
        immediate_danger=bool(values.get("immediate_danger")),
        narrative=values.get("narrative") or "",
        counselling_topics=list(values.get("counselling_topics") or [])
        if values.get("contact_type") == "counselling"
        else [],
    )
    return out, paths


def form_path(path: str, paths: dict[str, str]) -> str:
    """A payload error path (``children[0].age``) as the path of the form row it came from."""
    match = _INDEX.match(path)
    if match and match.group(0) in paths:
        return paths[match.group(0)] + path[match.end() :]
    return path


def _clean(check: Any, value: object, default: Any) -> Any:
    try:
        return check(value)
    except fc.FieldRejected:
        return default


def _codes(kind: str, items: object) -> tuple[str, ...]:
    codes = items if isinstance(items, list | tuple) else ()
    return tuple(
        dict.fromkeys(c for c in codes if _clean(lambda v: fc.check_code(kind, v), c, None))
    )


def routing_intake(values: Values, received_at: datetime) -> Intake:
    """An intake of whatever is valid so far, for the live routing pane; never raises."""
    payload, _ = intake_payload(values, received_at, None)

    def code(kind: str, value: object, default: Any) -> Any:
        return (
            default if value is None else _clean(lambda v: fc.check_code(kind, v), value, default)
        )

    children = tuple(
        Child(
            age=_clean(fc.check_age, c.get("age"), None),
            age_basis=code("age_basis", c.get("age_basis"), Child.age_basis),
            sex=code("sex", c.get("sex"), Child.sex),
            ethnicity=code("ethnicity", c.get("ethnicity"), Child.ethnicity),
            disability=bool(c.get("disability")),
            special_circumstances=_codes("special_circumstance", c.get("special_circumstances")),
        )
        for c in payload.get("children", [])
    )
    location = payload.get("location") or {}
    return Intake(
        received_at=received_at,
        contact_type=code("contact_type", payload.get("contact_type"), "report"),
        caller=Caller(
            relationship=code("caller_relationship", payload["caller"]["relationship"], "anonymous")
        ),
        children=children,
        location=Location(
            province_code=_clean(fc.check_province_code, location.get("province_code"), None),
            ward_code=_clean(fc.check_ward_code, location.get("ward_code"), None),
        ),
        concerns=_codes("concern", payload.get("concerns")),
        crime_signs=_codes("crime_sign", payload.get("crime_signs")),
        setting=code("setting", payload.get("setting"), None),
        perpetrators=tuple(
            Perp(relationship=code("perpetrator_relationship", p.get("relationship"), "unknown"))
            for p in payload.get("perpetrators", [])
        ),
        immediate_danger=bool(payload.get("immediate_danger")),
        counselling_topics=_codes("counselling_topic", payload.get("counselling_topics")),
    )


def values_from_intake(intake: Intake, current: Values) -> Values:
    """The form for a call linked to a case: children, location, concerns, setting and
    perpetrators from the case (``services.cases.linked_intake``), and everything else (the
    contact type, the caller, danger now, the narrative being typed) as the operator has it."""
    values = copy.deepcopy(current)
    values["children"] = [
        dict(
            empty_child(),
            age="" if child.age is None else str(child.age),
            age_basis=child.age_basis,
            sex=child.sex,
            ethnicity=child.ethnicity,
            disability=child.disability,
            special_circumstances=list(child.special_circumstances),
            name=child.name or "",
            address=child.address or "",
            personal_id=child.personal_id or "",
        )
        for child in intake.children
    ] or [empty_child()]
    values["perpetrators"] = [
        {"relationship": p.relationship, "name": p.name or ""} for p in intake.perpetrators
    ] or [empty_perpetrator()]
    values["concerns"] = list(intake.concerns)
    values["setting"] = intake.setting
    values["location"] = {
        "province_code": intake.location.province_code,
        "ward_code": intake.location.ward_code,
    }
    return values


def draft_payload(
    values: Values,
    received_at: datetime,
    elapsed_seconds: int,
    referrals: dict[str, Any] | None = None,
    case_number: str | None = None,
) -> dict[str, Any]:
    """What the draft service encrypts: the form as typed, the call's start and its timer, and
    the number of the linked case (shown again when the draft is restored, issue 19 item 8)."""
    return {
        "version": DRAFT_VERSION,
        "received_at": received_at.isoformat(),
        "elapsed_seconds": elapsed_seconds,
        "values": copy.deepcopy(values),
        "referrals": copy.deepcopy(referrals or {}),
        "case_number": case_number if values.get("case_id") else None,
    }


def linked_number(payload: dict[str, Any]) -> str | None:
    """The linked case's number a draft kept (None in drafts made before it was kept)."""
    number = payload.get("case_number")
    return number if isinstance(number, str) else None


def from_draft(payload: dict[str, Any]) -> tuple[Values, datetime | None, int, dict[str, Any]]:
    """Form values, call start, seconds already on the timer and referral edits of a draft.

    A draft is merged over an empty form, so a draft from an older form still opens.
    """
    values = empty_values()
    raw = payload.get("values")
    if isinstance(raw, dict):
        for key, default in values.items():
            if key in raw and (default is None or isinstance(raw[key], type(default))):
                values[key] = raw[key]
        values["children"] = [
            dict(empty_child(), **c) for c in values["children"] if isinstance(c, dict)
        ]
        values["perpetrators"] = [
            dict(empty_perpetrator(), **p) for p in values["perpetrators"] if isinstance(p, dict)
        ]
    try:
        received_at: datetime | None = datetime.fromisoformat(str(payload.get("received_at")))
    except ValueError:
        received_at = None
    elapsed = payload.get("elapsed_seconds")
    referrals = payload.get("referrals")
    return (
        values,
        received_at,
        elapsed if isinstance(elapsed, int) and elapsed >= 0 else 0,
        referrals if isinstance(referrals, dict) else {},
    )
