"""A decade of the national line for the benchmarks (issues 11 and 23), in time order.

Follows ``national_mix.toml`` (DOMAIN §1's mix of calls, the intervention mix of concerns):
- every contact's kind is drawn first; a follow-up call is linked to a case reported in the
  weeks before it and travels with that report (``PlannedContact.repeats``), so a case has
  calls back about it, by the same caller;
- a report has one or several children, concerns and perpetrators, in the province of the
  2025 map drawn by population, a commune among the province's own;
- phones: repeat callers (one phone per 8 contacts), and a few habitual callers who make
  thousands of the calls that are not reports;
- each report carries the seed of its life after the call (``life.case_life``): its
  referrals move on, it closes when they have ended (most within months), up to ``end``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from caseintake.domain.intake.record import Caller, Child, Intake, Location, Perpetrator
from caseintake.domain.national.mix import NationalMix, Weighted, national_mix
from caseintake.domain.synthetic import CALLERS, NARRATIVES, PERPETRATORS, SETTING_FOR, TOPICS

T = TypeVar("T")

SAVED_AFTER = timedelta(minutes=5)  # the save commits a few minutes after the call begins
NOT_DATA = ("silent", "hang_up", "prank_abusive", "wrong_number", "thanks")
# The 34 provinces of the 2025 map, weighted by population (thousands, 2024 estimates of the
# merged provinces).
PROVINCE_POPULATION = {
    1: 8700, 4: 570, 8: 1870, 11: 650, 12: 490, 14: 1300, 15: 1780, 19: 1800, 20: 800,
    22: 1400, 24: 3600, 25: 4000, 31: 4700, 33: 3600, 37: 4400, 38: 4300, 40: 3800, 42: 1600,
    44: 1900, 46: 1400, 48: 3100, 51: 2200, 52: 3600, 56: 2200, 66: 3300, 68: 3900, 75: 4500,
    79: 14000, 80: 3300, 82: 4400, 86: 4300, 91: 4900, 92: 4200, 96: 2600,
}  # fmt: skip
NOTES = (
    "Đã hướng dẫn người gọi giữ an toàn cho trẻ và gọi lại khi có thông tin mới.",
    "Người gọi xin giữ kín danh tính.",
    "Gọi lại sau 2 ngày để xác minh.",
)


@dataclass(frozen=True)
class PlannedContact:
    """One contact of the plan: who took it; for a report, the seed of its life after the call
    (``life.case_life`` up to ``until``) and the calls back about it, each with who took it."""

    intake: Intake
    operator: int  # index into the operators
    follow_seed: int | None = None
    until: datetime | None = None
    repeats: tuple[tuple[Intake, int], ...] = ()

    @property
    def contacts(self) -> int:
        return 1 + len(self.repeats)


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(("091", "094", "098", "097", "096", "088", "086", "083"))
    return f"{prefix}{rng.randrange(10_000_000):07d}"


def _below(rng: random.Random, k: int) -> int:
    """A whole number in [0, k): one draw of ``random()`` (``randrange`` costs several)."""
    return int(rng.random() * k)


def _wards(province_code: int) -> tuple[int, ...]:
    from caseintake.domain.intake.geography import wards_of

    return tuple(w.code for w in wards_of(province_code))


class _Planner:
    def __init__(self, rng: random.Random, n: int, operators: int, mix: NationalMix) -> None:
        self.rng, self.mix, self.operators = rng, mix, operators
        self.phones = [_phone(rng) for _ in range(max(1, n // mix.contacts_per_phone))]
        habitual = max(1, math.ceil(n * mix.habitual_per_million / 1_000_000))
        self.habitual = [_phone(rng) for _ in range(habitual)]
        self.habitual_cum = list(_zipf(habitual))
        not_report = 1.0 - mix.contacts.share("report") - mix.contacts.share("follow_up")
        self.habitual_given = mix.habitual_share / not_report
        self.codes = list(PROVINCE_POPULATION)
        self.province_cum = list(_cumulative(PROVINCE_POPULATION.values()))
        self.wards = {code: _wards(code) for code in self.codes}

    def pick(self, weighted: Weighted[T]) -> T:
        return self.rng.choices(weighted.values, cum_weights=weighted.cumulative)[0]

    def phone(self, data: bool) -> str | None:
        rng, mix = self.rng, self.mix
        if rng.random() < self.habitual_given:
            return rng.choices(self.habitual, cum_weights=self.habitual_cum)[0]
        share = mix.phone_share_data if data else mix.phone_share_not_data
        return self.phones[_below(rng, len(self.phones))] if rng.random() < share else None

    def contact(self, at: datetime, kind: str) -> Intake:
        rng = self.rng
        quick = kind in ("silent", "hang_up", "wrong_number")
        duration = 3 + _below(rng, 58) if quick else 60 + _below(rng, 1441)
        if kind in NOT_DATA:
            caller = Caller(phone=self.phone(False))
            return Intake(
                received_at=at, contact_type=kind, duration_seconds=duration, caller=caller
            )
        caller = Caller(rng.choice(CALLERS), None, self.phone(True))
        topics = tuple(rng.sample(TOPICS, rng.randint(1, 2))) if kind == "counselling" else ()
        return Intake(
            received_at=at,
            contact_type=kind,
            duration_seconds=duration,
            caller=caller,
            counselling_topics=topics,
            narrative=rng.choice(NARRATIVES) if kind == "counselling" else "",
            notes=rng.choice(NOTES) if rng.random() < 0.2 else "",
        )

    def report(self, at: datetime) -> Intake:
        rng, mix = self.rng, self.mix
        concerns = [self.pick(mix.concerns) for _ in range(self.pick(mix.concern_count))]
        first = concerns[0]
        province = rng.choices(self.codes, cum_weights=self.province_cum)[0]
        children = tuple(
            Child(
                age=rng.randint(2, 17),
                age_basis=rng.choice(("stated", "estimated")),
                sex=rng.choice(("female", "male")),
                ethnicity=rng.choice(("kinh", "kinh", "kinh", "tay", "khmer")),
            )
            for _ in range(self.pick(mix.children))
        )
        count = self.pick(mix.perpetrators)
        perpetrators = tuple(Perpetrator(r) for r in rng.sample(PERPETRATORS, count))
        caller = Caller(rng.choice(CALLERS), None, self.phones_for_report())
        return Intake(
            received_at=at,
            contact_type="report",
            duration_seconds=rng.randint(60, 1500),
            caller=caller,
            children=children,
            location=Location(province, rng.choice(self.wards[province])),
            concerns=tuple(dict.fromkeys(concerns)),
            setting=SETTING_FOR.get(first, rng.choice(("family", "family", "school", "community"))),
            perpetrators=perpetrators,
            immediate_danger=rng.random() < mix.immediate_danger,
            narrative=rng.choice(NARRATIVES),
            notes=rng.choice(NOTES) if rng.random() < mix.report_notes else "",
        )

    def phones_for_report(self) -> str | None:
        rng = self.rng
        return rng.choice(self.phones) if rng.random() < self.mix.phone_share_data else None

    def call_back(self, at: datetime, report: Intake) -> Intake:
        """A call back about a case, by the caller who reported it; it tells nothing new."""
        rng = self.rng
        notes = rng.choice(NOTES) if rng.random() < self.mix.follow_up_notes else ""
        return Intake(
            received_at=at,
            contact_type="follow_up",
            duration_seconds=rng.randint(60, 900),
            caller=Caller(report.caller.relationship, None, report.caller.phone),
            notes=notes,
        )


def _cumulative(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += float(w)
        yield total


def _zipf(n: int) -> Iterator[float]:
    return _cumulative(1.0 / (i + 1) for i in range(n))


def national_contacts(
    rng: random.Random,
    n: int,
    start: datetime,
    end: datetime,
    operators: int,
    mix: NationalMix | None = None,
) -> Iterator[PlannedContact]:
    """``n`` contacts of the national line over [start, end), reports in time order, each with
    the calls back about it."""
    mix = mix or national_mix()
    planner = _Planner(rng, n, operators, mix)
    span = (end - start).total_seconds()
    times = sorted(rng.random() * span for _ in range(n))
    kinds = rng.choices(mix.contacts.values, cum_weights=mix.contacts.cumulative, k=n)
    # Each follow-up is linked to a report of the window before it, uniformly among them.
    window, reports, lo = mix.window_days * 86400.0, [], 0
    linked: dict[int, list[int]] = {}
    for i, kind in enumerate(kinds):
        if kind == "report":
            reports.append(i)
        elif kind == "follow_up":
            while lo < len(reports) and times[reports[lo]] < times[i] - window:
                lo += 1
            if lo < len(reports):
                linked.setdefault(reports[rng.randrange(lo, len(reports))], []).append(i)
                kinds[i] = ""  # travels with its report
    for i, kind in enumerate(kinds):
        if not kind:
            continue
        at = start + timedelta(seconds=times[i])
        operator = _below(rng, operators)
        if kind != "report":
            yield PlannedContact(planner.contact(at, kind), operator)
            continue
        report = planner.report(at)
        repeats = tuple(
            (
                planner.call_back(start + timedelta(seconds=times[j]), report),
                rng.randrange(operators),
            )
            for j in linked.get(i, ())
        )
        yield PlannedContact(report, operator, rng.randrange(2**32), end, repeats)
