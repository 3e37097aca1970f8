"""Shared helpers for the routing tests: build an intake in a line, read a decision back."""

from __future__ import annotations

from datetime import datetime

from caseintake.domain.intake.record import Child, Intake, Location, Perpetrator
from caseintake.domain.referrals.deadlines import VN_TZ, WorkingCalendar, to_local
from caseintake.domain.routing.decision import Decision, ReferralPlan
from caseintake.domain.routing.engine import route_intake
from caseintake.domain.routing.rules import load_rules

CAL = WorkingCalendar()
RULES = load_rules()
# Monday 2 March 2026, 08:15 in Viet Nam (the DESIGN §6 example).
MONDAY = datetime(2026, 3, 2, 8, 15, tzinfo=VN_TZ)
TAN_DINH = 26737  # Phường Tân Định, Thành phố Hồ Chí Minh (79)
SOC_TRANG = 31507  # Phường Sóc Trăng, Thành phố Cần Thơ (92)
KINH_BAC = 9187  # Phường Kinh Bắc, Bắc Ninh (24)
THANH_SEN = 18073  # Phường Thành Sen, Hà Tĩnh (42)


def call(
    contact_type: str = "report",
    *,
    concerns: tuple[str, ...] = (),
    crime_signs: tuple[str, ...] = (),
    ages: tuple[int | None, ...] = (9,),
    circumstances: tuple[str, ...] = (),
    perpetrators: tuple[str, ...] = (),
    setting: str | None = None,
    danger: bool = False,
    province: int | None = 79,
    ward: int | None = TAN_DINH,
    line: str = "111",
    received: datetime = MONDAY,
) -> Decision:
    intake = Intake(
        received_at=received,
        contact_type=contact_type,
        line=line,
        children=tuple(Child(age=a, special_circumstances=circumstances) for a in ages),
        location=Location(province, ward),
        concerns=concerns,
        crime_signs=crime_signs,
        setting=setting,
        perpetrators=tuple(Perpetrator(p) for p in perpetrators),
        immediate_danger=danger,
    )
    return route_intake(intake, RULES, CAL)


def local(moment: datetime) -> datetime:
    return to_local(moment).replace(tzinfo=None)


def plan(decision: Decision, body: str) -> ReferralPlan:
    found = [r for r in decision.referrals if r.body == body]
    assert len(found) == 1, f"{body}: {[r.body for r in decision.referrals]}"
    return found[0]


def bodies(decision: Decision) -> set[str]:
    return {r.body for r in decision.referrals}


def actions(decision: Decision) -> list[str]:
    return [a.code for a in decision.actions_now]


def warnings(decision: Decision) -> set[str]:
    return {w.code for w in decision.warnings}


# The least a rules file needs so that every sign of a crime reaches the police (or, for
# violence by officials, the Procuracy) at once: `rules check` refuses a file without it.
CRIME_RULES = """
[[rule]]
id = "crime_police"
basis = ["bltths.art144_145"]
description = "routing.rule.crime_sign_police"
[rule.when]
crime_sign = true
[rule.then]
refer = [{ body = "commune_police", area = "commune" }]
due = "immediately"

[[rule]]
id = "crime_procuracy"
basis = ["blhs.art373_374", "bltths.art163"]
description = "routing.rule.official_violence_procuracy"
[rule.when]
any_crime_sign = ["custody_violence"]
[rule.then]
refer = [{ body = "procuracy", area = "province" }]
due = "immediately"
"""
