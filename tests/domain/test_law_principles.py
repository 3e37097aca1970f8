"""DOMAIN §2 "What a record implies", principle by principle (issue 22), each with several calls
written from the law rather than from any one call: the body that must act, how soon, and the
article a user can look up. Calls are on Monday 2 March 2026, 08:15 in Phường Tân Định."""

from __future__ import annotations

from datetime import datetime

import pytest

from caseintake.domain.routing.decision import Decision
from tests.domain.routing_support import bodies, call, local, plan

AT_RECEIPT = datetime(2026, 3, 2, 8, 15)
WD1 = datetime(2026, 3, 3, 17, 0)


def at_once(d: Decision, body: str) -> bool:
    return local(plan(d, body).due_at) == AT_RECEIPT and plan(d, body).due_spec == "immediately"


def cited(d: Decision, body: str, key: str) -> bool:
    return key in plan(d, body).basis


# ---- 1. The operator's "signs of a crime": any sign, the police at once, with its article ------


@pytest.mark.parametrize(
    ("sign", "article"),
    [
        ("cruelty", "blhs.art140"),
        ("assault", "blhs.art134"),
        ("sexual_offence", "blhs.art142_147"),
        ("sexual_exploitation", "blhs.art326_329"),
        ("drugs", "blhs.art250_258"),
        ("trafficking", "blhs.art150_151"),
        ("abduction", "blhs.art153"),
        ("other", "bltths.art144_145"),
    ],
)
def test_a_crime_sign_the_operator_heard_goes_to_the_police_at_once(
    sign: str, article: str
) -> None:
    """Whatever concern the operator chose (even one that is no crime by itself), the sign
    decides: police at once, the article cited (BLTTHS Arts. 144–145)."""
    for concern in ("other_harm", "neglect", "financial_need"):
        d = call(concerns=(concern,), crime_signs=(sign,), ages=(11,))
        assert at_once(d, "commune_police") and cited(d, "commune_police", article)
        assert sign in d.crime_signs and d.priority in ("high", "emergency")


def test_the_sign_and_its_abuse_form_imply_each_other() -> None:
    """Routing never depends on the box: a sexual-offence sign is sexual abuse (health care), a
    sexual-abuse concern is a sexual-offence sign (its articles)."""
    by_sign = call(concerns=("other_harm",), crime_signs=("sexual_offence",), ages=(12,))
    by_concern = call(concerns=("sexual_abuse.molestation",), ages=(12,))
    for d in (by_sign, by_concern):
        assert {"commune_police", "health_facility"} <= bodies(d)
        assert cited(d, "commune_police", "blhs.art142_147")
        assert d.protection_level == "intervention"
    trafficked = call(concerns=("other_harm",), crime_signs=("trafficking",), ages=(9,))
    assert "provincial_child_protection" in bodies(trafficked)


# ---- 2. Cruelty to a dependant (BLHS Art. 140) ---------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "perpetrator", "ages"),
    [
        ("care_institution", "carer", (7, 9, 11)),  # shelter staff, several orphans
        ("care_institution", "unknown", (6,)),  # staff not named
        ("family", "carer", (4,)),  # a paid carer at home
        ("workplace", "employer", (14,)),  # an employer of a child worker
        ("school", "teacher", (2, 3)),  # nursery carers and toddlers
        ("community", "carer", (15,)),  # wherever it happened
    ],
)
def test_violence_by_those_a_child_depends_on_is_cruelty(
    setting: str, perpetrator: str, ages: tuple[int, ...]
) -> None:
    """No injury threshold: beating, starving or locking up a dependant is a crime in itself."""
    d = call(concerns=("violence",), setting=setting, perpetrators=(perpetrator,), ages=ages)
    assert "cruelty" in d.crime_signs
    assert at_once(d, "commune_police") and cited(d, "commune_police", "blhs.art140")
    assert d.protection_level == "intervention" and at_once(d, "commune_committee")


@pytest.mark.parametrize(
    ("setting", "perpetrator", "ages"),
    [
        ("community", "peer", (12,)),  # a fight between children
        ("school", "teacher", (12,)),  # a teacher and a 12-year-old: school, not nursery
        ("family", "neighbour", (8,)),
    ],
)
def test_violence_by_others_is_not_cruelty_to_a_dependant(
    setting: str, perpetrator: str, ages: tuple[int, ...]
) -> None:
    d = call(concerns=("violence",), setting=setting, perpetrators=(perpetrator,), ages=ages)
    assert "cruelty" not in d.crime_signs and "commune_police" not in bodies(d)


