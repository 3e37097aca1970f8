"""Realistic synthetic contacts for the demo database and the benchmarks.

The mix follows the 111 figures of DOMAIN §1: most contacts are not data (silent, hang-ups,
pranks, wrong numbers, thanks), about 1 in 16 is counselling, and about 1 in 500 becomes an
intervention; the demo raises the share of reports so a supervisor has something to follow.
Cases follow the 2004–2023 intervention mix (violence 44 %, sexual abuse 26 %, ...).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
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
