"""Issue 24: the pure parts of a hand-off: canonical JSON, the header, the minimisation
profiles, the legal basis and the receipt's steps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.basis import Consent, check_basis
from caseintake.domain.handoff.canonical import canonical, parse
from caseintake.domain.handoff.header import HandoffRefused, Header, Party
from caseintake.domain.handoff.profiles import profile, profile_for_body, profiles
from caseintake.domain.handoff.receipt import ReceiptBody, next_status
from caseintake.domain.intake import taxonomy
from caseintake.i18n import t

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
RECORD = {
    "priority": "high",
    "protection_level": "intervention",
    "immediate_danger": False,
    "location": {"province_code": 1, "ward_code": 4},
    "concerns": ["violence"],
    "crime_signs": ["assault"],
    "setting": "family",
    "children": [
        {"age": 9, "sex": "female", "name": "Bé A", "special_circumstances": ["hiv", "orphan"]},
        {"age": 4, "sex": "male", "name": "Bé B", "disability": True},
    ],
    "perpetrators": [{"relationship": "step_parent", "name": "Ông C"}],
    "caller": {"relationship": "neighbour", "name": "Bà D", "phone": "+84912345678"},
    "narrative": "Chuyện đã xảy ra.",
    "notes": "ghi chú nội bộ",
}


def test_canonical_is_jcs_on_the_subset() -> None:
    value = {"b": [1, True, None], "a": 'Trẻ\n"x"\u0001', "é": 1}
    with pytest.raises(DomainError):  # a non-ASCII key is outside the subset
        canonical(value)
    del value["é"]
    data = canonical(value)
    assert data == '{"a":"Trẻ\\n\\"x\\"\\u0001","b":[1,true,null]}'.encode()
    assert parse(data) == value
    with pytest.raises(DomainError):  # deeper than anything a hand-off holds
        canonical(json.loads("[" * 40 + "]" * 40))


@pytest.mark.parametrize(
    "text",
    [
        b'{"b":1,"a":2}',  # keys out of order
        b'{"a": 1}',  # whitespace
        b'{"a":1,"a":1}',  # duplicate key
        b'{"a":1.5}',  # a float
        b'{"a":"\\u00e9"}',  # an escape JCS writes as the character itself
        b'{"a":9007199254740993}',  # beyond 2**53
        b'{"a":"\xff"}',  # not UTF-8
        b"NaN",
    ],
)
def test_parse_refuses_anything_but_canonical_bytes(text: bytes) -> None:
    with pytest.raises(DomainError) as err:
        parse(text)
    assert err.value.key == "handoff.error.not_canonical"


def _header(**changes: object) -> Header:
    header = Header.new("package", Party("111", "fp-1111"), Party("HN01", "fp-2222"), NOW)
    return Header(**{**header.__dict__, **changes})  # type: ignore[arg-type]


def test_a_header_round_trips_through_its_bytes() -> None:
    header = _header()
    assert Header.from_bytes(header.to_bytes()) == header
    assert header.expires - header.created == timedelta(days=7)


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "parcel"},
        {"sender": Party("111x", "fp-1111")},  # a line code is 2-8 capitals or digits
        {"recipient": Party("HN01", " key with a space first")},
    ],
)
def test_a_bad_header_is_refused_in_one_sentence(change: dict[str, object]) -> None:
    with pytest.raises(HandoffRefused) as err:
        _header(**change).to_bytes()
    assert err.value.key == "handoff.error.bad_header"
    assert err.value.message("en").count(".") == 1


def test_header_reading_refuses_other_formats_and_extra_keys() -> None:
    value = json.loads(_header().to_bytes())
    with pytest.raises(HandoffRefused) as err:
        Header.from_json({**value, "format": "caseintake-handoff/9"})
    assert err.value.key == "handoff.error.format"
    with pytest.raises(HandoffRefused):
        Header.from_json({**value, "extra": 1})
    with pytest.raises(HandoffRefused):
        Header.from_json({**value, "id": value["id"].upper()})
    with pytest.raises(HandoffRefused):
        Header.from_json({**value, "expires": value["created"]})


def test_times_refuse_expired_and_future_headers() -> None:
    header = _header()
    header.check_times(NOW + timedelta(days=6))
    with pytest.raises(HandoffRefused) as err:
        header.check_times(NOW + timedelta(days=7))
    assert err.value.key == "handoff.error.expired"
    with pytest.raises(HandoffRefused) as err:
        header.check_times(NOW - timedelta(hours=1))
    assert err.value.key == "handoff.error.future"


def test_profiles_cover_only_taxonomy_bodies_once_and_only_record_fields() -> None:
    seen: set[str] = set()
    bodies = taxonomy.codes("body")
    for found in profiles().values():
        assert set(found.bodies) <= bodies and not seen & set(found.bodies)
        seen |= set(found.bodies)
        assert found.duty and found.source
        tops = {path.split(".")[0].removesuffix("[]") for path in found.fields}
        assert tops <= set(RECORD) | {"location"}
        if not found.health:
            assert "children[].disability" not in found.fields
    with pytest.raises(HandoffRefused) as err:
        profile_for_body("education")  # a school gets a slip, not a package
    assert err.value.key == "handoff.error.no_profile"


def test_minimise_keeps_the_profile_fields_and_never_the_caller_or_notes() -> None:
    line = profile("line").minimise(RECORD)
    assert line["caller"] == {"relationship": "neighbour"}
    assert "notes" not in line
    assert line["children"][0]["name"] == "Bé A"
    police = profile_for_body("commune_police").minimise(RECORD)
    assert "caller" not in police
    assert police["children"][0]["special_circumstances"] == ["orphan"]  # no HIV to the police
    assert "disability" not in police["children"][1]
    assert "protection_level" not in police
    assert RECORD["children"][0]["special_circumstances"] == ["hiv", "orphan"]  # a copy


def test_legal_duty_cites_the_receiving_body_duty() -> None:
    basis = check_basis("legal_duty", profile("police"), RECORD)
    assert basis["code"] == "legal_duty" and "144" in basis["duty"]


def test_emergency_needs_a_case_in_danger() -> None:
    with pytest.raises(HandoffRefused) as err:
        check_basis("emergency", profile("line"), RECORD)
    assert err.value.key == "handoff.error.basis_not_emergency"
    assert check_basis("emergency", profile("line"), {**RECORD, "immediate_danger": True})


def test_consent_needs_the_representative_and_each_child_of_seven_or_more() -> None:
    with pytest.raises(HandoffRefused) as err:
        check_basis("consent", profile("line"), RECORD, Consent(child=True))
    assert err.value.key == "handoff.error.consent_representative"
    with pytest.raises(HandoffRefused) as err:
        check_basis("consent", profile("line"), RECORD, Consent("parent"))
    assert err.value.key == "handoff.error.consent_child"
    assert "7" in err.value.message("en")
    young = {**RECORD, "children": [{"age": 4}]}
    basis = check_basis("consent", profile("line"), young, Consent("guardian"))
    assert basis["consent"] == {"child": False, "child_needed": False, "representative": "guardian"}
    unknown_age = {**RECORD, "children": [{"age": None}]}
    with pytest.raises(HandoffRefused):
        check_basis("consent", profile("line"), unknown_age, Consent("parent"))
    with pytest.raises(HandoffRefused) as err:
        check_basis("gossip", profile("line"), RECORD)
    assert err.value.key == "handoff.error.basis_unknown"


def test_receipt_steps_follow_the_task_states() -> None:
    assert next_status("sent", "accepted") == "accepted"
    assert next_status("accepted", "in_progress") == "in_progress"
    assert next_status("in_progress", "done") == "done"
    refused = [
        ("sent", "done"),
        ("accepted", "done"),
        ("done", "in_progress"),
        ("rejected", "accepted"),
    ]
    for current, status in refused:
        with pytest.raises(HandoffRefused) as err:
            next_status(current, status)
        assert err.value.key == "handoff.error.bad_step"


def test_a_receipt_body_round_trips_and_a_rejection_needs_a_reason() -> None:
    body = ReceiptBody("p", "111-2026-1", "done", "HN01", "HN01-2026-1", None, "xong", NOW)
    assert body.to_json()["status"] == "completed"
    assert ReceiptBody.from_json(body.to_json()) == body
    with pytest.raises(HandoffRefused) as err:
        ReceiptBody("p", "c", "rejected", "HN01", None, "  ", None, NOW)
    assert err.value.key == "handoff.error.reason_required"
    with pytest.raises(HandoffRefused):
        ReceiptBody.from_json({**body.to_json(), "status": "done"})  # ours, not FHIR's code


def test_every_handoff_message_is_one_sentence_in_both_languages() -> None:
    from caseintake.i18n import catalogue

    for lang in ("vi", "en"):
        keys = [k for k in catalogue(lang) if k.startswith("handoff.error.")]
        assert len(keys) >= 20
        for key in keys:
            text = t(
                key,
                lang,
                found="x",
                expires="x",
                created="x",
                body="x",
                basis="x",
                age=7,
                current="x",
                status="x",
                limit=1,
                line="x",
                fingerprint="x",
                size=1,
            )
            assert text.endswith(".") and text.count(". ") == 0, key
