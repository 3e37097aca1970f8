"""Realistic synthetic contacts for the demo database and the benchmarks.

The mix follows the 111 figures of DOMAIN §1: most contacts are not data (silent, hang-ups,
pranks, wrong numbers, thanks), about 1 in 16 is counselling, and about 1 in 500 becomes an
intervention; the demo raises the share of reports so a supervisor has something to follow.
Cases follow the 2004–2023 intervention mix (violence 44 %, sexual abuse 26 %, ...).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from caseintake.domain.intake.record import Caller, Child, Intake, Location, Perpetrator

CONTACT_MIX = (
    ("silent", 30),
    ("hang_up", 22),
    ("prank_abusive", 8),
    ("wrong_number", 6),
    ("thanks", 4),
    ("information", 10),
    ("counselling", 12),
    ("report", 7),
    ("follow_up", 1),
)
CONCERN_MIX = (
    ("violence.physical", 30),
    ("violence.emotional", 14),
    ("sexual_abuse.molestation", 14),
    ("sexual_abuse.rape", 6),
    ("sexual_abuse.online", 6),
    ("exploitation.child_labour", 4),
    ("trafficking", 2),
    ("neglect", 4),
    ("injury_drowning", 2),
    ("child_marriage", 2),
    ("alternative_care", 2),
    ("custody_dispute", 2),
    ("financial_need", 2),
    ("dropout", 2),
    ("online_harm.bullying", 3),
)
SETTING_FOR = {
    "sexual_abuse.online": "online",
    "online_harm.bullying": "online",
    "exploitation.child_labour": "workplace",
    "dropout": "school",
}
PERPETRATORS = (
    "parent",
    "step_parent",
    "relative",
    "neighbour",
    "teacher",
    "acquaintance",
    "stranger",
)
CALLERS = ("parent", "relative", "neighbour", "teacher", "self", "anonymous", "health_worker")
TOPICS = (
    "family_relationships",
    "peer_relationships",
    "physical_health",
    "mental_health",
    "legal",
    "reproductive_sexual_health",
    "education",
)
# A few real wards of today's map (codes of the 2025 system) to spread cases over.
WARDS = (
    (79, 26740),
    (79, 26743),
    (1, 70),
    (1, 4),
    (92, 31507),
    (24, 7210),
    (42, 18073),
    (20, 6040),
)
NARRATIVES = (
    "Người gọi nghe tiếng trẻ khóc và tiếng đánh đập nhiều đêm liền ở nhà bên cạnh.",
    "Cháu kể bị người quen của gia đình sờ soạng nhiều lần, cháu sợ không dám nói với mẹ.",
    "Em nhận tin nhắn đe dọa tung ảnh nhạy cảm nếu không gửi thêm ảnh.",
    "Cháu phải làm việc ở xưởng từ sáng đến tối, không được đi học.",
    "Trẻ thường xuyên bị bỏ đói, ở nhà một mình nhiều ngày.",
)


# Who the narrative names as the one who harms (issue 19, item 12): a demo case never says
# "Cha, mẹ" where its words speak of a family acquaintance.
NARRATIVE_PERPETRATORS = {
    NARRATIVES[0]: ("parent", "step_parent", "relative"),  # heard through the wall at home
    NARRATIVES[1]: ("acquaintance",),
    NARRATIVES[2]: ("stranger", "acquaintance"),
    NARRATIVES[3]: ("stranger", "relative"),
    NARRATIVES[4]: ("parent", "step_parent"),
}


def _pick(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(("091", "094", "098", "097", "096", "088", "086", "083"))
    return prefix + "".join(str(rng.randrange(10)) for _ in range(7))


def synthetic_intakes(
    rng: random.Random, n: int, start: datetime, end: datetime
) -> Iterator[Intake]:
    """``n`` contacts spread over [start, end), in time order."""
    span = (end - start).total_seconds()
    times = sorted(rng.random() * span for _ in range(n))
    phones = [_phone(rng) for _ in range(max(1, n // 20))]  # repeat callers are common
    for offset in times:
        at = start + timedelta(seconds=offset)
        kind = _pick(rng, CONTACT_MIX)
        duration = (
            rng.randint(3, 60)
            if kind in ("silent", "hang_up", "wrong_number")
            else rng.randint(60, 1500)
        )
        if kind not in ("report", "counselling", "information", "follow_up"):
            yield Intake(received_at=at, contact_type=kind, duration_seconds=duration)
            continue
        caller = Caller(
            rng.choice(CALLERS), None, rng.choice(phones) if rng.random() < 0.7 else None
        )
        if kind != "report":
            topics = tuple(rng.sample(TOPICS, rng.randint(1, 2))) if kind == "counselling" else ()
            yield Intake(
                received_at=at,
                contact_type=kind,
                duration_seconds=duration,
                caller=caller,
                counselling_topics=topics,
            )
            continue
        concern = _pick(rng, CONCERN_MIX)
        narrative = rng.choice(NARRATIVES)
        province, ward = rng.choice(WARDS)
        child = Child(
            age=rng.randint(2, 17),
            age_basis=rng.choice(("stated", "estimated")),
            sex=rng.choice(("female", "male")),
            ethnicity=rng.choice(("kinh", "kinh", "tay", "khmer")),
        )
        yield Intake(
            received_at=at,
            contact_type="report",
            duration_seconds=duration,
            caller=caller,
            children=(child,),
            location=Location(province, ward),
            concerns=(concern,),
            setting=SETTING_FOR.get(
                concern, rng.choice(("family", "family", "school", "community"))
            ),
            perpetrators=(Perpetrator(rng.choice(NARRATIVE_PERPETRATORS[narrative])),),
            immediate_danger=rng.random() < 0.15,
            narrative=narrative,
        )


# --- The national line at scale (issue 11): a decade of contacts for the benchmarks -----------

# 111's own shares (DOMAIN §1): mostly not data, about 6 % counselling, 7 % reports.
NATIONAL_MIX = (
    ("silent", 33),
    ("hang_up", 24),
    ("prank_abusive", 9),
    ("wrong_number", 7),
    ("thanks", 5),
    ("information", 7),
    ("counselling", 6),
    ("report", 7),
    ("follow_up", 2),
)
# The 34 provinces of the 2025 map, weighted by population (thousands, 2024 estimates of the
# merged provinces); a report's commune is drawn among the province's own.
PROVINCE_POPULATION = {
    1: 8700, 4: 570, 8: 1870, 11: 650, 12: 490, 14: 1300, 15: 1780, 19: 1800, 20: 800,
    22: 1400, 24: 3600, 25: 4000, 31: 4700, 33: 3600, 37: 4400, 38: 4300, 40: 3800, 42: 1600,
    44: 1900, 46: 1400, 48: 3100, 51: 2200, 52: 3600, 56: 2200, 66: 3300, 68: 3900, 75: 4500,
    79: 14000, 80: 3300, 82: 4400, 86: 4300, 91: 4900, 92: 4200, 96: 2600,
}  # fmt: skip
# Where a referral has got to by now: every state appears, most have moved on.
REFERRAL_PATHS = (
    ((), 10),
    (("sent",), 12),
    (("sent", "acknowledged"), 14),
    (("sent", "acknowledged", "in_progress"), 14),
    (("sent", "acknowledged", "in_progress", "done"), 40),
    (("sent", "declined"), 5),
    (("revoked",), 5),
)
FOLLOW_UP_AFTER = timedelta(days=14)  # younger cases still wait on their referrals
NOTES = (
    "Đã hướng dẫn người gọi giữ an toàn cho trẻ và gọi lại khi có thông tin mới.",
    "Người gọi xin giữ kín danh tính.",
    "Gọi lại sau 2 ngày để xác minh.",
)
OUTCOME = "Đã xác minh, trẻ được hỗ trợ tại địa phương."
STEP_REASON = {"declined": "Ngoài thẩm quyền của cơ quan.", "revoked": "Chuyển nhầm cơ quan."}
CLOSE_REASON = "Trẻ đã an toàn, ổn định."


@dataclass(frozen=True)
class PlannedContact:
    """One contact of the national plan: who took it, and (for a report) how it moved on."""

    intake: Intake
    operator: int  # index into the operators
    follow_seed: int | None  # a report old enough to have moved on: seeds referral_paths


def referral_paths(seed: int, referrals: int) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Each referral's steps since the call, and whether the case is then closed."""
    rng = random.Random(seed)
    paths = tuple(
        rng.choices([p for p, _ in REFERRAL_PATHS], weights=[w for _, w in REFERRAL_PATHS])[0]
        for _ in range(referrals)
    )
    ended = all(p and p[-1] in ("done", "declined", "revoked") for p in paths)
    sent = any(p and p[0] == "sent" for p in paths)
    return paths, ended and sent and rng.random() < 0.6


