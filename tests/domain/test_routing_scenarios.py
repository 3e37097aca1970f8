"""Realistic calls, each checked for bodies, priority, protection level, actions and deadlines.

Times are Viet Nam time; the default call comes in on Monday 2 March 2026 at 08:15, so
"immediately" is 08:15, 12 h is 20:15, 1 working day is Tue 3/3 17:00, 5 working days is
Mon 9/3 17:00, 7 working days is Wed 11/3 17:00 and 15 days is Tue 17/3 08:15.
"""

from __future__ import annotations

from datetime import datetime

from caseintake.domain.intake.validation import parse_intake
from caseintake.domain.routing.decision import Area
from caseintake.domain.routing.engine import route_intake
from tests.domain.routing_support import (
    CAL,
    KINH_BAC,
    MONDAY,
    RULES,
    SOC_TRANG,
    TAN_DINH,
    THANH_SEN,
    actions,
    bodies,
    call,
    local,
    plan,
    warnings,
)
from tests.samples import design_example

AT_RECEIPT = datetime(2026, 3, 2, 8, 15)
IN_12H = datetime(2026, 3, 2, 20, 15)
WD1 = datetime(2026, 3, 3, 17, 0)
WD5 = datetime(2026, 3, 9, 17, 0)
WD7 = datetime(2026, 3, 11, 17, 0)
D15 = datetime(2026, 3, 17, 8, 15)
HCM_COMMUNE = Area("commune", 79, TAN_DINH)
HCM = Area("province", 79)


def test_violence_at_home_with_immediate_danger() -> None:
    """A neighbour hears a step-father beating a 9-year-old now: 113 and 115 at once, the
    commune at once, police and commune within 12 h, separation for at most 15 days
    (Decree 56/2017 ch. III)."""
    d = call(
        concerns=("violence.physical",),
        setting="family",
        perpetrators=("step_parent",),
        danger=True,
    )
    assert (d.priority, d.protection_level) == ("emergency", "intervention")
    assert actions(d) == ["emergency_113", "emergency_115"]
    assert bodies(d) == {"commune_committee", "commune_police"}
    commune = plan(d, "commune_committee")
    assert commune.area == HCM_COMMUNE and local(commune.due_at) == AT_RECEIPT
    assert {"report_to_commune", "immediate_danger", "separation_from_abuser"} <= set(
        commune.rule_ids
    )
    assert [(m.code, local(m.due_at)) for m in commune.milestones] == [("separation_limit", D15)]
    assert local(plan(d, "commune_police").due_at) == IN_12H
    assert warnings(d) == set()


def test_violence_at_home_without_immediate_danger() -> None:
    """Repeated beatings reported by a teacher, child safe today: commune at once and a
    support plan in 5 working days, approval in about 7 (Decree 56/2017 ch. III)."""
    d = call(concerns=("violence",), setting="family", perpetrators=("parent",))
    assert (d.priority, d.protection_level) == ("high", "intervention")
    assert actions(d) == [] and bodies(d) == {"commune_committee"}
    commune = plan(d, "commune_committee")
    assert local(commune.due_at) == AT_RECEIPT
    assert [(m.code, local(m.due_at)) for m in commune.milestones] == [
        ("support_plan", WD5),
        ("plan_approval", WD7),
    ]


def test_sexual_abuse_at_school_by_a_teacher() -> None:
    """Molestation by a teacher: a crime sign (police at once, Criminal Procedure Code
    Art. 144), medical care in 12 h, the education authority next working day."""
    d = call(
        concerns=("sexual_abuse.molestation",),
        setting="school",
        perpetrators=("teacher",),
        ages=(11,),
    )
    assert (d.priority, d.protection_level) == ("high", "intervention")
    assert bodies(d) == {"commune_committee", "commune_police", "health_facility", "education"}
    assert local(plan(d, "commune_police").due_at) == AT_RECEIPT
    assert local(plan(d, "health_facility").due_at) == IN_12H
    education = plan(d, "education")
    assert local(education.due_at) == WD1
    assert set(education.rule_ids) == {"school_abuse_education", "teacher_abuse_education"}
    assert education.basis == ("ltre.art4",)  # no other province's directive (citation_scope)