# ---- 3. Violence by officials: the Procuracy, legal aid, never only the unit involved ---------------


@pytest.mark.parametrize(
    ("concern", "setting", "age"),
    [
        ("violence", "other", 15),  # beaten at a police station to confess
        ("violence.physical", "community", 13),  # beaten by a guard at arrest
        ("sexual_abuse", "other", 16),  # abused in custody
        ("other_harm", "unknown", 14),
    ],
)
def test_violence_by_an_official_goes_to_the_procuracy_with_legal_aid(
    concern: str, setting: str, age: int
) -> None:
    d = call(concerns=(concern,), setting=setting, perpetrators=("official",), ages=(age,))
    assert "custody_violence" in d.crime_signs
    assert at_once(d, "procuracy") and at_once(d, "legal_aid")
    assert plan(d, "procuracy").area.level == "province"  # not the commune unit involved
    assert cited(d, "procuracy", "blhs.art373_374") and cited(d, "procuracy", "bltths.art163")
    assert cited(d, "legal_aid", "bltths.art76")
    assert d.protection_level == "intervention"


def test_the_procuracy_sign_alone_does_not_go_to_the_commune_police() -> None:
    """Violence by officials is investigated by the Procuracy's agency, not by the police unit
    involved (BLTTHS Art. 163(3)); a sexual offence beside it still goes to the police too."""
    d = call(concerns=("violence",), perpetrators=("official",), ages=(15,))
    assert "commune_police" not in bodies(d)
    given = call(concerns=("other_harm",), crime_signs=("custody_violence",), ages=(16,))
    assert "commune_police" not in bodies(given) and at_once(given, "procuracy")
    both = call(concerns=("sexual_abuse",), perpetrators=("official",), ages=(14,))
    assert at_once(both, "procuracy") and at_once(both, "commune_police")


# ---- 4. Children in conflict with the law: legal aid always -----------------------------------------


@pytest.mark.parametrize("age", [12, 15, 17])
@pytest.mark.parametrize("concern", ["rights_violation", "financial_need", "violence"])
def test_a_child_in_conflict_with_the_law_gets_legal_aid(age: int, concern: str) -> None:
    d = call(concerns=(concern,), circumstances=("in_conflict_with_law",), ages=(age,))
    assert at_once(d, "legal_aid") and cited(d, "legal_aid", "ltgpl.art7")
    assert cited(d, "legal_aid", "bltths.art76") and plan(d, "legal_aid").area.level == "province"


def test_custody_violence_makes_the_child_one_in_conflict_with_the_law() -> None:
    d = call(concerns=("violence",), perpetrators=("official",), ages=(15,))
    assert "conflict_with_law_legal_aid" in plan(d, "legal_aid").rule_ids
    assert "custody_violence_child_in_conflict" in {i.id for i in d.implied}


# ---- 5. Drug crimes against children -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("concerns", "perpetrator", "age"),
    [
        (("exploitation",), "acquaintance", 14),  # used as a courier
        (("exploitation.other",), "relative", 12),  # made to sell
        (("violence",), "stranger", 15),  # forced to use
        (("other_harm",), "peer", 17),
    ],
)
def test_a_child_drawn_into_drugs_is_a_police_case_at_once(
    concerns: tuple[str, ...], perpetrator: str, age: int
) -> None:
    d = call(
        concerns=concerns, circumstances=("drug_use",), perpetrators=(perpetrator,), ages=(age,)
    )
    assert "drugs" in d.crime_signs
    assert at_once(d, "commune_police") and cited(d, "commune_police", "blhs.art250_258")
    assert plan(d, "commune_police").due_spec != "1wd"  # no child-labour check instead


def test_a_drug_crime_sign_puts_the_child_in_the_drug_use_circumstance() -> None:
    """The operator says only "drugs": the child is supported (Art. 10) at the commune."""
    d = call(concerns=("financial_need",), crime_signs=("drugs",), ages=(13,))
    assert at_once(d, "commune_police")
    assert "special_circumstances_support" in plan(d, "commune_committee").rule_ids
    assert d.protection_level in ("support", "intervention")


def test_a_child_who_uses_drugs_without_abuse_is_supported_not_policed() -> None:
    d = call(concerns=("financial_need",), circumstances=("drug_use",), ages=(16,))
    assert "drugs" not in d.crime_signs and "commune_police" not in bodies(d)


# ---- 6. Medical care first: abandoned newborns, untreated injuries ---------------------------------


