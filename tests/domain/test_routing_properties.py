"""Property tests on the routing engine (DESIGN §9): any valid intake routes without a crash,
and every report with a concern and a known commune goes to that very commune."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.intake.record import Caller, Child, Intake, Location, Perpetrator
from caseintake.domain.routing.decision import Area
from caseintake.domain.routing.engine import route_intake
from caseintake.domain.routing.rules import PRIORITIES, PROTECTION_LEVELS
from tests.domain.routing_support import CAL, RULES

WARDS = sorted(w.code for p in geography.provinces() for w in geography.wards_of(p.code))
PROVINCES = sorted(p.code for p in geography.provinces())


def _codes(kind: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(taxonomy.codes(kind)))


def _tuple(kind: str, max_size: int = 3) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(_codes(kind), max_size=max_size, unique=True).map(tuple)


children = st.builds(
    Child,
    age=st.one_of(st.none(), st.integers(0, 25)),
    age_basis=_codes("age_basis"),
    sex=_codes("sex"),
    ethnicity=_codes("ethnicity"),
    disability=st.booleans(),
    special_circumstances=_tuple("special_circumstance"),
)


@st.composite
def locations(draw: st.DrawFn) -> Location:
    ward = draw(st.one_of(st.none(), st.sampled_from(WARDS), st.integers(-5, 10**6)))
    known = geography.ward(ward)
    province = draw(
        st.one_of(
            st.none(),
            st.sampled_from(PROVINCES),
            st.just(known.province_code if known else None),
            st.integers(-5, 200),
        )
    )
    return Location(province, ward)


received = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5))]),
)

intakes = st.builds(
    Intake,
    received_at=received,
    contact_type=_codes("contact_type"),
    channel=_codes("channel"),
    line=st.sampled_from(["111", "provincial"]),
    caller=st.builds(Caller, relationship=_codes("caller_relationship")),
    children=st.lists(children, max_size=3).map(tuple),
    location=locations(),
    concerns=_tuple("concern", 4),
    crime_signs=_tuple("crime_sign", 2),
    setting=st.one_of(st.none(), _codes("setting")),
    perpetrators=st.lists(
        st.builds(Perpetrator, relationship=_codes("perpetrator_relationship")), max_size=2
    ).map(tuple),
    immediate_danger=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(intakes)
def test_any_intake_routes(intake: Intake) -> None:
    d = route_intake(intake, RULES, CAL)
    assert d.priority in PRIORITIES and d.protection_level in PROTECTION_LEVELS
    bodies = taxonomy.codes("body")
    for r in d.referrals:
        assert r.body in bodies and r.rule_ids and r.basis
        assert r.due_at >= intake.received_at
        assert all(m.due_at >= intake.received_at for m in r.milestones)
    assert len({(r.body, r.area) for r in d.referrals}) == len(d.referrals)  # merged
    assert all(w.message("en") and w.message("vi") for w in d.warnings)
    assert d.to_json("vi")["priority"] == d.priority
    if not intake.is_data:
        assert (d.priority, d.referrals, d.actions_now) == ("none", (), ())
    elif intake.immediate_danger:
        assert d.priority == "emergency" and "emergency_113" in {a.code for a in d.actions_now}


@settings(max_examples=300, deadline=None)
@given(intakes, st.sampled_from(WARDS), st.lists(_codes("concern"), min_size=1, max_size=3))
def test_every_report_with_a_concern_goes_to_its_own_commune(
    intake: Intake, ward: int, concerns: list[str]
) -> None:
    province = geography.ward(ward).province_code  # type: ignore[union-attr]
    report = Intake(
        **{
            **intake.__dict__,
            "contact_type": "report",
            "concerns": tuple(concerns),
            "location": Location(province, ward),
        }
    )
    d = route_intake(report, RULES, CAL)
    commune = [r for r in d.referrals if r.body == "commune_committee"]
    assert [r.area for r in commune] == [Area("commune", province, ward)]
    assert commune[0].due_at <= report.received_at + timedelta(hours=12)
    assert d.priority in {"medium", "high", "emergency"}


@settings(max_examples=300, deadline=None)
@given(intakes, st.lists(_codes("concern"), min_size=1, max_size=3))
def test_signs_of_a_crime_reach_the_police_at_once(intake: Intake, concerns: list[str]) -> None:
    """DOMAIN §2 (issue 22): whatever else a report says, a sign of a crime, given or inferred,
    reaches the police (the Procuracy for violence by officials) at once; no police body is on a
    working-day clock; and no police body, the Procuracy or 111 is sent health data."""
    report = Intake(**{**intake.__dict__, "contact_type": "report", "concerns": tuple(concerns)})
    d = route_intake(report, RULES, CAL)
    crime_bodies = taxonomy.crime_bodies()
    for r in d.referrals:
        if r.body in crime_bodies:
            assert not r.due_spec.endswith("wd") and not r.due_to_confirm
            assert not r.health_data
    assert set(report.crime_signs) <= set(d.crime_signs)
    due = {r.body: r.due_spec for r in d.referrals}
    if set(d.crime_signs) - taxonomy.procuracy_crime_signs():
        assert "commune_police" in due and due["commune_police"] == "immediately"
    if set(d.crime_signs) & taxonomy.procuracy_crime_signs():
        assert due.get("procuracy") == "immediately" and due.get("legal_aid") == "immediately"