def _wards(province_code: int) -> tuple[int, ...]:
    from caseintake.domain.intake.geography import wards_of

    return tuple(w.code for w in wards_of(province_code))


def national_contacts(
    rng: random.Random, n: int, start: datetime, end: datetime, operators: int
) -> Iterator[PlannedContact]:
    """``n`` contacts of the national line over [start, end), in time order."""
    span = (end - start).total_seconds()
    times = sorted(rng.random() * span for _ in range(n))
    phones = [_phone(rng) for _ in range(max(1, n // 8))]  # repeat callers
    codes = list(PROVINCE_POPULATION)
    weights = list(PROVINCE_POPULATION.values())
    wards = {code: _wards(code) for code in codes}
    kinds, kind_weights = [k for k, _ in NATIONAL_MIX], [w for _, w in NATIONAL_MIX]
    concerns, concern_weights = [c for c, _ in CONCERN_MIX], [w for _, w in CONCERN_MIX]
    for offset in times:
        at = start + timedelta(seconds=offset)
        kind = rng.choices(kinds, kind_weights)[0]
        operator = rng.randrange(operators)
        quick = kind in ("silent", "hang_up", "wrong_number")
        duration = rng.randint(3, 60) if quick else rng.randint(60, 1500)
        if kind in ("silent", "hang_up", "prank_abusive", "wrong_number", "thanks"):
            phone = rng.choice(phones) if rng.random() < 0.3 else None
            caller = Caller(phone=phone)
            yield PlannedContact(
                Intake(received_at=at, contact_type=kind, duration_seconds=duration, caller=caller),
                operator,
                None,
            )
            continue
        caller = Caller(
            rng.choice(CALLERS), None, rng.choice(phones) if rng.random() < 0.7 else None
        )
        if kind != "report":
            topics = tuple(rng.sample(TOPICS, rng.randint(1, 2))) if kind == "counselling" else ()
            notes = rng.choice(NOTES) if rng.random() < 0.2 else ""
            intake = Intake(
                received_at=at,
                contact_type=kind,
                duration_seconds=duration,
                caller=caller,
                counselling_topics=topics,
                narrative=rng.choice(NARRATIVES) if kind == "counselling" else "",
                notes=notes,
            )
            yield PlannedContact(intake, operator, None)
            continue
        concern = rng.choices(concerns, concern_weights)[0]
        province = rng.choices(codes, weights)[0]
        child = Child(
            age=rng.randint(2, 17),
            age_basis=rng.choice(("stated", "estimated")),
            sex=rng.choice(("female", "male")),
            ethnicity=rng.choice(("kinh", "kinh", "kinh", "tay", "khmer")),
        )
        intake = Intake(
            received_at=at,
            contact_type="report",
            duration_seconds=duration,
            caller=caller,
            children=(child,),
            location=Location(province, rng.choice(wards[province])),
            concerns=(concern,),
            setting=SETTING_FOR.get(
                concern, rng.choice(("family", "family", "school", "community"))
            ),
            perpetrators=(Perpetrator(rng.choice(PERPETRATORS)),),
            immediate_danger=rng.random() < 0.15,
            narrative=rng.choice(NARRATIVES),
            notes=rng.choice(NOTES) if rng.random() < 0.3 else "",
        )
        seed = rng.randrange(2**32) if end - at > FOLLOW_UP_AFTER else None
        yield PlannedContact(intake, operator, seed)
