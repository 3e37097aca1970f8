"""Each indicator against the hand-counted data set (test_statistics_dataset.py), with and
without suppression, and the export's role check, audit and checkpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.report import StatisticsReport
from caseintake.services.audit.details import open_details
from caseintake.services.core.principal import Principal
from caseintake.services.statistics import queries
from caseintake.store.models import AuditEvent
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.domain.test_statistics_suppression import lines, solvable_by_sums, true_values
from tests.services.test_statistics_dataset import Built, build

H1 = Period.six_months(2026, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    data = build(tmp_path_factory.mktemp("stats"))
    yield data
    data.services.close()


@pytest.fixture(scope="module")
def sup(built: Built) -> Principal:
    return built.services.auth.login(SUPERVISOR, SUPERVISOR_PW)


def cells(report: StatisticsReport, indicator_id: str) -> dict[str, int | None]:
    (it,) = [t for t in report.tables if t.indicator.id == indicator_id]
    return {"/".join(k): v for k, v in it.cells()}


def full(built: Built, sup: Principal, indicator_id: str, period: Period = H1) -> dict:
    # Threshold 3 hides only counts of 1 and 2 (and their partners).
    return cells(built.services.statistics.compute(sup, period, [indicator_id], 3), indicator_id)


def test_contacts_by_type(built: Built, sup: Principal) -> None:
    assert full(built, sup, "contacts_by_type") == {
        "report": 60, "counselling": 66, "information": 8, "follow_up": 16, "silent": 40,
        "hang_up": 25, "prank_abusive": 3, "wrong_number": 6, "*": 224,
    }  # fmt: skip


def test_contacts_by_channel(built: Built, sup: Principal) -> None:
    assert full(built, sup, "contacts_by_channel") == {
        "phone": 178, "zalo": 25, "web": 7, "social": 14, "*": 224,
    }  # fmt: skip


def test_counselling_topics_count_each_mention(built: Built, sup: Principal) -> None:
    assert full(built, sup, "counselling_by_topic") == {
        "family_relationships": 30, "mental_health": 42, "suicide_self_harm": 12,
        "bullying": 20, "education": 4, "*": 108,  # mentions of 66 contacts
    }  # fmt: skip


def test_children_by_concern_sex_once_per_concern(built: Built, sup: Principal) -> None:
    # A's "violence" and "violence.physical" count once; F's violence is implied.
    got = full(built, sup, "children_by_concern_sex")
    assert got == {
        "violence/female": 42, "violence/male": 3, "sexual_abuse/male": 14,
        "exploitation/unknown": 5, "neglect/female": 24, "injury_drowning/female": 3,
        "injury_drowning/male": 3, "dropout/female": 8,
        "violence/*": 45, "sexual_abuse/*": 14, "exploitation/*": 5, "neglect/*": 24,
        "injury_drowning/*": 6, "dropout/*": 8,
        "*/female": 77, "*/male": 20, "*/unknown": 5, "*/*": 102,
    }  # fmt: skip


def test_children_by_age_group_sex_each_child_once(built: Built, sup: Principal) -> None:
    # 64 children: 10 follow-ups on A and 5 on B add none; X1's child counts through its
    # February follow-up although the case was reported in December.
    assert full(built, sup, "children_by_age_group_sex") == {
        "0-5/male": 3, "6-10/female": 25, "11-15/female": 8, "11-15/male": 14,
        "16-17/female": 9, "unknown/unknown": 5,
        "0-5/*": 3, "6-10/*": 25, "11-15/*": 22, "16-17/*": 9, "unknown/*": 5,
        "*/female": 42, "*/male": 17, "*/unknown": 5, "*/*": 64,
    }  # fmt: skip


def test_abused_children_0101_under_16_only(built: Built, sup: Principal) -> None:
    got = full(built, sup, "abused_children_0101")
    inner = {k: v for k, v in got.items() if "*" not in k}
    # C (16), E's girls (17) and D (age unknown) are left out; drowning is not abuse.
    assert inner == {
        "violence/female/family": 25, "violence/female/unknown": 8,
        "violence/male/community": 3, "sexual_abuse/male/online": 14,
        "neglect/female/family": 24,
    }  # fmt: skip
    assert got["*/*/*"] == 74
    assert got["violence/*/*"] == 36


def test_cases_by_province(built: Built, sup: Principal) -> None:
    assert full(built, sup, "cases_by_province") == {"1": 27, "79": 34, "*": 61}


def test_referrals_by_body_status(built: Built, sup: Principal) -> None:
    got = full(built, sup, "referrals_by_body_status")
    assert got["commune_committee/acknowledged"] == 18
    assert got["commune_committee/sent"] == 3
    assert got["commune_committee/pending"] == 3
    assert got["commune_police/acknowledged"] == 10
    assert got["commune_police/sent"] == 4
    assert got["education/*"] == 6 and got["*/*"] == 44
    # 2 declined is below 3: hidden, and its only partner in the row with it.
    assert got["education/declined"] is None and got["education/pending"] is None


def test_referrals_first_step_on_time(built: Built, sup: Principal) -> None:
    assert full(built, sup, "referrals_first_step_on_time") == {
        "commune_committee/yes": 12, "commune_committee/no": 9, "commune_committee/pending": 3,
        "commune_police/yes": 10, "commune_police/no": 4, "education/no": 4,
        "commune_committee/*": 24, "commune_police/*": 14, "education/*": 4,
        "*/yes": 22, "*/no": 17, "*/pending": 3, "*/*": 42,  # 2 declined before the step: out
    }  # fmt: skip


def test_medians_only_where_the_group_reaches_the_threshold(built: Built, sup: Principal) -> None:
    at10 = built.services.statistics.compute(sup, H1, ["median_hours_to_acknowledgement"], 10)
    assert [(m.body, m.hours) for m in at10.medians] == [
        ("commune_committee", 2.0), ("commune_police", 1.0), ("*", 2.0),
    ]  # fmt: skip
    at11 = built.services.statistics.compute(sup, H1, ["median_hours_to_acknowledgement"], 11)
    assert dict((m.body, m.hours) for m in at11.medians)["commune_police"] is None  # 10 < 11
    assert at10.tables == ()


def test_default_threshold_suppresses_and_nothing_can_be_solved(
    built: Built, sup: Principal
) -> None:
    report = built.services.statistics.compute(sup, H1)
    assert report.threshold == 10 and len(report.tables) == 10
    got = cells(report, "contacts_by_type")
    assert got["information"] is None and got["prank_abusive"] is None
    assert got["wrong_number"] is None and got["*"] == 224 and got["report"] == 60
    channel = cells(report, "contacts_by_channel")
    assert channel["web"] is None and channel["social"] is None  # 7, and its partner 14
    assert channel["phone"] == 178
    for it in report.tables:
        truth = true_values(len(it.indicator.dimensions), _inner(built, it.indicator.id))
        assert set(truth) == set(it.table.values)
        hidden = {k for k, v in it.table.values.items() if v is None}
        for value in it.table.values.values():
            assert value is None or not 1 <= value < 10
        for total, parts in lines(truth):
            assert len([k for k in [total, *parts] if k in hidden]) != 1
        assert not solvable_by_sums(truth, hidden)


def test_periods_follow_viet_nam_days(built: Built, sup: Principal) -> None:
    march = full(built, sup, "contacts_by_type", Period.month(2026, 3))
    assert march == {"report": 27, "*": 27}  # A's first 21 and C's 6
    eve = Period.parse("2025-12-31", "2025-12-31")
    assert _inner(built, "contacts_by_type", eve) == {("report",): 1}  # X1 at 23:30 = 16:30 UTC
    # Published, the single report is hidden, and so is the total it would give away.
    assert full(built, sup, "contacts_by_type", eve) == {"report": None, "*": None}
    first_day = Period.parse("2026-01-01", "2026-01-01")  # 00:10 local, 31 December in UTC
    assert _inner(built, "contacts_by_type", first_day) == {("silent",): 1}
    july = _inner(built, "contacts_by_type", Period.month(2026, 7))
    assert july == {("counselling",): 1, ("follow_up",): 1}
    action = full(built, sup, "cases_by_province", Period.month_of_action(2026))
    assert action == {"79": 13, "1": 5, "*": 18}  # 10 + 3 A cases, 5 B cases (follow-ups)
    empty = full(built, sup, "contacts_by_type", Period.parse("2027-01-01", "2027-01-31"))
    assert empty == {"*": 0}  # no contact: a published zero total, no cells


def test_counting_happens_in_the_database(built: Built, sup: Principal) -> None:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = built.services.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        built.services.statistics.compute(sup, H1)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    # nine indicators (two of them also count the abuse implied by special circumstances),
    # and the median by body and over all bodies
    assert len(reads) == 14  # one more: the children of counselling calls (issue 19)
    assert all("GROUP BY" in s for s in reads)


def test_operators_cannot_see_or_export(built: Built, tmp_path: Path) -> None:
    operator = built.services.auth.login(OPERATOR, OPERATOR_PW)
    with pytest.raises(DomainError) as err:
        built.services.statistics.compute(operator, H1)
    assert err.value.key == "auth.forbidden"
    with pytest.raises(DomainError):
        built.services.statistics.export(operator, H1, "json", tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_export_is_audited_with_its_parameters_and_checkpointed(
    built: Built, tmp_path: Path
) -> None:
    admin = built.services.auth.login(ADMIN, ADMIN_PW)
    out = tmp_path / "h1.json"
    built.services.statistics.export(
        admin, H1, "json", out, ["cases_by_province", "contacts_by_type"], 12, "en"
    )
    data = json.loads(out.read_text())
    assert [i["id"] for i in data["indicators"]] == ["cases_by_province", "contacts_by_type"]
    text = out.read_text()
    for secret in ("không xuất ra ngoài", "gọi lại", "tư vấn", "T10:", "2026-03-01"):
        assert secret not in text  # no narrative, no exact time or day of a contact
    with built.services.db.read() as s:
        last = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(2)).scalars()
        actions = [e.action for e in last]
    assert actions == ["checkpoint_written", "statistics_exported"]
    trail = built.services.audit
    with built.services.db.read() as s:
        db_id = built.services.audit_log.db_id(s)
    checkpoint = trail.latest_checkpoint(admin, db_id)
    assert checkpoint is not None
    events = {e.action: e for e in _events(built)}
    with built.services.db.read() as s:
        details = json.loads(open_details(
            s, admin.keys, events["statistics_exported"].seq, events["statistics_exported"].details,
        ) or "")  # fmt: skip
    assert details["from"] == "2026-01-01" and details["to"] == "2026-06-30"
    assert details["threshold"] == 12 and details["format"] == "json"
    assert details["indicators"] == ["cases_by_province", "contacts_by_type"]


def _inner(built: Built, indicator_id: str, period: Period = H1) -> dict[tuple[str, ...], int]:
    """The true inner counts, straight from the named query."""
    bounds = period.utc_bounds()
    with built.services.db.read() as s:
        if indicator_id == "referrals_first_step_on_time":
            return queries.referrals_first_step_on_time(s, bounds, True, built.clock())
        return queries.QUERIES[indicator_id](s, bounds, True)


def _events(built: Built) -> list[AuditEvent]:
    with built.services.db.read() as s:
        return list(s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars())


@pytest.mark.parametrize(
    ("ids", "threshold", "key"),
    [(["children_by_name"], 10, "stats.unknown_indicator"), (None, 2, "stats.threshold_too_low")],
)
def test_bad_requests_write_and_audit_nothing(
    built: Built, sup: Principal, tmp_path: Path, ids: list[str] | None, threshold: int, key: str
) -> None:
    before = len(_events(built))
    with pytest.raises(DomainError) as err:
        built.services.statistics.export(sup, H1, "json", tmp_path / "x.json", ids, threshold)
    assert err.value.key == key
    assert not (tmp_path / "x.json").exists()
    assert len(_events(built)) == before


def test_communes_only_when_asked_and_every_cell_passes(built: Built, sup: Principal) -> None:
    default = built.services.statistics.compute(sup, H1)
    assert "cases_by_commune" not in [it.indicator.id for it in default.tables]
    got = cells(built.services.statistics.compute(sup, H1, ["cases_by_commune"], 10),
                "cases_by_commune")  # fmt: skip
    assert got["1/unknown"] == 27 and got["79/unknown"] == 34 and got["*/*"] == 61
    with pytest.raises(DomainError) as err:  # 27 cases in Hà Nội are below 30
        built.services.statistics.compute(sup, H1, ["cases_by_commune"], 30)
    assert err.value.key == "stats.commune_small"
