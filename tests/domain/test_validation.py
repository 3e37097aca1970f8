"""Intake validation: good intakes parse, bad ones list every problem with its field path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseintake.domain.errors import FieldError, IntakeInvalid
from caseintake.domain.intake import field_checks, taxonomy
from caseintake.domain.intake.field_checks import VIETNAM_TIME
from caseintake.domain.intake.record import Child, Intake
from caseintake.domain.intake.validation import parse_intake, validate_field
from caseintake.i18n import LANGUAGES, catalogue, has
from tests.samples import design_example

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 08:30 in Viet Nam


def sample() -> dict[str, Any]:
    """The intake JSON of DESIGN §6, with today's code of Phường Sài Gòn."""
    return design_example(
        caller={"relationship": "neighbour", "phone": "0912 345 678"},
        narrative="  Hàng xóm nghe tiếng trẻ khóc.\r\nLần thứ hai trong tuần.  ",
    )


def errors_of(data: object) -> dict[str, str]:
    """Field path -> message key of every rejected field."""
    with pytest.raises(IntakeInvalid) as caught:
        parse_intake(data, now=NOW)
    assert caught.value.errors
    return {e.field: e.key.removeprefix("validation.") for e in caught.value.errors}


def test_design_sample_parses_and_cleans() -> None:
    intake = parse_intake(sample(), now=NOW)
    assert intake.caller.phone == "+84912345678"
    assert intake.narrative == "Hàng xóm nghe tiếng trẻ khóc.\nLần thứ hai trong tuần."
    assert intake.children[0].age == 9 and intake.location.ward_code == 26740
    assert intake.received_at == datetime(2026, 3, 2, 1, 15, tzinfo=UTC)


def test_round_trip_through_json() -> None:
    intake = parse_intake(sample(), now=NOW)
    assert parse_intake(intake.to_json(), now=NOW) == intake


def test_naive_time_is_vietnam_time() -> None:
    data = sample() | {"received_at": "2026-03-02T08:15:00"}
    assert parse_intake(data, now=NOW).received_at.utcoffset() == timedelta(hours=7)
    data["received_at"] = datetime(2026, 3, 2, 8, 15, tzinfo=VIETNAM_TIME)
    assert parse_intake(data, now=NOW).received_at.hour == 8


def test_time_in_the_future_allows_clock_skew() -> None:
    assert parse_intake(sample() | {"received_at": "2026-03-02T08:34:00+07:00"}, now=NOW)
    assert errors_of(sample() | {"received_at": "2026-03-02T08:36:00+07:00"}) == {
        "received_at": "time_in_future"
    }


@pytest.mark.parametrize("value", ["yesterday", "2026-03-02", "02/03/2026 08:15", 1700000000, ""])
def test_received_at_must_be_iso(value: object) -> None:
    assert errors_of(sample() | {"received_at": value}) == {"received_at": "not_iso_time"}


def test_not_an_object() -> None:
    for data in (None, [], "intake", 3, [sample()]):
        assert errors_of(data) == {"$": "not_object"}


def test_required_fields() -> None:
    assert errors_of({}) == {"received_at": "required", "contact_type": "required"}


def test_broken_types_each_named() -> None:
    data = sample() | {
        "children": {"age": 9},
        "concerns": "violence",
        "immediate_danger": "yes",
        "duration_seconds": 12.5,
        "caller": ["neighbour"],
        "narrative": 42,
    }
    assert errors_of(data) == {
        "children": "not_list",
        "concerns": "not_list",
        "immediate_danger": "not_boolean",
        "duration_seconds": "not_integer",
        "caller": "not_object",
        "narrative": "not_text",
    }


def test_unknown_codes_name_their_place() -> None:
    data = sample()
    data["concerns"] = ["violence.physical", "witchcraft"]
    data["children"][0]["sex"] = "f"
    data["children"][0]["special_circumstances"] = ["orphan", "rich"]
    data["perpetrators"] = [{"relationship": "uncle"}]
    data["channel"] = "pigeon"
    assert errors_of(data) == {
        "concerns[1]": "unknown_code",
        "children[0].sex": "unknown_code",
        "children[0].special_circumstances[1]": "unknown_code",
        "perpetrators[0].relationship": "unknown_code",
        "channel": "unknown_code",
    }


