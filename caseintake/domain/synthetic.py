"""Realistic synthetic contacts for the demo database and the benchmarks.

The mix follows the 111 figures of DOMAIN §1: most contacts are not data (silent, hang-ups,
pranks, wrong numbers, thanks), about 1 in 16 is counselling, and about 1 in 500 becomes an
intervention; the demo raises the share of reports so a supervisor has something to follow.
Cases follow the 2004–2023 intervention mix (violence 44 %, sexual abuse 26 %, ...).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class Scenario:
    """One kind of report as a caller tells it (issue 19, item 12: a demo case never says what
    its words contradict): the concern it is filed under, the words, who harms, where, the
    child's ages and who calls about it."""

    concern: str
    narrative: str
    perpetrators: tuple[str, ...]  # one is drawn; () when nobody is said to harm the child
    settings: tuple[str, ...]
    ages: tuple[int, int]
    callers: tuple[str, ...]
    sexes: tuple[str, ...] = ("female", "male")


SCENARIOS = (
    Scenario(
        "violence.physical",
        "Người gọi nghe tiếng trẻ khóc và tiếng đánh đập nhiều đêm liền ở nhà bên cạnh.",
        ("parent", "step_parent", "relative"),
        ("family",),
        (2, 12),
        ("neighbour", "anonymous"),
    ),
    Scenario(
        "violence.physical",
        "Cháu đến lớp với nhiều vết bầm trên tay, cháu nói bị bố đánh bằng roi.",
        ("parent",),
        ("family",),
        (6, 14),
        ("teacher",),
    ),
    Scenario(
        "violence.emotional",
        "Cháu thường xuyên bị mẹ kế chửi mắng, đe dọa đuổi ra khỏi nhà.",
        ("step_parent",),
        ("family",),
        (8, 16),
        ("relative", "self", "neighbour"),
    ),
    Scenario(
        "sexual_abuse.molestation",
        "Cháu kể bị người quen của gia đình sờ soạng nhiều lần, cháu sợ không dám nói với mẹ.",
        ("acquaintance",),
        ("family", "community"),
        (6, 15),
        ("parent", "relative"),
    ),
    Scenario(
        "sexual_abuse.molestation",
        "Học sinh kể bị thầy giáo giữ lại sau giờ học và sờ soạng.",
        ("teacher",),
        ("school",),
        (9, 15),
        ("parent", "teacher"),
    ),
    Scenario(
        "sexual_abuse.rape",
        "Cháu bị hàng xóm xâm hại tình dục khi ở nhà một mình, gia đình mới phát hiện.",
        ("neighbour",),
        ("community",),
        (8, 15),
        ("parent", "relative", "health_worker"),
    ),
    Scenario(
        "sexual_abuse.online",
        "Em nhận tin nhắn đe dọa tung ảnh nhạy cảm nếu không gửi thêm ảnh.",
        ("online_contact", "stranger"),
        ("online",),
        (12, 17),
        ("self", "parent"),
    ),
    Scenario(
        "exploitation.child_labour",
        "Cháu phải làm việc ở xưởng từ sáng đến tối, không được đi học.",
        ("employer",),
        ("workplace",),
        (12, 17),
        ("neighbour", "relative", "anonymous"),
    ),
    Scenario(
        "trafficking",
        "Gia đình mất liên lạc với cháu sau khi cháu được người lạ hứa đưa sang tỉnh khác làm việc.",
        ("stranger",),
        ("community",),
        (13, 17),
        ("parent", "relative"),
    ),
    Scenario(
        "neglect",
        "Trẻ thường xuyên bị bỏ đói, ở nhà một mình nhiều ngày.",
        ("parent", "step_parent"),
        ("family",),
        (2, 10),
        ("neighbour", "relative", "anonymous"),
    ),
    Scenario(
        "injury_drowning",
        "Cháu suýt đuối nước ở ao gần nhà vì không có người trông.",
        (),
        ("community",),
        (3, 12),
        ("neighbour", "health_worker", "relative"),
    ),
    Scenario(
        "child_marriage",
        "Gia đình ép cháu nghỉ học để lấy chồng khi chưa đủ tuổi kết hôn.",
        ("parent",),
        ("family",),
        (13, 17),
        ("self", "teacher", "relative"),
        ("female",),
    ),
    Scenario(
        "alternative_care",
        "Cháu mồ côi mẹ, bố đi làm xa, hiện không có ai chăm sóc.",
        (),
        ("family",),
        (3, 14),
        ("relative", "neighbour"),
    ),
    Scenario(
        "custody_dispute",
        "Bố mẹ ly hôn và tranh giành quyền nuôi con, cháu bị giữ không cho gặp mẹ.",
        ("parent",),
        ("family",),
        (4, 14),
        ("parent",),
    ),
    Scenario(
        "financial_need",
        "Gia đình khó khăn, cháu có nguy cơ phải nghỉ học vì không đủ tiền ăn.",
        (),
        ("family",),
        (6, 15),
        ("parent", "self", "teacher"),
    ),
    Scenario(
        "dropout",
        "Cháu bỏ học đã hai tháng, gia đình không biết cháu đi đâu cả ngày.",
        (),
        ("school",),
        (11, 16),
        ("parent", "teacher"),
    ),
    Scenario(
        "online_harm.bullying",
        "Em bị bạn cùng lớp lập nhóm trên mạng để chế giễu và tung ảnh chế.",
        ("peer",),
        ("online",),
        (10, 16),
        ("self", "parent"),
    ),
)
NARRATIVES = tuple(dict.fromkeys(s.narrative for s in SCENARIOS))
# Who the narrative names as the one who harms (issue 19, item 12): a demo case never says
# "Cha, mẹ" where its words speak of a family acquaintance.
NARRATIVE_PERPETRATORS = {s.narrative: s.perpetrators for s in SCENARIOS}


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
        scenario = rng.choice([s for s in SCENARIOS if s.concern == concern])
        province, ward = rng.choice(WARDS)
        child = Child(
            age=rng.randint(*scenario.ages),
            age_basis=rng.choice(("stated", "estimated")),
            sex=rng.choice(scenario.sexes),
            ethnicity=rng.choice(("kinh", "kinh", "tay", "khmer")),
        )
        who = scenario.perpetrators
        yield Intake(
            received_at=at,
            contact_type="report",
            duration_seconds=duration,
            caller=replace(caller, relationship=rng.choice(scenario.callers)),
            children=(child,),
            location=Location(province, ward),
            concerns=(concern,),
            setting=rng.choice(scenario.settings),
            perpetrators=(Perpetrator(rng.choice(who)),) if who else (),
            immediate_danger=rng.random() < 0.15,
            narrative=scenario.narrative,
        )
