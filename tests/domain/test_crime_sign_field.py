"""The intake's "signs of a crime" (issue 22): in the intake JSON and its schema, checked like
every coded field, empty for non-data contacts, and absent from older files without harm."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from caseintake.domain.errors import IntakeInvalid
from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.schema import intake_schema
from caseintake.domain.intake.validation import parse_intake
from tests.schema_subset import problems

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def report(**extra: Any) -> dict[str, Any]:
    return {
        "received_at": "2026-03-02T08:15:00",
        "contact_type": "report",
        "children": [{"age": 15}],
        "location": {"ward_code": 26737},
        "concerns": ["violence"],
        **extra,
    }


def fields(data: dict[str, Any]) -> list[str]:
    with pytest.raises(IntakeInvalid) as refused:
        parse_intake(data, now=NOW)
    return [e.field for e in refused.value.errors]


def test_a_file_from_before_crime_signs_loads_with_none() -> None:
    intake = parse_intake(report(), now=NOW)
    assert intake.crime_signs == ()
    assert intake.to_json()["crime_signs"] == []
    assert parse_intake(report(crime_signs=None), now=NOW).crime_signs == ()


def test_signs_are_codes_once_each_in_the_order_given() -> None:
    intake = parse_intake(report(crime_signs=["drugs", "cruelty", "drugs"]), now=NOW)
    assert intake.crime_signs == ("drugs", "cruelty")
    again = parse_intake(intake.to_json(), now=NOW)
    assert again == intake


@pytest.mark.parametrize(
    ("value", "paths"),
    [
        (["beating"], ["crime_signs[0]"]),
        (["cruelty", 7], ["crime_signs[1]"]),
        ("cruelty", ["crime_signs"]),  # a list, not a word
        (["violence"], ["crime_signs[0]"]),  # a concern is not a crime sign
        ([f"x{i}" for i in range(21)], ["crime_signs"]),  # too many
    ],
)
def test_bad_signs_are_refused_field_by_field(value: object, paths: list[str]) -> None:
    assert fields(report(crime_signs=value)) == paths


def test_a_non_data_contact_carries_no_crime_sign() -> None:
    data = {"received_at": "2026-03-02T08:15:00", "contact_type": "silent"}
    assert parse_intake(data, now=NOW).crime_signs == ()
    assert fields({**data, "crime_signs": ["cruelty"]}) == ["crime_signs"]


def test_the_schema_shows_the_field_and_the_new_codes() -> None:
    schema = intake_schema()
    signs = schema["properties"]["crime_signs"]
    assert signs["items"]["enum"] == list(taxonomy.ordered_codes("crime_sign"))
    assert "custody_violence" in signs["items"]["enum"] and "police" in signs["description"]
    perpetrator = schema["$defs"]["Perpetrator"]["properties"]["relationship"]
    assert "official" in perpetrator["enum"]
    concerns = schema["properties"]["concerns"]["items"]["enum"]
    assert {"neglect.medical", "rights_violation.education"} <= set(concerns)
    assert problems(schema, report(crime_signs=["cruelty"])) == []
    assert problems(schema, report(crime_signs=["beating"])) != []
    silent = {"received_at": "2026-03-02T08:15:00", "contact_type": "silent"}
    assert problems(schema, {**silent, "crime_signs": ["cruelty"]}) != []