@pytest.mark.parametrize(
    ("age", "key"),
    [(-1, "age_negative"), (18, "age_adult"), (True, "not_integer"), ("9", "not_integer")],
)
def test_bad_ages(age: object, key: str) -> None:
    data = sample()
    data["children"][0]["age"] = age
    assert errors_of(data) == {"children[0].age": key}


def test_age_limits() -> None:
    data = sample()
    data["children"] = [{"age": 0}, {"age": 17}, {"age": None}]
    assert [c.age for c in parse_intake(data, now=NOW).children] == [0, 17, None]


def test_adult_message_says_the_hotline_logs_under_18s() -> None:
    data = sample()
    data["children"][0]["age"] = 19
    with pytest.raises(IntakeInvalid) as caught:
        parse_intake(data, now=NOW)
    assert "under 18" in caught.value.message("en")
    assert "dưới 18" in caught.value.message("vi")


def test_unknown_province_and_commune() -> None:
    assert errors_of(sample() | {"location": {"province_code": 99, "ward_code": 99999999}}) == {
        "location.province_code": "province_unknown",
        "location.ward_code": "ward_unknown",
    }


def test_commune_not_in_province() -> None:
    data = sample() | {"location": {"province_code": 1, "ward_code": 26740}}
    assert errors_of(data) == {"location.ward_code": "ward_not_in_province"}


def test_commune_alone_gives_its_province() -> None:
    intake = parse_intake(sample() | {"location": {"ward_code": 26740}}, now=NOW)
    assert intake.location.province_code == 79


def test_legacy_ward_code_is_mapped_or_refused_when_split() -> None:
    old_tan_dinh = sample() | {"location": {"province_code": 79, "ward_code": 26734}}
    assert parse_intake(old_tan_dinh, now=NOW).location.ward_code == 26737
    old_nguyen_thai_binh = sample() | {"location": {"province_code": 79, "ward_code": 26746}}
    assert errors_of(old_nguyen_thai_binh) == {"location.ward_code": "ward_split"}


def test_report_needs_a_concern() -> None:
    assert errors_of(sample() | {"concerns": []}) == {"concerns": "report_needs_concern"}
    counselling = sample() | {"contact_type": "counselling", "concerns": []}
    assert parse_intake(counselling, now=NOW).concerns == ()


def test_non_data_contact_carries_no_case_data() -> None:
    assert errors_of(sample() | {"contact_type": "silent"}) == {
        "children": "non_data_field",
        "perpetrators": "non_data_field",
        "concerns": "non_data_field",
        "setting": "non_data_field",
        "narrative": "non_data_field",
        "immediate_danger": "non_data_field",
    }
    hang_up = {"received_at": "2026-03-02T08:00:00+07:00", "contact_type": "hang_up"}
    assert parse_intake(hang_up, now=NOW).is_data is False


def test_text_rules() -> None:
    data = sample()
    data["children"][0]["name"] = "Lan\nAnh"
    data["caller"]["name"] = "x" * 201
    data["notes"] = "bell\x07"
    data["narrative"] = "n" * 20_001
    assert errors_of(data) == {
        "children[0].name": "single_line",
        "caller.name": "too_long",
        "notes": "control_character",
        "narrative": "too_long",
    }
    data = sample()
    data["caller"]["name"] = "   "
    data["notes"] = "cột\ttab\nline"
    intake = parse_intake(data, now=NOW)
    assert intake.caller.name is None and intake.notes == "cột\ttab\nline"


def test_unknown_keys_are_named() -> None:
    data = sample() | {"priority": "high"}
    data["children"][0]["school"] = "X"
    data["location"]["district_code"] = 760
    assert errors_of(data) == {
        "priority": "unknown_key",
        "children[0].school": "unknown_key",
        "location.district_code": "unknown_key",
    }


def test_lists_are_capped() -> None:
    data = sample() | {"children": [{}] * 21, "concerns": ["violence"] * 21}
    assert errors_of(data) == {"children": "too_many", "concerns": "too_many"}
    assert parse_intake(sample() | {"concerns": ["violence"] * 3}, now=NOW).concerns == (
        "violence",
    )


