"""The child's personal identification number (issue 24 item 6): 12 digits, province of birth
registration, century and sex, year of birth, serial (rules/personal_id.toml: Nghị định
137/2015/NĐ-CP Art. 13, Thông tư 59/2021/TT-BCA Art. 7); checked against sex and age."""

from __future__ import annotations

from typing import Any

import pytest

from caseintake.domain.errors import IntakeInvalid
from caseintake.domain.intake.field_checks import FieldRejected
from caseintake.domain.intake.personal_id import check_personal_id, pin_disagrees, pin_facts
from caseintake.domain.intake.schema import intake_schema
from caseintake.domain.intake.validation import parse_intake
from tests.samples import design_example

GIRL_2016_HCM = "079316123456"  # 079 Hồ Chí Minh City, 3 = 21st century female, 16 = 2016


def test_facts_of_a_number() -> None:
    facts = pin_facts(GIRL_2016_HCM)
    assert (facts.province_code, facts.sex, facts.birth_year) == (79, "female", 2016)
    assert pin_facts("001099000001").sex == "male" and pin_facts("001099000001").birth_year == 1999
    assert pin_facts("001210000001").birth_year == 2010


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(GIRL_2016_HCM, GIRL_2016_HCM), ("079 316 123456", GIRL_2016_HCM),
     ("079.316-123.456", GIRL_2016_HCM), (None, None), ("  ", None)],
)  # fmt: skip
def test_accepted_as_typed(typed: Any, expected: str | None) -> None:
    assert check_personal_id(typed) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [("07931612345", "pin_format"), ("0793161234567", "pin_format"), ("07931612345a", "pin_format"),
     ("０７９316123456", "pin_format"), (79316123456, "pin_format"),
     ("003316123456", "pin_province"), ("097316123456", "pin_province")],
)  # fmt: skip
def test_refused_numbers(typed: Any, key: str) -> None:
    with pytest.raises(FieldRejected) as err:
        check_personal_id(typed)
    assert err.value.key == f"validation.{key}"


@pytest.mark.parametrize(
    ("sex", "age", "basis", "key"),
    [("female", 9, "stated", None), ("female", 10, "stated", None), ("unknown", None, "stated", None),
     ("other", 10, "verified", None), ("male", 9, "stated", "pin_sex"), ("female", 7, "stated", "pin_age"),
     ("female", 12, "verified", "pin_age"), ("female", 12, "estimated", None),
     ("female", 13, "estimated", "pin_age")],
)  # fmt: skip
def test_checked_against_sex_and_age(
    sex: str, age: int | None, basis: str, key: str | None
) -> None:
    problem = pin_disagrees(GIRL_2016_HCM, sex, age, basis, 2026)
    assert (problem.key if problem else None) == (f"validation.{key}" if key else None)


def test_born_after_the_call_or_an_adult() -> None:
    future = pin_disagrees("079328000001", "unknown", None, "stated", 2026)  # 2028
    adult = pin_disagrees("079100000001", "unknown", None, "stated", 2026)  # 2000
    assert future is not None and future.key == "validation.pin_future"
    assert adult is not None and adult.key == "validation.pin_adult"


def _child(**fields: Any) -> dict[str, Any]:
    child = {"age": 9, "age_basis": "stated", "sex": "female", "ethnicity": "kinh"}
    return {**child, **fields}


def test_intake_json_carries_the_number() -> None:
    intake = parse_intake(design_example(children=[_child(personal_id="079 316 123456")]))
    assert intake.children[0].personal_id == GIRL_2016_HCM
    assert intake.to_json()["children"][0]["personal_id"] == GIRL_2016_HCM
    assert parse_intake(intake.to_json()) == intake


@pytest.mark.parametrize(
    ("child", "key"),
    [(_child(personal_id="1234"), "pin_format"),
     (_child(sex="male", personal_id=GIRL_2016_HCM), "pin_sex"),
     (_child(age=3, personal_id=GIRL_2016_HCM), "pin_age")],
)  # fmt: skip
def test_intake_json_refuses_a_number_that_does_not_fit(child: dict[str, Any], key: str) -> None:
    with pytest.raises(IntakeInvalid) as err:
        parse_intake(design_example(children=[child]))
    (problem,) = err.value.errors
    assert (problem.field, problem.key) == ("children[0].personal_id", f"validation.{key}")
    assert "\n" not in problem.message()


def test_schema_describes_it() -> None:
    prop = intake_schema()["$defs"]["Child"]["properties"]["personal_id"]
    assert "null" in prop["type"] and "12 digits" in prop["description"]