def test_online_sexual_exploitation() -> None:
    """A 14-year-old coerced into sending images by an online contact: cyber police of the
    province (Luật An ninh mạng 2018 Art. 29) and police, both at once: a sign of a crime is
    never held back while the content spreads (BLTTHS Arts. 144–145; issue 22)."""
    d = call(
        concerns=("sexual_abuse.online",),
        setting="online",
        perpetrators=("online_contact",),
        ages=(14,),
    )
    assert d.priority == "high"
    cyber = plan(d, "cyber_police")
    assert cyber.area == HCM and local(cyber.due_at) == AT_RECEIPT
    assert set(cyber.rule_ids) == {
        "online_sexual_abuse_cyber_police",
        "online_setting_cyber_police",
    }
    assert bodies(d) == {"commune_committee", "commune_police", "health_facility", "cyber_police"}


def test_child_labour() -> None:
    """A 13-year-old working nights in a workshop: exploitation (abuse, Art. 4); the police
    verify it (Bộ luật Lao động 2019 Arts. 143–147; BLHS Art. 296), told at once: a report to
    the police is never on a working-day clock (issue 22)."""
    d = call(
        concerns=("exploitation.child_labour",),
        setting="workplace",
        perpetrators=("employer",),
        ages=(13,),
    )
    assert (d.priority, d.protection_level) == ("high", "intervention")
    assert bodies(d) == {"commune_committee", "commune_police"}
    assert local(plan(d, "commune_police").due_at) == AT_RECEIPT


def test_commercial_sexual_exploitation_is_a_crime_sign() -> None:
    """Girls kept in a karaoke bar (BLHS Arts. 327–329): police at once, no cyber police."""
    d = call(concerns=("exploitation.commercial_sexual",), setting="workplace", ages=(15,))
    assert local(plan(d, "commune_police").due_at) == AT_RECEIPT
    assert "cyber_police" not in bodies(d)


def test_trafficking_signs() -> None:
    """A girl promised a job across the border: police at once (BLHS Art. 151), the provincial
    authority within 12 h."""
    d = call(concerns=("trafficking.cross_border",), ages=(15,), province=24, ward=KINH_BAC)
    assert (d.priority, d.protection_level) == ("high", "intervention")
    assert local(plan(d, "commune_police").due_at) == AT_RECEIPT
    province = plan(d, "provincial_child_protection")
    assert province.area == Area("province", 24) and local(province.due_at) == IN_12H


def test_drowning_risk() -> None:
    """Children swim in an unfenced flooded quarry: a risk the directives name (seeds 002,
    004): the commune at once, medium priority, support level; nothing to dial."""
    d = call(concerns=("injury_drowning",), setting="community", ages=(8, 10))
    assert (d.priority, d.protection_level) == ("medium", "support")
    assert actions(d) == [] and bodies(d) == {"commune_committee"}
    assert set(plan(d, "commune_committee").rule_ids) == {
        "report_to_commune",
        "injury_risk_commune",
    }


def test_drowning_in_progress() -> None:
    """A child is in the water now: 113, 114 rescue and 115 ambulance."""
    d = call(concerns=("injury_drowning",), danger=True)
    assert d.priority == "emergency"
    assert actions(d) == ["emergency_113", "emergency_114", "emergency_115"]


def test_child_marriage() -> None:
    """A 17-year-old girl to be married next month (Luật HN&GĐ 2014 Art. 5; seeds 003, 004):
    the commune and the Women's Union (under 16 it is also a crime sign: see
    test_routing_implications)."""
    d = call(concerns=("child_marriage",), ages=(17,), province=42, ward=THANH_SEN)
    assert (d.priority, d.protection_level) == ("medium", "support")
    assert bodies(d) == {"commune_committee", "womens_union"}
    union = plan(d, "womens_union")
    assert union.area == Area("commune", 42, THANH_SEN) and local(union.due_at) == WD1
    assert local(plan(d, "commune_committee").due_at) == AT_RECEIPT  # merged: earliest wins


