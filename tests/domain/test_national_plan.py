"""The national plan follows its mix (issue 23 item 2): DOMAIN §1's shares of contacts, calls
back linked to their cases, several children, concerns and perpetrators per case, habitual
callers, and cases whose life after the call ends in closing, most within months."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from caseintake.domain.national.life import PATHS, case_life
from caseintake.domain.national.mix import national_mix
from caseintake.domain.national.plan import PlannedContact, national_contacts
from caseintake.domain.referrals.states import transition

END = datetime(2026, 11, 1, tzinfo=UTC)
START = END - timedelta(days=3 * 365)
N, OPERATORS = 10_000, 10
MIX = national_mix()


@pytest.fixture(scope="module")
def plan() -> list[PlannedContact]:
    return list(national_contacts(random.Random(111), N, START, END, OPERATORS))


def _near(found: float, expected: float, slack: float = 0.15) -> bool:
    return abs(found - expected) <= slack * expected


def test_the_plan_is_deterministic_and_has_every_contact(plan: list[PlannedContact]) -> None:
    again = list(national_contacts(random.Random(111), 500, START, END, OPERATORS))
    assert again == list(national_contacts(random.Random(111), 500, START, END, OPERATORS))
    assert sum(p.contacts for p in plan) == N
    times = [p.intake.received_at for p in plan]
    assert times == sorted(times) and times[0] >= START and times[-1] < END
    assert all(0 <= p.operator < OPERATORS for p in plan)


def test_the_contacts_follow_the_mix(plan: list[PlannedContact]) -> None:
    kinds = Counter(p.intake.contact_type for p in plan)
    kinds["follow_up"] += sum(len(p.repeats) for p in plan)
    for kind in MIX.contacts.values:
        assert _near(kinds[kind] / N, MIX.contacts.share(kind)), (kind, kinds[kind])


def test_calls_back_are_linked_to_a_case_reported_before_them(plan: list[PlannedContact]) -> None:
    reports = [p for p in plan if p.intake.contact_type == "report"]
    linked = [(p, call, op) for p in reports for call, op in p.repeats]
    window = timedelta(days=MIX.window_days)
    assert len(linked) > 0.8 * MIX.contacts.share("follow_up") * N  # nearly all are linked
    for report, call, operator in linked:
        assert call.contact_type == "follow_up" and 0 <= operator < OPERATORS
        assert report.intake.received_at <= call.received_at <= report.intake.received_at + window
        assert call.caller.phone == report.intake.caller.phone
        assert not call.concerns and not call.children  # it tells nothing new
    assert max(len(p.repeats) for p in reports) >= 3
    assert all(p.follow_seed is not None and p.until == END for p in reports)


def test_cases_have_several_children_concerns_and_perpetrators(plan: list[PlannedContact]) -> None:
    reports = [p.intake for p in plan if p.intake.contact_type == "report"]
    for field, weighted in (
        ("children", MIX.children),
        ("perpetrators", MIX.perpetrators),
    ):
        counts = Counter(len(getattr(r, field)) for r in reports)
        assert _near(counts[1] / len(reports), weighted.share(1), 0.1), field
        assert counts[2] and counts[3], field
    several = sum(len(r.concerns) > 1 for r in reports) / len(reports)
    assert 0.25 < several < 1 - MIX.concern_count.share(1) + 0.05  # repeats drawn fold into one
    first = Counter(r.concerns[0] for r in reports)
    assert _near(first["violence.physical"] / len(reports), MIX.concerns.share("violence.physical"))


def test_habitual_callers_make_many_calls_and_no_reports(plan: list[PlannedContact]) -> None:
    phones = Counter(p.intake.caller.phone for p in plan if p.intake.caller.phone)
    (busiest, calls), (_, second) = phones.most_common(2)
    assert calls > 0.6 * MIX.habitual_share * N and calls > 4 * second
    assert not any(p.intake.caller.phone == busiest for p in plan if p.intake.concerns)


def test_cases_close_mostly_within_months_and_the_backlog_is_young() -> None:
    created, until = START, END
    closed, within_half_year, referrals, stuck = 0, 0, 0, 0
    cases = 2_000
    for seed in range(cases):
        steps = case_life(MIX, seed, 2, created, until, [created + timedelta(days=3)])
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        assert sum(s.kind == "call" for s in steps) == 1
        state = {0: "pending", 1: "pending"}
        for s in (s for s in steps if s.kind == "referral"):
            transition("referral", state[s.index], s.state, "supervisor", "lý do")
            state[s.index] = s.state
        referrals += 2
        stuck += sum(v in ("pending", "sent") for v in state.values())
        ends = [s.at for s in steps if s.kind == "case" and s.state == "closed"]
        if ends:
            closed += 1
            within_half_year += ends[0] - created < timedelta(days=183)
            assert all(v in ("done", "declined", "revoked") for v in state.values())
    assert closed > 0.7 * cases  # three years on, most cases are closed
    assert within_half_year > 0.6 * closed  # most within months
    assert stuck < 0.02 * referrals  # few referrals left waiting on a body for years
    young = case_life(MIX, 1, 3, until - timedelta(hours=1), until)
    assert all(s.at <= until for s in young)  # nothing after the end of the plan


def test_every_outcome_is_a_path_of_the_referral_machine() -> None:
    assert set(MIX.outcomes.values) == set(PATHS)
    for path in PATHS.values():
        state = "pending"
        for step in path:
            transition("referral", state, step, "supervisor", "lý do")
            state = step
