"""A hand-counted data set for the statistics tests, saved through the real services.

Every contact goes through ``IntakeService.save`` (or ``log_non_data``) and every referral step
through ``ReferralService.transition``, with the clock set to the moment it happened. The
expected tables in ``test_statistics_indicators.py`` were counted by hand from the blocks below
(first half of 2026, Viet Nam time):

* non-data: 40 silent (one at 00:10 on 1 January, the period's first minutes), 25 hang-ups
  (5 by Zalo), 6 wrong numbers, 3 pranks (web);
* counselling: 30 (family, mental health), 20 by Zalo (bullying), 12 (mental health, suicide),
  4 by web (education): 66 contacts, 108 topic mentions; 8 information requests;
* 60 reports, one case each (blocks A–F), 16 follow-ups (10 on A, 5 on B, 1 on X1);
* outside the period: X1, a report at 23:30 on 31 December 2025 (its case counts in the period
  through its February follow-up), a counselling contact at 00:30 on 1 July 2026, and a July
  follow-up on A's first case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from caseintake.domain.intake.record import Caller, Child, Intake, Location
from caseintake.domain.referrals.deadlines import VN_TZ
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.services.intake.service import ReferralChoice
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    OPERATOR,
    OPERATOR_PW,
    SUPERVISOR,
    SUPERVISOR_PW,
    FrozenClock,
)

HCMC, HANOI = 79, 1
# When the export runs: 23:00 on 30 June 2026 in Viet Nam.
EXPORT_NOW = datetime(2026, 6, 30, 23, 0, tzinfo=VN_TZ).astimezone(UTC)
SAVE_DELAY = timedelta(minutes=5)  # a referral is created five minutes after the call began


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


@dataclass
class Built:
    services: Services
    clock: FrozenClock
    case_ids: dict[str, list[str]]


class _Builder:
    def __init__(self, services: Services, clock: FrozenClock) -> None:
        self.svc = services
        self.clock = clock
        self.op = services.auth.login(OPERATOR, OPERATOR_PW)
        self.sup = services.auth.login(SUPERVISOR, SUPERVISOR_PW)
        self.cases: dict[str, list[str]] = {}

    def at(self, moment: datetime) -> None:
        self.clock.now = moment.astimezone(UTC)

    def non_data(self, kind: str, when: datetime, channel: str = "phone") -> None:
        self.at(when + timedelta(minutes=1))
        self.svc.intake.log_non_data(self.op, kind, when, 30, channel)

    def save(self, intake: Intake, referrals: list[ReferralChoice] | None = None) -> str | None:
        self.at(intake.received_at + SAVE_DELAY)
        return self.svc.intake.save(self.op, intake, referrals or []).case_id

    def report(
        self,
        block: str,
        when: datetime,
        children: tuple[Child, ...],
        concerns: tuple[str, ...],
        setting: str | None,
        province: int,
        channel: str = "phone",
        referrals: list[ReferralChoice] | None = None,
    ) -> str:
        intake = Intake(
            received_at=when,
            contact_type="report",
            channel=channel,
            caller=Caller(relationship="neighbour"),
            children=children,
            location=Location(province_code=province),
            concerns=concerns,
            setting=setting,
            narrative="không xuất ra ngoài",
        )
        case_id = self.save(intake, referrals)
        assert case_id is not None
        self.cases.setdefault(block, []).append(case_id)
        return case_id

    def follow_up(self, case_id: str, when: datetime) -> None:
        intake = Intake(
            received_at=when,
            contact_type="follow_up",
            caller=Caller(relationship="neighbour"),
            case_id=case_id,
            narrative="gọi lại",
        )
        self.save(intake)

    def counselling(self, when: datetime, topics: tuple[str, ...], channel: str) -> None:
        intake = Intake(
            received_at=when,
            contact_type="counselling",
            channel=channel,
            caller=Caller(relationship="self", age_group="11-15", sex="female"),
            counselling_topics=topics,
            narrative="tư vấn",
        )
        self.save(intake)

    def step(self, case_id: str, body: str, to_state: str, when: datetime) -> None:
        from sqlalchemy import select

        from caseintake.store.models import Referral

        with self.svc.db.read() as s:
            rid = s.execute(
                select(Referral.id).where(Referral.case_id == case_id, Referral.body == body)
            ).scalar_one()
        self.at(when)
        reason = "không thuộc thẩm quyền" if to_state == "declined" else None
        self.svc.referrals.transition(self.sup, rid, to_state, reason)


def referral(body: str, due: str, province: int) -> ReferralChoice:
    return ReferralChoice(body, province, None, due, ("test.rule",), ("test basis",), None)


def build(tmp: Path) -> Built:
    clock = FrozenClock(local(2025, 12, 1).astimezone(UTC))
    settings = Settings(
        db_url=f"sqlite:///{tmp / 'stats.db'}", state_dir=tmp / "state", clock=clock
    )
    svc = Services(settings)
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    svc.auth.change_password(OPERATOR, "one-time-pass-1", OPERATOR_PW)
    svc.users.add(admin, SUPERVISOR, "supervisor", "one-time-pass-2")
    svc.auth.change_password(SUPERVISOR, "one-time-pass-2", SUPERVISOR_PW)
    b = _Builder(svc, clock)
    child = Child
    # X1: before the period (31 Dec 2025, 23:30 in Viet Nam = 16:30 UTC that day).
    x1 = b.report(
        "X1",
        local(2025, 12, 31, 23, 30),
        (child(9, "stated", "female"),),
        ("violence",),
        "family",
        HCMC,
    )
    b.non_data("silent", local(2026, 1, 1, 0, 10))  # 17:10 UTC on 31 Dec: in the period
    for i in range(39):
        b.non_data("silent", local(2026, 1, 2) + timedelta(hours=3 * i))
    for i in range(20):
        b.non_data("hang_up", local(2026, 1, 10) + timedelta(hours=5 * i))
    for i in range(5):
        b.non_data("hang_up", local(2026, 1, 20) + timedelta(hours=i), "zalo")
    for i in range(6):
        b.non_data("wrong_number", local(2026, 1, 25) + timedelta(hours=i))
    for i in range(3):
        b.non_data("prank_abusive", local(2026, 1, 26) + timedelta(hours=i), "web")
    for i in range(30):
        b.counselling(
            local(2026, 2, 1) + timedelta(hours=4 * i),
            ("family_relationships", "mental_health"),
            "phone",
        )
    for i in range(20):
        b.counselling(local(2026, 2, 10) + timedelta(hours=4 * i), ("bullying",), "zalo")
    for i in range(12):
        b.counselling(
            local(2026, 2, 20) + timedelta(hours=4 * i),
            ("mental_health", "suicide_self_harm"),
            "phone",
        )
    for i in range(4):
        b.counselling(local(2026, 2, 25) + timedelta(hours=i), ("education",), "web")
    for i in range(8):
        b.save(
            Intake(
                received_at=local(2026, 2, 26) + timedelta(hours=i),
                contact_type="information",
                narrative="hỏi",
            )
        )
    b.follow_up(x1, local(2026, 2, 27))
    # A: 24 girls of 9 in Hồ Chí Minh City, violence (twice, as parent and sub-type) and neglect.
    a_times = [local(2026, 3, 1) + timedelta(hours=6 * i) for i in range(21)]
    a_times += [local(2026, 6, 30, 20, 0)] * 3  # referrals not yet due at the export
    for when in a_times:
        b.report(
            "A",
            when,
            (child(9, "stated", "female"),),
            ("violence", "violence.physical", "neglect"),
            "family",
            HCMC,
            referrals=[referral("commune_committee", "12h", HCMC)],
        )
    a = b.cases["A"]
    for i in range(12):  # acknowledged two hours after it was recorded: on time
        created = a_times[i] + SAVE_DELAY
        b.step(a[i], "commune_committee", "sent", created + timedelta(minutes=10))
        b.step(a[i], "commune_committee", "acknowledged", created + timedelta(hours=2))
    for i in range(12, 18):  # acknowledged after twenty hours: late
        created = a_times[i] + SAVE_DELAY
        b.step(a[i], "commune_committee", "sent", created + timedelta(minutes=10))
        b.step(a[i], "commune_committee", "acknowledged", created + timedelta(hours=20))
    for i in range(18, 21):  # sent, never acknowledged: overdue at the export
        b.step(a[i], "commune_committee", "sent", a_times[i] + timedelta(hours=1))
    # B: 14 boys of 14 in Hà Nội, sexual abuse online, reported on social media.
    b_times = [local(2026, 4, 1) + timedelta(hours=6 * i) for i in range(14)]
    for when in b_times:
        b.report(
            "B",
            when,
            (child(14, "estimated", "male"),),
            ("sexual_abuse",),
            "online",
            HANOI,
            "social",
            [referral("commune_police", "immediately", HANOI)],
        )
    for i, case_id in enumerate(b.cases["B"]):
        created = b_times[i] + SAVE_DELAY
        if i < 10:  # sent at once (within the quarter hour), acknowledged an hour after
            b.step(case_id, "commune_police", "sent", created + timedelta(minutes=5))
            b.step(case_id, "commune_police", "acknowledged", created + timedelta(hours=1))
        else:  # sent an hour late, never acknowledged
            b.step(case_id, "commune_police", "sent", created + timedelta(hours=1))
    # C: 6 girls of 16 (not "trẻ em"), violence at school; the school is asked, 2 decline.
    for i in range(6):
        b.report(
            "C",
            local(2026, 3, 10) + timedelta(hours=i),
            (child(16, "stated", "female"),),
            ("violence",),
            "school",
            HCMC,
            referrals=[referral("education", "5wd", HCMC)],
        )
    for case_id in b.cases["C"][:2]:
        b.step(case_id, "education", "sent", local(2026, 3, 11))
        b.step(case_id, "education", "declined", local(2026, 3, 12))
    # D: 5 children of unknown age and sex, exploitation at work.
    for i in range(5):
        b.report(
            "D",
            local(2026, 4, 20) + timedelta(hours=i),
            (child(None, "estimated"),),
            ("exploitation",),
            "workplace",
            HANOI,
        )
    # E: 3 cases of two children each (a boy of 4, a girl of 17): drowning risk and violence.
    for i in range(3):
        b.report(
            "E",
            local(2026, 5, 5) + timedelta(hours=i),
            (child(4, "stated", "male"), child(17, "stated", "female")),
            ("injury_drowning", "violence"),
            "community",
            HCMC,
        )
    # F: 8 girls of 12 who dropped out; "harmed by violence" implies violence (DOMAIN §2).
    for i in range(8):
        b.report(
            "F",
            local(2026, 5, 20) + timedelta(hours=i),
            (Child(12, "stated", "female", special_circumstances=("harmed_by_violence",)),),
            ("dropout",),
            None,
            HANOI,
        )
    for case_id in a[:10]:
        b.follow_up(case_id, local(2026, 6, 10))
    for case_id in b.cases["B"][:5]:
        b.follow_up(case_id, local(2026, 6, 11))
    # Outside the period: 1 July 2026 00:30 in Viet Nam (17:30 UTC on 30 June).
    b.at(local(2026, 7, 2))
    b.counselling(local(2026, 7, 1, 0, 30), ("bullying",), "phone")
    b.follow_up(a[0], local(2026, 7, 1, 9, 0))
    clock.now = EXPORT_NOW
    return Built(svc, clock, b.cases)


def test_the_data_set_has_what_its_docstring_says(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from caseintake.store.models import Case, Child, Contact, Referral

    built = build(tmp_path)
    with built.services.db.read() as s:
        assert s.execute(select(func.count()).select_from(Contact)).scalar_one() == 224 + 3
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == 61
        assert s.execute(select(func.count()).select_from(Child)).scalar_one() == 64
        assert s.execute(select(func.count()).select_from(Referral)).scalar_one() == 44
    built.services.close()
