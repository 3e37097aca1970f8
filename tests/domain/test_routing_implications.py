"""What a record implies, whatever box it was ticked in (DOMAIN §2; issue 7, item 6).

A child under 16 married, living as wife or husband, or about to be married carries signs of
sexual abuse and of a crime (BLHS 2015 Arts. 142/145/146); the Art. 10 groups "harmed by
violence", "exploited", "sexually abused" and "trafficked" imply their abuse form; a follow-up
call that discloses new abuse is a report for its new concerns. Times as in
test_routing_scenarios: Monday 2 March 2026, 08:15.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from caseintake.domain.routing.citations import basis_texts, internal_markers
from tests.domain.routing_support import bodies, call, local, plan, warnings

AT_RECEIPT = datetime(2026, 3, 2, 8, 15)
IN_12H = datetime(2026, 3, 2, 20, 15)
WD1 = datetime(2026, 3, 3, 17, 0)
SEX_CRIME = "blhs.art142_145_146"


def implied(d: object) -> set[str]:
    return {i.id for i in d.implied}  # type: ignore[attr-defined]


@pytest.mark.parametrize("age", [12, 14, 15])
def test_child_marriage_under_16_is_a_crime_sign(age: int) -> None:
    """A girl married off, or about to be, at 12–15: the police at once and the intervention
    level, besides child marriage itself (commune and Women's Union)."""
    d = call(concerns=("child_marriage",), ages=(age,), setting="family")
    assert (d.priority, d.protection_level) == ("high", "intervention")
    assert {"commune_committee", "womens_union", "commune_police"} <= bodies(d)
    police = plan(d, "commune_police")
    assert local(police.due_at) == AT_RECEIPT
    assert "child_marriage_under_16" in police.rule_ids and SEX_CRIME in police.basis
    assert "lhngd.art5" in police.basis and "blhs.art183" in police.basis
    assert local(plan(d, "health_facility").due_at) == IN_12H  # care and examination
    assert local(plan(d, "womens_union").due_at) == WD1
    # ... and sexual abuse of a child is itself a crime sign, cited by its articles (issue 22)
    assert implied(d) == {"child_marriage_under_16", "sexual_abuse_is_a_crime_sign"}
    assert d.implied[0].concerns == ("sexual_abuse",)
    assert "blhs.art142_147" in police.basis


@pytest.mark.parametrize("age", [16, 17])
def test_child_marriage_at_16_or_17_is_not_a_crime_sign(age: int) -> None:
    """Art. 145 protects children under 16: at 16–17 it is child marriage, not a police case."""
    d = call(concerns=("child_marriage",), ages=(age,))
    assert bodies(d) == {"commune_committee", "womens_union"}
    assert (d.priority, d.protection_level) == ("medium", "support")
    assert implied(d) == set()


def test_child_marriage_with_unknown_age_asks_for_it() -> None:
    """No age, no inference: the operator is asked for the age instead."""
    d = call(concerns=("child_marriage",), ages=(None,))
    assert "commune_police" not in bodies(d) and implied(d) == set()
    assert "age_unknown" in warnings(d)


def test_partner_of_a_child_under_16() -> None:
    """A 14-year-old beaten by the man she lives with, recorded as violence by her partner and
    not as child marriage: the same crime sign (whatever box the operator used)."""
    d = call(concerns=("violence",), perpetrators=("partner",), ages=(14,))
    assert d.protection_level == "intervention"
    police = plan(d, "commune_police")
    assert local(police.due_at) == AT_RECEIPT and "partner_of_child_under_16" in police.rule_ids
    assert implied(d) == {"partner_of_child_under_16", "sexual_abuse_is_a_crime_sign"}


def test_partner_of_a_17_year_old_is_not_a_sexual_abuse_sign() -> None:
    d = call(concerns=("violence",), perpetrators=("partner",), ages=(17,))
    assert "commune_police" not in bodies(d) and implied(d) == set()


@pytest.mark.parametrize(
    ("circumstance", "form", "crime"),
    [
        ("harmed_by_violence", "violence", {"serious_harm_is_assault"}),  # intentional injury
        ("sexually_abused", "sexual_abuse", {"sexual_abuse_is_a_crime_sign"}),
        ("trafficked", "trafficking", {"trafficking_is_a_crime_sign"}),
        ("exploited", "exploitation", set()),  # illegal child labour: police verify
    ],
)
def test_special_circumstance_implies_its_abuse_form(
    circumstance: str, form: str, crime: set[str]
) -> None:
    """Only the Art. 10 group is ticked, no concern: still abuse, intervention, police, and
    the police at once (never a working-day clock, issue 22)."""
    d = call(circumstances=(circumstance,))
    assert d.protection_level == "intervention" and d.priority in ("high", "emergency")
    assert implied(d) == {circumstance} | crime and d.implied[0].concerns == (form,)
    assert local(plan(d, "commune_police").due_at) == AT_RECEIPT
    assert local(plan(d, "commune_committee").due_at) == AT_RECEIPT
    assert "no_concern" not in warnings(d)


def test_sexually_abused_child_also_needs_medical_care() -> None:
    d = call(circumstances=("sexually_abused",))
    assert local(plan(d, "health_facility").due_at) == IN_12H


def test_trafficked_child_goes_to_the_province_too() -> None:
    d = call(circumstances=("trafficked",))
    assert "provincial_child_protection" in bodies(d)


def test_other_special_circumstances_imply_no_abuse() -> None:
    """An orphan or a child with a disability is supported, not an abuse case."""
    d = call(circumstances=("orphan", "disability"))
    assert d.protection_level == "support" and "commune_police" not in bodies(d)
    assert implied(d) == set()


def test_follow_up_disclosing_sexual_abuse_is_routed_like_a_report() -> None:
    """A follow-up on a violence case: the caller now says the step-father also abuses her
    sexually. No danger ticked: the commune and the police at once, intervention."""
    d = call(
        "follow_up",
        concerns=("violence", "sexual_abuse.molestation"),
        perpetrators=("step_parent",),
    )
    assert (d.priority, d.protection_level) == ("high", "intervention")
    assert {"commune_committee", "commune_police", "health_facility"} <= bodies(d)
    assert local(plan(d, "commune_police").due_at) == AT_RECEIPT
    assert local(plan(d, "commune_committee").due_at) == AT_RECEIPT
    assert "follow_up_report" in plan(d, "commune_police").rule_ids
    assert "follow_up_report" in implied(d)


def test_follow_up_disclosing_a_special_circumstance_only() -> None:
    """Implications chain: the Art. 10 group adds the concern, the concern makes it a report."""
    d = call("follow_up", circumstances=("trafficked",))
    assert implied(d) == {"trafficked", "follow_up_report", "trafficking_is_a_crime_sign"}
    assert {"commune_police", "provincial_child_protection"} <= bodies(d)


def test_follow_up_without_a_concern_routes_nowhere() -> None:
    """A follow-up that only asks how things stand is not a report."""
    d = call("follow_up")
    assert d.referrals == () and d.priority == "none" and implied(d) == set()


def test_counselling_call_is_not_made_a_report() -> None:
    """Only follow-ups are read as reports: counselling with a concern stays prevention."""
    d = call("counselling", concerns=("child_marriage",), ages=(15,))
    assert d.referrals == () and d.protection_level == "prevention"


def test_what_was_implied_is_shown_with_its_basis() -> None:
    """The operator reads why: the implication's reason and its legal basis, in both
    languages, with no internal note."""
    d = call(concerns=("child_marriage",), ages=(14,))
    out = d.to_json("vi")["implied"][0]
    assert out["id"] == "child_marriage_under_16" and out["concerns"] == ["sexual_abuse"]
    assert "16" in out["reason_text"] and "công an" in out["reason_text"]
    assert any("Điều 145" in b for b in out["basis_texts"])
    english = d.to_json("en")["implied"][0]
    assert any("Art. 145" in b for b in english["basis_texts"])
    for lang in ("vi", "en"):
        assert not any(internal_markers(b) for b in basis_texts(d.implied[0].basis, lang))