def test_duration_and_phone() -> None:
    assert errors_of(sample() | {"duration_seconds": 86_401}) == {
        "duration_seconds": "duration_range"
    }
    data = sample()
    data["caller"]["phone"] = "not a phone"
    assert errors_of(data) == {"caller.phone": "phone_invalid"}
    data["caller"]["phone"] = "111"
    assert parse_intake(data, now=NOW).caller.phone == "111"


def test_every_problem_is_listed_at_once() -> None:
    data = sample() | {"channel": 5, "line": "999", "setting": "moon"}
    data["children"][0]["age"] = 40
    assert len(errors_of(data)) == 4


def test_messages_never_repeat_personal_data() -> None:
    data = sample()
    data["caller"]["phone"] = "0000secret"
    data["caller"]["name"] = "Nguyễn Văn Bí Mật" * 20
    with pytest.raises(IntakeInvalid) as caught:
        parse_intake(data, now=NOW)
    for lang in LANGUAGES:
        text = caught.value.message(lang)
        assert "secret" not in text and "Bí Mật" not in text


@pytest.mark.parametrize(
    ("kind", "value", "key"),
    [
        ("age", "9", None),
        ("age", "", None),
        ("age", "-3", "age_negative"),
        ("age", "18", "age_adult"),
        ("age", "nine", "not_integer"),
        ("age", "9" * 5000, "not_integer"),
        ("phone", "0912345678", None),
        ("phone", "09abc", "phone_invalid"),
        ("name", "Lan", None),
        ("name", "a\nb", "single_line"),
        ("narrative", "a\nb", None),
        ("sex", "female", None),
        ("concern", "violence.physical", None),
        ("concern", "violence.nope", "unknown_code"),
        ("province_code", "79", None),
        ("province_code", "63", "province_unknown"),
        ("ward_code", "26740", None),
        ("ward_code", "26746", "ward_split"),
        ("duration_seconds", "90000", "duration_range"),
        ("received_at", "2020-01-01T10:00:00", None),
        ("received_at", "soon", "not_iso_time"),
        ("case_id", "111-2026-000123", None),
    ],
)
def test_validate_field_for_live_feedback(kind: str, value: str, key: str | None) -> None:
    error = validate_field(kind, value, path="x")
    if key is None:
        assert error is None
    else:
        assert isinstance(error, FieldError) and error.key == f"validation.{key}"
        assert error.field == "x"


def test_validate_field_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        validate_field("shoe_size", "42")


def test_every_message_key_exists_in_both_languages() -> None:
    import re
    from pathlib import Path

    import caseintake.domain.intake as intake

    folder = Path(intake.__file__).parent
    source = (folder / "validation.py").read_text() + (folder / "field_checks.py").read_text()
    keys = set(re.findall(r'(?:FieldRejected|\.add)\(\s*(?:[^,()]*,\s*)?"([a-z_]+)"', source))
    assert len(keys) > 20
    missing = [(lang, k) for k in keys for lang in LANGUAGES if not has(f"validation.{k}", lang)]
    assert missing == []
    en, vi = ({k for k in catalogue(lang) if k.startswith("validation.")} for lang in ("en", "vi"))
    assert en == vi


