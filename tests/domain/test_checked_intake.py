"""``checked_intake``: the save's check of an intake at the service's clock. An intake made by
``parse_intake`` is not parsed again (only its time is checked against the later clock); any
other intake is parsed from its JSON, so one built by hand is refused field by field."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from caseintake.domain.errors import IntakeInvalid
from caseintake.domain.intake import validation
from caseintake.domain.intake.record import Caller, Intake
from caseintake.domain.intake.validation import checked_intake, parse_intake
from tests.samples import design_example


def test_a_parsed_intake_is_kept_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = parse_intake(design_example())
    monkeypatch.setattr(validation, "parse_intake", lambda *a, **k: pytest.fail("parsed again"))
    assert checked_intake(parsed, now=parsed.received_at + timedelta(minutes=5)) is parsed


def test_a_parsed_intake_whose_time_is_ahead_of_the_clock_is_refused_as_the_parse_says() -> None:
    parsed = parse_intake(design_example())
    earlier = parsed.received_at - timedelta(days=1)
    with pytest.raises(IntakeInvalid) as refused:
        checked_intake(parsed, now=earlier)
    with pytest.raises(IntakeInvalid) as by_parse:
        parse_intake(parsed.to_json(), now=earlier)
    assert refused.value.errors == by_parse.value.errors
    assert [e.field for e in refused.value.errors] == ["received_at"]


def test_an_intake_built_by_hand_is_parsed_and_cleaned() -> None:
    parsed = parse_intake(design_example())
    by_hand = dataclasses.replace(parsed, caller=Caller(phone="0912 345 678"))
    checked = checked_intake(by_hand, now=parsed.received_at)
    assert checked is not by_hand and checked.caller.phone == "+84912345678"


def test_a_bad_intake_built_by_hand_is_refused_field_by_field() -> None:
    parsed = parse_intake(design_example())
    bad = Intake(received_at=parsed.received_at, contact_type="report", concerns=("nonsense",))
    with pytest.raises(IntakeInvalid) as refused:
        checked_intake(bad, now=parsed.received_at)
    assert "concerns[0]" in {e.field for e in refused.value.errors}
