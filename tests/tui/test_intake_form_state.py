"""Form values ⇄ intake JSON ⇄ draft payload, without a terminal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.errors import IntakeInvalid
from caseintake.domain.intake.validation import parse_intake
from caseintake.tui.form_state import (
    draft_payload,
    empty_child,
    empty_values,
    form_path,
    from_draft,
    intake_payload,
    routing_intake,
)
from caseintake.tui.widgets.referral_edits import ReferralEdits

RECEIVED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def report() -> dict:
    values = empty_values("report")
    values["caller"].update(relationship="neighbour", phone="0912 345 678")
    values["children"][0].update(age="9", sex="female")
    values.update(concerns=["violence"], setting="family", immediate_danger=True)
    values["location"].update(province_code=79, ward_code=26743)
    values["perpetrators"][0].update(relationship="parent")
    return values


def test_a_form_report_parses_into_the_intake_of_the_json_shape():
    payload, paths = intake_payload(report(), RECEIVED, 95)
    intake = parse_intake(payload, now=RECEIVED)
    assert intake.caller.phone == "+84912345678"
    assert intake.children[0].age == 9 and intake.duration_seconds == 95
    assert intake.perpetrators[0].relationship == "parent"
    assert paths == {"children[0]": "children[0]", "perpetrators[0]": "perpetrators[0]"}


def test_untouched_rows_are_left_out_and_errors_point_at_the_right_row():
    values = report()
    values["children"].insert(0, empty_child())  # an empty first row, a wrong second one
    values["children"][1]["age"] = "9a"
    payload, paths = intake_payload(values, RECEIVED, None)
    assert len(payload["children"]) == 1
    with pytest.raises(IntakeInvalid) as caught:
        parse_intake(payload, now=RECEIVED)
    assert [form_path(e.field, paths) for e in caught.value.errors] == ["children[1].age"]


def test_non_data_contacts_carry_no_case_fields():
    values = report()
    values["contact_type"] = "silent"
    payload, _ = intake_payload(values, RECEIVED, 4)
    assert "children" not in payload and "concerns" not in payload
    assert parse_intake(payload, now=RECEIVED).contact_type == "silent"


def test_routing_takes_what_is_valid_and_skips_the_rest():
    values = report()
    values["children"][0]["age"] = "forty"
    values["concerns"].append("not_a_concern")
    values["location"]["ward_code"] = 99999999
    intake = routing_intake(values, RECEIVED)
    assert intake.children[0].age is None and intake.concerns == ("violence",)
    assert intake.location.ward_code is None and intake.location.province_code == 79


form_text = st.one_of(st.none(), st.text(max_size=30), st.integers(), st.booleans())


@settings(max_examples=300, deadline=None)
@given(
    age=form_text,
    code=form_text,
    codes=st.lists(form_text, max_size=4),
    ward=form_text,
)
def test_routing_never_fails_on_anything_typed(age, code, codes, ward):
    values = report()
    values["children"][0].update(age=age, sex=code, special_circumstances=codes)
    values.update(concerns=codes, setting=code)
    values["location"]["ward_code"] = ward
    values["caller"]["relationship"] = code
    intake = routing_intake(values, RECEIVED)
    assert intake.contact_type == "report"


def test_draft_round_trip_keeps_values_start_timer_and_referral_edits():
    edits = ReferralEdits(removed={("commune_police", 79, 26743): "đã báo"}, added=["legal_aid"])
    payload = draft_payload(report(), RECEIVED, 42, edits.to_json())
    values, received, elapsed, referrals = from_draft(payload)
    assert values == report() and received == RECEIVED and elapsed == 42
    assert ReferralEdits.from_json(referrals) == edits


def test_a_damaged_or_older_draft_still_opens_as_a_form():
    values, received, elapsed, referrals = from_draft(
        {"values": {"children": ["junk", {"age": "7"}], "concerns": "not a list", "x": 1}}
    )
    assert values["children"] == [dict(empty_child(), age="7")]
    assert values["concerns"] == [] and "x" not in values
    assert (received, elapsed, referrals) == (None, 0, {})


def test_the_crime_signs_the_operator_heard_go_to_the_intake_and_to_routing():
    values = report()
    values["crime_signs"] = ["cruelty", "not_a_sign"]
    payload, _ = intake_payload(values, RECEIVED, None)
    assert payload["crime_signs"] == ["cruelty", "not_a_sign"]
    with pytest.raises(IntakeInvalid) as refused:  # the save names the bad code, keeps the rest
        parse_intake(payload, now=RECEIVED)
    assert [e.field for e in refused.value.errors] == ["crime_signs[1]"]
    assert routing_intake(values, RECEIVED).crime_signs == ("cruelty",)  # live: what is valid
    values["crime_signs"] = ["cruelty"]
    assert parse_intake(intake_payload(values, RECEIVED, None)[0], now=RECEIVED).crime_signs == (
        "cruelty",
    )


def test_a_draft_from_before_crime_signs_opens_with_none():
    old = report()
    del old["crime_signs"]
    values, *_ = from_draft(draft_payload(old, RECEIVED, 5))
    assert values["crime_signs"] == []
    assert intake_payload(values, RECEIVED, None)[0]["crime_signs"] == []
