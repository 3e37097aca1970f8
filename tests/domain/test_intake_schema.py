"""The JSON Schema of the intake is generated from the code and agrees with ``parse_intake``.

Agreement is checked on a list of variants of the DESIGN §6 example: every code of every coded
field, null in every optional field, each limit and one past it, unknown keys, and the rules
that join fields. What the schema cannot say (a commune in another province, a phone number
that is not one) is validation's alone and is left out of the agreement list on purpose.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from caseintake.domain.errors import IntakeInvalid
from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.field_checks import MAX_AGE, MAX_DURATION, MAX_LONG_TEXT, MAX_NAME
from caseintake.domain.intake.record import Caller, Child, Intake, Location, Perpetrator
from caseintake.domain.intake.schema import code_kind, intake_schema
from caseintake.domain.intake.validation import MAX_LIST, parse_intake
from tests.samples import design_example
from tests.schema_subset import problems

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SCHEMA = intake_schema()
OBJECTS = {"Intake": Intake, "Caller": Caller, "Child": Child, "Perpetrator": Perpetrator}
# Where each object sits in the example: a path of keys and indexes.
WHERE: dict[str, tuple[Any, ...]] = {
    "Intake": (),
    "Caller": ("caller",),
    "Child": ("children", 0),
    "Perpetrator": ("perpetrators", 0),
    "Location": ("location",),
}


def accepted_by_validation(data: Any) -> bool:
    try:
        parse_intake(data, now=NOW)
    except IntakeInvalid:
        return False
    return True


def with_value(owner: str, name: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(design_example())
    target: Any = data
    for step in WHERE[owner]:
        target = target[step]
    target[name] = value
    return data


def without(owner: str, name: str) -> dict[str, Any]:
    data = with_value(owner, name, None)
    target: Any = data
    for step in WHERE[owner]:
        target = target[step]
    del target[name]
    return data


def coded_fields() -> Iterator[tuple[str, str, str, bool]]:
    """(owner, field, kind, is_list) for every field that takes taxonomy codes."""
    for owner, cls in OBJECTS.items():
        for f in dataclasses.fields(cls):
            kind = code_kind(owner, f.name)
            if kind is not None:
                yield owner, f.name, kind, "tuple" in str(f.type)


def variants() -> Iterator[tuple[str, Any]]:
    yield "the DESIGN example", design_example()
    for owner, name, kind, is_list in coded_fields():
        for code in taxonomy.ordered_codes(kind):
            yield f"{owner}.{name}={code}", with_value(owner, name, [code] if is_list else code)
        bogus = ["sorcery"] if is_list else "sorcery"
        yield f"{owner}.{name}=bogus", with_value(owner, name, bogus)
        yield f"{owner}.{name}=number", with_value(owner, name, [7] if is_list else 7)
    for owner in WHERE:
        cls = OBJECTS.get(owner, Location)
        for f in dataclasses.fields(cls):
            yield f"{owner}.{f.name}=null", with_value(owner, f.name, None)
            yield f"{owner}.{f.name} left out", without(owner, f.name)
        yield f"{owner} unknown key", with_value(owner, "nmae", "x")
    yield "age max", with_value("Child", "age", MAX_AGE)
    yield "age past max", with_value("Child", "age", MAX_AGE + 1)
    yield "age negative", with_value("Child", "age", -1)
    yield "age as text", with_value("Child", "age", "9")
    yield "age true", with_value("Child", "age", True)
    yield "duration max", with_value("Intake", "duration_seconds", MAX_DURATION)
    yield "duration past max", with_value("Intake", "duration_seconds", MAX_DURATION + 1)
    yield "name at limit", with_value("Caller", "name", "a" * MAX_NAME)
    yield "name past limit", with_value("Caller", "name", "a" * (MAX_NAME + 1))
    yield "narrative past limit", with_value("Intake", "narrative", "a" * (MAX_LONG_TEXT + 1))
    yield "notes", with_value("Intake", "notes", "Gọi lại cho mẹ cháu sau 17h.")
    yield "too many concerns", with_value("Intake", "concerns", ["violence"] * (MAX_LIST + 1))
    yield "children as object", with_value("Intake", "children", {"age": 3})
    yield "caller as list", with_value("Intake", "caller", [])
    yield "danger as text", with_value("Intake", "immediate_danger", "yes")
    yield "unknown province", with_value("Location", "province_code", 999)
    yield "received_at not a time", with_value("Intake", "received_at", "yesterday")
    yield "received_at without offset", with_value("Intake", "received_at", "2026-03-02T08:15")
    yield "report without concerns", with_value("Intake", "concerns", [])
    yield "not an object", [1, 2, 3]
    silent = {"received_at": "2026-03-02T08:15:00+07:00", "contact_type": "silent"}
    yield "silent call", silent
    yield (
        "dropped call with a phone",
        {**silent, "contact_type": "dropped", "caller": {"phone": None}},
    )
    yield "silent with a narrative", {**silent, "narrative": "..."}
    yield "silent with a child", {**silent, "children": [{"age": 3}]}
    yield "silent in danger", {**silent, "immediate_danger": True}
    yield (
        "counselling with topics",
        {
            **silent,
            "contact_type": "counselling",
            "counselling_topics": ["education"],
            "caller": {"relationship": "self", "age_group": "11-15", "sex": "female"},
            "narrative": "Em lo thi cử.",
        },
    )


VARIANTS = list(variants())


@pytest.mark.parametrize(("what", "data"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_schema_and_validation_agree(what: str, data: Any) -> None:
    found = problems(SCHEMA, data)
    assert (not found) == accepted_by_validation(data), (what, found)


def test_the_variants_cover_both_answers() -> None:
    answers = {accepted_by_validation(data) for _, data in VARIANTS}
    assert answers == {True, False}


def test_every_field_of_the_dataclasses_is_in_the_schema() -> None:
    defs = SCHEMA["$defs"]
    assert set(SCHEMA["properties"]) == {f.name for f in dataclasses.fields(Intake)}
    for cls in (Caller, Child, Perpetrator, Location):
        assert set(defs[cls.__name__]["properties"]) == {f.name for f in dataclasses.fields(cls)}
        assert defs[cls.__name__]["additionalProperties"] is False
    assert SCHEMA["required"] == ["received_at", "contact_type"]


def test_new_fields_and_codes_appear_from_the_code() -> None:
    caller = SCHEMA["$defs"]["Caller"]["properties"]
    assert caller["age_group"]["enum"] == [*taxonomy.ordered_codes("caller_age_group"), None]
    assert caller["sex"]["enum"] == [*taxonomy.ordered_codes("sex"), None]
    assert "dropped" in SCHEMA["properties"]["contact_type"]["enum"]
    concerns = SCHEMA["properties"]["concerns"]["items"]["enum"]
    assert "violence.physical" in concerns  # sub-types too


def test_a_field_without_a_known_type_is_an_error_not_a_guess() -> None:
    from caseintake.domain.intake import schema as module

    with pytest.raises(TypeError, match=r"Intake\.odd"):
        module._value("Intake", "odd", complex, {})


def test_the_checker_refuses_keywords_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="format"):
        problems({"type": "string", "format": "date-time"}, "x")