@pytest.mark.parametrize(
    ("concerns", "circumstances"),
    [
        (("neglect.abandonment",), ()),  # a newborn left overnight in the cold
        (("neglect",), ("abandoned",)),
        (("alternative_care",), ("abandoned",)),
        (("financial_need",), ("abandoned",)),  # only the circumstance says it
    ],
)
def test_an_abandoned_infant_goes_to_a_health_facility_at_once(
    concerns: tuple[str, ...], circumstances: tuple[str, ...]
) -> None:
    d = call(concerns=concerns, circumstances=circumstances, ages=(0,))
    assert at_once(d, "health_facility") and cited(d, "health_facility", "ltre.art50_medical")
    assert at_once(d, "commune_committee")  # beside the commune


@pytest.mark.parametrize("age", [0, 6, 15])
def test_untreated_injuries_or_an_assault_go_to_a_health_facility_at_once(age: int) -> None:
    untreated = call(concerns=("neglect.medical",), ages=(age,))
    assert at_once(untreated, "health_facility")
    assaulted = call(concerns=("other_harm",), crime_signs=("assault",), ages=(age,))
    assert at_once(assaulted, "health_facility") and at_once(assaulted, "commune_police")
    harmed = call(concerns=("violence",), circumstances=("harmed_by_violence",), ages=(age,))
    assert at_once(harmed, "health_facility") and cited(harmed, "commune_police", "blhs.art134")


def test_an_older_abandoned_child_is_sheltered_not_hospitalised_by_default() -> None:
    d = call(concerns=("neglect.abandonment",), ages=(9,))
    assert "health_facility" not in bodies(d)
    assert "social_protection_facility" in bodies(d)


# ---- 7. School: routing follows the perpetrators and the institution ---------------------------------


@pytest.mark.parametrize(
    ("concern", "setting", "perpetrator", "age"),
    [
        ("violence", "community", "peer", 13),  # classmates, 200 m outside the gate
        ("online_harm.bullying", "online", "peer", 14),  # ... and the film they shared
        ("sexual_abuse.molestation", "family", "teacher", 10),  # at the teacher's house
        ("violence.emotional", "online", "teacher", 16),
        ("rights_violation.education", "unknown", "unknown", 8),  # refused: HIV
        ("rights_violation", "school", "unknown", 11),
        ("rights_violation.discrimination", "community", "teacher", 12),
    ],
)
def test_the_education_authority_acts_wherever_it_happened(
    concern: str, setting: str, perpetrator: str, age: int
) -> None:
    d = call(concerns=(concern,), setting=setting, perpetrators=(perpetrator,), ages=(age,))
    assert "education" in bodies(d)
    assert plan(d, "education").due_to_confirm  # one working day is not read in a source


def test_a_fight_with_a_non_school_age_peer_or_a_refusal_elsewhere_is_not_the_schools() -> None:
    assert "education" not in bodies(
        call(concerns=("violence",), perpetrators=("peer",), ages=(4,))
    )
    other = call(concerns=("rights_violation.discrimination",), setting="community", ages=(9,))
    assert "education" not in bodies(other)


# ---- 8. Sensitive health data only to bodies that need it (DOMAIN §6) --------------------------------


def test_hiv_status_goes_to_the_bodies_that_act_on_it_only() -> None:
    """A school refuses a child with HIV: the education authority needs the ground to act, and
    the commune leads the support plan; no police body is sent it."""
    d = call(concerns=("rights_violation.education",), circumstances=("hiv",), ages=(8,))
    assert d.health_data_held == ("hiv",)
    assert plan(d, "education").health_data and plan(d, "commune_committee").health_data
    raped = call(concerns=("sexual_abuse.rape",), circumstances=("hiv",), ages=(14,))
    assert plan(raped, "health_facility").health_data
    assert not plan(raped, "commune_police").health_data
    online = call(concerns=("online_harm",), circumstances=("hiv", "disability"), ages=(13,))
    assert not plan(online, "cyber_police").health_data


@pytest.mark.parametrize("circumstance", ["hiv", "serious_illness_poor", "drug_use", "disability"])
def test_legal_aid_and_the_police_never_get_health_data(circumstance: str) -> None:
    d = call(
        concerns=("violence", "custody_dispute"),
        circumstances=(circumstance, "in_conflict_with_law"),
        perpetrators=("carer",),
        ages=(12,),
    )
    assert circumstance in d.health_data_held
    for body in ("commune_police", "legal_aid"):
        assert not plan(d, body).health_data
    json_plan = next(r for r in d.to_json("en")["referrals"] if r["body"] == "legal_aid")
    assert json_plan["health_data"] is False


def test_a_record_without_health_data_holds_none() -> None:
    assert call(concerns=("violence",), ages=(9,)).health_data_held == ()