def test_orphan_needing_alternative_care() -> None:
    """A 6-year-old orphan whose grandmother has died: a safe place within 12 h, the provincial
    authority, family-based care through the Women's Union (seed 003, Mẹ đỡ đầu)."""
    d = call(concerns=("alternative_care",), circumstances=("orphan",), ages=(6,))
    assert (d.priority, d.protection_level) == ("high", "support")
    assert bodies(d) == {
        "commune_committee",
        "social_protection_facility",
        "provincial_child_protection",
        "womens_union",
    }
    province = plan(d, "provincial_child_protection")
    assert local(province.due_at) == IN_12H
    assert province.rule_ids[0] == "alternative_care" and "orphan_family_care" in province.rule_ids
    assert [m.code for m in province.milestones] == ["separation_limit"]
    assert local(plan(d, "womens_union").due_at) == WD5


def test_seventeen_year_old() -> None:
    """A 17-year-old beaten at home: routed like a child, but not counted as "trẻ em"
    (Luật Trẻ em 2016 Art. 1)."""
    d = call(concerns=("violence",), ages=(17,))
    assert d.priority == "high" and "commune_committee" in bodies(d)
    assert warnings(d) == {"age_16_17"}
    (w,) = d.warnings
    assert "17" in w.message("en") and "Art. 1" in w.message("en")


def test_silent_and_prank_calls_route_nowhere() -> None:
    """Non-data contacts (CHI data framework): counted, never routed."""
    for kind in ("silent", "hang_up", "prank_abusive", "wrong_number", "thanks"):
        d = call(kind, ages=())
        assert (d.priority, d.protection_level, d.referrals, d.actions_now, d.warnings) == (
            "none",
            "none",
            (),
            (),
            (),
        )


def test_counselling_without_concern() -> None:
    """A child asks about exam stress: prevention level, no referral (Arts. 47–50)."""
    d = call("counselling", ages=(14,))
    assert (d.priority, d.protection_level, d.referrals) == ("none", "prevention", ())


def test_counselling_about_online_bullying() -> None:
    """A child wants advice about being mocked in a group chat: low, prevention, no referral."""
    d = call("counselling", concerns=("online_harm.bullying",), ages=(12,))
    assert (d.priority, d.protection_level, d.referrals) == ("low", "prevention", ())


def test_custody_dispute() -> None:
    """Divorcing parents fight over a 7-year-old: legal aid of the province (Luật TGPL 2017
    Art. 7), within 5 working days."""
    d = call(concerns=("custody_dispute",), ages=(7,))
    assert (d.priority, d.protection_level) == ("medium", "support")
    legal = plan(d, "legal_aid")
    assert legal.area == HCM and local(legal.due_at) == WD5


def test_financial_need() -> None:
    """A mother cannot pay for her son's schooling: Women's Union sponsorship (seeds 000,
    003), commune at once."""
    d = call(concerns=("financial_need",), province=92, ward=SOC_TRANG)
    assert bodies(d) == {"commune_committee", "womens_union"}
    assert local(plan(d, "womens_union").due_at) == WD5
    commune = plan(d, "commune_committee")
    assert local(commune.due_at) == AT_RECEIPT
    assert commune.rule_ids == ("report_to_commune", "financial_need")


def test_neglect() -> None:
    """Small children left alone for days: neglect is abuse (Art. 4), no crime sign."""
    d = call(concerns=("neglect.neglect",), ages=(3, 5), setting="family", perpetrators=("parent",))
    assert (d.priority, d.protection_level) == ("high", "intervention")
    assert bodies(d) == {"commune_committee"}


def test_abandoned_newborn() -> None:
    """A newborn left at a pagoda gate: shelter within 12 h, provincial authority, family care."""
    d = call(concerns=("neglect.abandonment",), ages=(0,), circumstances=("abandoned",))
    assert d.priority == "high"
    assert local(plan(d, "social_protection_facility").due_at) == IN_12H
    assert "womens_union" in bodies(d)


def test_disaster() -> None:
    """Children of a flooded village without food: the provincial authority next working day."""
    d = call(concerns=("disaster_epidemic",), ages=(4, 9, 12))
    assert d.priority == "medium"
    assert local(plan(d, "provincial_child_protection").due_at) == WD1


def test_dropout() -> None:
    """A 12-year-old stopped going to school: education, 5 working days (seed 004)."""
    d = call(concerns=("dropout",), ages=(12,))
    assert bodies(d) == {"commune_committee", "education"}
    assert local(plan(d, "education").due_at) == WD5