# --- Property tests: whatever arrives, the answer is an Intake or a readable IntakeInvalid. ---

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NASTY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x07\x1b\r\n\t\u200b")),
    st.builds(lambda ch, n: ch * n, st.characters(), st.integers(0, 25_000)),
    st.sampled_from(["violence", "report", "0912345678", "2026-03-02T08:00:00", "79", "NaN"]),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-5, 30),
    st.floats(allow_nan=True),
    NASTY_TEXT,
    st.sampled_from([79, 26740, 26734, 26746, 1, 0, -1, 10**30]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _object(keys: frozenset[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Objects with the right field names (so checks go deep), random values and a stray key."""
    known = st.fixed_dictionaries({}, optional={k: values for k in sorted(keys)})
    return st.one_of(
        known,
        st.builds(
            lambda d, x: d | x, known, st.dictionaries(st.text(max_size=5), values, max_size=1)
        ),
    )


CHILD = _object(frozenset(Child.__dataclass_fields__), SCALARS | st.lists(SCALARS, max_size=3))
SHAPED = _object(
    frozenset(Intake.__dataclass_fields__),
    st.one_of(
        JSON,
        st.lists(CHILD, max_size=3),
        _object(frozenset({"province_code", "ward_code"}), SCALARS),
        _object(frozenset({"relationship", "name", "phone"}), SCALARS),
        st.lists(st.sampled_from(sorted(taxonomy.codes("concern"))) | NASTY_TEXT, max_size=4),
    ),
)


def _assert_readable(error: IntakeInvalid) -> None:
    assert error.errors
    for item in error.errors:
        assert isinstance(item, FieldError) and item.field
        for lang in LANGUAGES:
            assert has(item.key, lang)
            assert item.message(lang).strip()
    for lang in LANGUAGES:
        assert error.message(lang)


@PROPERTY
@given(st.one_of(JSON, SHAPED))
def test_parse_intake_only_ever_raises_intake_invalid(data: object) -> None:
    try:
        intake = parse_intake(data, now=NOW)
    except IntakeInvalid as error:
        _assert_readable(error)
    else:
        assert parse_intake(intake.to_json(), now=NOW) == intake


@PROPERTY
@given(
    st.sampled_from(
        [
            "age",
            "phone",
            "name",
            "address",
            "narrative",
            "notes",
            "case_id",
            "duration_seconds",
            "received_at",
            "province_code",
            "ward_code",
            *taxonomy.kinds(),
        ]
    ),
    NASTY_TEXT,
)
def test_validate_field_never_crashes(kind: str, value: str) -> None:
    error = validate_field(kind, value)
    if error is not None:
        for lang in LANGUAGES:
            assert has(error.key, lang) and error.message(lang).strip()


CHECKS = [
    field_checks.check_age,
    field_checks.check_duration,
    field_checks.check_phone,
    field_checks.check_bool,
    field_checks.check_province_code,
    field_checks.check_ward_code,
    lambda v: field_checks.check_received_at(v, NOW),
    lambda v: field_checks.check_code("concern", v),
    lambda v: field_checks.check_text(v, max_length=200, multiline=False),
    lambda v: field_checks.check_optional_text(v, max_length=20_000, multiline=True),
]


@PROPERTY
@given(st.sampled_from(range(len(CHECKS))), JSON)
def test_every_check_returns_or_rejects(index: int, value: object) -> None:
    try:
        CHECKS[index](value)
    except field_checks.FieldRejected as rejected:
        for lang in LANGUAGES:
            assert has(rejected.key, lang)
            assert rejected.at("f").message(lang).strip()


CONCERNS = sorted(taxonomy.codes("concern"))
LOCATIONS = [{"province_code": 79, "ward_code": 26740}, {"province_code": 1}, {}]
VALID_CHILD = st.fixed_dictionaries(
    {
        "age": st.none() | st.integers(0, 17),
        "sex": st.sampled_from(sorted(taxonomy.codes("sex"))),
        "ethnicity": st.sampled_from(sorted(taxonomy.codes("ethnicity"))),
        "special_circumstances": st.lists(
            st.sampled_from(sorted(taxonomy.codes("special_circumstance"))), max_size=3
        ),
        "name": st.text(st.characters(categories=["L", "Zs"]), max_size=30),
    }
)
VALID_INTAKE = st.fixed_dictionaries(
    {
        "received_at": st.datetimes(datetime(2004, 6, 1), datetime(2026, 3, 2)).map(
            datetime.isoformat
        ),
        "contact_type": st.sampled_from(["report", "counselling", "information", "follow_up"]),
        "children": st.lists(VALID_CHILD, max_size=3),
        "concerns": st.lists(st.sampled_from(CONCERNS), min_size=1, max_size=4),
        "location": st.sampled_from(LOCATIONS),
        "narrative": st.text(max_size=200).filter(lambda t: t.isprintable()),
    }
)


@PROPERTY
@given(VALID_INTAKE)
def test_valid_intakes_parse_and_round_trip(data: dict[str, Any]) -> None:
    intake = parse_intake(data, now=NOW)
    assert len(intake.children) == len(data["children"])
    assert parse_intake(intake.to_json(), now=NOW) == intake