def test_serious_violence_goes_to_the_police() -> None:
    """A child seriously harmed by violence (Art. 10 group): police at once."""
    d = call(concerns=("violence.physical",), circumstances=("harmed_by_violence",))
    assert local(plan(d, "commune_police").due_at) == AT_RECEIPT


def test_follow_up_with_immediate_danger() -> None:
    """A follow-up call: the abuser is back and threatening: emergency despite the type, and
    the commune at once (a follow-up with a concern is a report, DOMAIN §2)."""
    d = call("follow_up", concerns=("violence",), perpetrators=("parent",), danger=True)
    assert d.priority == "emergency" and "emergency_113" in actions(d)
    assert local(plan(d, "commune_committee").due_at) == AT_RECEIPT
    assert local(plan(d, "commune_police").due_at) == IN_12H


def test_provincial_line_informs_111() -> None:
    """Abuse on the Bắc Ninh line (seed 003): 111 follows local handling (DOMAIN §4)."""
    d = call(concerns=("violence",), line="provincial", province=24, ward=KINH_BAC)
    hotline = plan(d, "hotline_111")
    assert hotline.area == Area("national") and local(hotline.due_at) == WD1


def test_unknown_commune_goes_to_the_province() -> None:
    d = call(concerns=("violence",), ward=None)
    assert plan(d, "commune_committee").area == HCM
    assert warnings(d) == {"commune_unknown"}


def test_unknown_location_goes_national() -> None:
    d = call(concerns=("violence",), province=None, ward=None)
    assert plan(d, "commune_committee").area == Area("national")
    assert warnings(d) == {"location_unknown"}


def test_pre_2025_ward_code_and_province_mismatch() -> None:
    d = call(concerns=("violence",), ward=26734)  # old Phường Tân Định, Quận 1
    assert plan(d, "commune_committee").area == HCM_COMMUNE
    assert warnings(d) == {"legacy_ward"}
    d = call(concerns=("violence",), province=1, ward=TAN_DINH)
    assert plan(d, "commune_committee").area == HCM_COMMUNE
    assert warnings(d) == {"ward_province_mismatch"}


def test_report_before_tet_on_a_friday_night() -> None:
    """Friday 13/2/2026 23:30, Tết 16–20/2: the plan is due Fri 27/2, approval Tue 3/3."""
    received = datetime(2026, 2, 13, 23, 30, tzinfo=MONDAY.tzinfo)
    d = call(concerns=("violence",), received=received)
    milestones = {m.code: local(m.due_at) for m in plan(d, "commune_committee").milestones}
    assert milestones == {
        "support_plan": datetime(2026, 2, 27, 17, 0),
        "plan_approval": datetime(2026, 3, 3, 17, 0),
    }


def test_report_without_concern_unknown_age_and_adult() -> None:
    assert warnings(call(ages=(9,))) == {"report_without_concern"}
    assert call(ages=(9,)).priority == "none"
    assert warnings(call(concerns=("violence",), ages=(None,))) == {"age_unknown"}
    assert warnings(call(concerns=("violence",), ages=())) == {"age_unknown"}
    assert warnings(call(concerns=("violence",), ages=(19,))) == {"not_a_child"}


def test_decision_json() -> None:
    d = call(concerns=("violence",), danger=True, perpetrators=("parent",))
    out = d.to_json("en")
    assert out["priority"] == "emergency" and out["protection_level"] == "intervention"
    assert out["actions_now"][0]["code"] == "emergency_113"
    first = out["referrals"][0]
    assert first["body"] == "commune_committee"
    assert first["area"] == {"level": "commune", "province_code": 79, "ward_code": TAN_DINH}
    assert first["due_at"] == "2026-03-02T01:15:00+00:00"
    assert first["due_at_local"] == "2026-03-02T08:15:00+07:00"
    assert first["basis"] and first["rule_ids"] and first["reason_texts"]
    assert "reason_texts" not in d.to_json()["referrals"][0]


def test_design_example_through_validation() -> None:
    """The DESIGN §6 intake JSON, validated then routed."""
    data = design_example(location={"province_code": 79, "ward_code": 26737})
    d = route_intake(parse_intake(data), RULES, CAL)
    assert d.priority == "emergency"
    assert bodies(d) == {"commune_committee", "commune_police"}
