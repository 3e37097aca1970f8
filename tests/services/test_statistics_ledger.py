"""The publication ledger on the demo data (issue 21): the three-export differencing attack,
every export recorded and audited, the floor, and the periods that may leave.

The attacker of the issue exported 07/11–01/12, then 07/11–30/11, then the day 01/12 and
subtracted. Here the same three exports go through ``StatisticsService.release``; then a
reader takes every table released, builds the linear system of all their published sums over
the atoms of the final blocks, and solves it exactly (``domain/statistics/exact_lp``): no hidden
cell, and no count from 1 to 9 of any run of blocks, has a single possible value.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.deadlines import VN_TZ
from caseintake.domain.statistics.exact_lp import Polytope
from caseintake.domain.statistics.linked import AtomIndex, Release, blocks_of, cut, small_targets
from caseintake.domain.statistics.periods import Period
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.services.statistics import ledger, service
from caseintake.services.statistics.linked_counts import atoms
from caseintake.store.models import AuditEvent, StatisticsRelease
from tests.conftest import FrozenClock

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=VN_TZ).astimezone(UTC)
ATTACK = [("2026-11-07", "2026-12-01"), ("2026-11-07", "2026-11-30"), ("2026-12-01", "2026-12-01")]
INDICATORS = [
    "contacts_by_type",
    "contacts_by_channel",
    "children_by_concern_sex",
    "abused_children_0101",
    "cases_by_province",
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from caseintake.services.bulk import build_demo

    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    svc = Services(
        Settings(db_url=f"sqlite:///{path}", state_dir=folder / "state", clock=FrozenClock(NOW))
    )
    build_demo(svc, 400)
    svc.close()
    return path


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Any:
    path = tmp_path / "demo.db"
    shutil.copy(demo_db, path)
    svc = Services(
        Settings(db_url=f"sqlite:///{path}", state_dir=tmp_path / "state", clock=FrozenClock(NOW))
    )
    yield svc
    svc.close()


def login(svc: Any, name: str) -> Any:
    from caseintake.services.bulk.demo import DEMO_USERS

    return svc.auth.login(name, next(pw for user, _, pw in DEMO_USERS if user == name))


def determined_by_everything_released(svc: Any, indicator: str, threshold: int) -> list[str]:
    """What an exact LP over every published sum of ``indicator`` in the ledger pins down."""
    with svc.db.read() as s:
        rows = s.scalars(
            select(StatisticsRelease).where(StatisticsRelease.indicator == indicator)
        ).all()
        spans = [(r.first_day.toordinal(), r.last_day.toordinal()) for r in rows]
        day_blocks = cut(spans)
        blocks = [(date.fromordinal(a), date.fromordinal(b)) for a, b in day_blocks]
        index = AtomIndex(atoms(s, indicator, blocks, True, NOW))
        releases = [
            Release(blocks_of(span, day_blocks), ledger._cells(r.cells))
            for span, r in zip(spans, rows, strict=True)
        ]
    eqs, ones = [], []
    for release in releases:
        for pattern, value in release.cells.items():
            members = sorted(index.members(release.blocks, pattern))
            if value is None:
                ones.append(members)
            else:
                assert value == index.value(frozenset(members))  # the ledger holds the truth
                eqs.append((members, value))
    polytope = Polytope(eqs, ones, len(index.atoms))
    targets = {frozenset(m) for m in ones} | set(small_targets(index, len(blocks), threshold))
    return [
        f"{indicator}: {sorted(index.atoms[i].key for i in m)}"
        for m in targets
        if m and polytope.is_determined(m)
    ]


def test_the_three_export_differencing_recovers_no_hidden_cell(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ledger must hold whatever periods a rule lets out: the issue's own ranges here.
    monkeypatch.setattr(service, "check_exportable", lambda period: period)
    supervisor = login(demo, "giamsat")
    reports = [
        demo.statistics.release(supervisor, Period.parse(a, b), INDICATORS, None, "file")
        for a, b in ATTACK
    ]
    whole, before, day = ({it.indicator.id: it.table.values for it in r.tables} for r in reports)
    hidden_on_the_day = 0
    for ind in INDICATORS:
        for key, value in day[ind].items():
            hidden_on_the_day += value is None
            a, b = whole[ind].get(key), before[ind].get(key)
            if value is None and a is not None and b is not None:
                pytest.fail(f"{ind} {key}: {a} - {b} gives the hidden cell away")
        for key, value in whole[ind].items():
            b = before[ind].get(key, 0)
            if value is not None and b is not None:
                assert not 1 <= value - b < 10, f"{ind} {key}: {value} - {b}"
    assert hidden_on_the_day > 0  # the day had small cells to protect
    found = [f for ind in INDICATORS for f in determined_by_everything_released(demo, ind, 10)]
    assert found == []


def test_every_export_is_recorded_and_audited(demo: Any, tmp_path: Path) -> None:
    supervisor = login(demo, "giamsat")
    out = tmp_path / "thong-ke.json"
    demo.statistics.export(
        supervisor, Period.month(2026, 11), "json", out, ["contacts_by_type"], None
    )
    with demo.db.read() as s:
        (row,) = s.scalars(select(StatisticsRelease)).all()
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "statistics_exported")
        ).one()
    assert (row.indicator, row.first_day, row.last_day) == (
        "contacts_by_type",
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert (row.threshold, row.released_by, row.destination) == (10, "giamsat", "file")
    published = json.loads(out.read_text())["indicators"][0]["cells"]
    assert len(json.loads(row.cells)) == len(published)
    assert event.actor == "giamsat"


def test_a_lowered_threshold_is_refused_and_the_floor_is_an_admin_setting(
    demo: Any, tmp_path: Path
) -> None:
    supervisor, admin = login(demo, "giamsat"), login(demo, "quantri")
    nov = Period.month(2026, 11)
    with pytest.raises(DomainError) as err:
        demo.statistics.release(supervisor, nov, ["contacts_by_type"], 3)
    assert "10" in err.value.message("en") and err.value.message("en").endswith(".")
    with pytest.raises(DomainError):
        demo.statistics.set_floor(supervisor, 5)  # only an admin
    with pytest.raises(DomainError):
        demo.statistics.set_floor(admin, 2)  # never below 3
    demo.statistics.set_floor(admin, 15)
    report = demo.statistics.release(supervisor, nov, ["contacts_by_type"], None)
    assert report.threshold == 15
    with pytest.raises(DomainError):
        demo.statistics.release(supervisor, nov, ["contacts_by_type"], 10)
    assert demo.statistics.release(supervisor, nov, ["contacts_by_type"], 20).threshold == 20
    with demo.db.read() as s:
        actions = s.scalars(select(AuditEvent.action)).all()
        assert actions.count("statistics_floor_set") == 1
        assert len(s.scalars(select(StatisticsRelease)).all()) == 2  # refusals leave nothing


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ("2026-12-01", "2026-12-01", True),  # a day
        ("2026-11-30", "2026-12-06", True),  # a week, Monday to Sunday
        ("2026-11-01", "2026-11-30", True),  # a month
        ("2026-10-01", "2026-12-31", True),  # a quarter
        ("2026-01-01", "2026-12-31", True),  # a year
        ("2026-01-01", "2026-05-31", True),  # the six-month report of the calendar
        ("2026-01-01", "2026-10-31", True),  # the yearly report of the calendar
        ("2026-11-07", "2026-12-01", False),
        ("2026-11-07", "2026-11-30", False),
        ("2026-12-01", "2026-12-07", False),  # Tuesday to Monday
    ],
)
def test_only_whole_periods_leave(demo: Any, start: str, end: str, ok: bool) -> None:
    supervisor = login(demo, "giamsat")
    period = Period.parse(start, end)
    if ok:
        demo.statistics.release(supervisor, period, ["contacts_by_type"])
        return
    with pytest.raises(DomainError) as err:
        demo.statistics.release(supervisor, period, ["contacts_by_type"])
    assert err.value.message("en").startswith("Statistics leave only")
    # On screen, any range: the supervisor still sees it.
    assert demo.statistics.compute(supervisor, period, ["contacts_by_type"]).tables


def test_a_period_cut_into_too_many_blocks_for_cases_is_refused_contacts_are_not(
    demo: Any,
) -> None:
    # Seven days exported one by one, then their week: a case may have contacts on any of the
    # seven days, and counting it exactly takes 2^7 - 1 queries; the export says so.
    supervisor = login(demo, "giamsat")
    days = [Period(date(2026, 11, d), date(2026, 11, d)) for d in range(23, 30)]
    for day in days:
        demo.statistics.release(supervisor, day, ["cases_by_province", "contacts_by_type"])
    week = Period(date(2026, 11, 23), date(2026, 11, 29))
    with pytest.raises(DomainError) as err:
        demo.statistics.release(supervisor, week, ["cases_by_province"])
    assert "7" in err.value.message("en") and err.value.message("en").endswith(".")
    report = demo.statistics.release(supervisor, week, ["contacts_by_type"])
    assert report.tables[0].table.values[("*",)] is not None  # the week's total is published
    assert determined_by_everything_released(demo, "contacts_by_type", 10) == []


def test_0101_as_two_way_tables_is_checked_against_the_three_way_export(demo: Any) -> None:
    supervisor = login(demo, "giamsat")
    nov = Period.parse("2026-11-01", "2026-11-30")
    three = demo.statistics.release(supervisor, nov, ["abused_children_0101"])
    two = demo.statistics.release(supervisor, nov, ["abused_children_0101"], two_way=True)
    (table3,), (table2,) = three.tables, two.tables
    assert set(table2.table.values) < set(table3.table.values)
    assert all(k[1] == "*" or k[2] == "*" for k in table2.table.values)  # form x sex, x setting
    assert table2.keys == tuple(k for k in table3.keys if k in table2.table.values)
    with demo.db.read() as s:
        rows = s.scalars(select(StatisticsRelease).order_by(StatisticsRelease.id)).all()
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "statistics_exported")
        ).all()
    assert [len(json.loads(r.cells)) for r in rows] == [len(table3.keys), len(table2.keys)]
    assert len(events) == 2  # each release audited
    assert determined_by_everything_released(demo, "abused_children_0101", 10) == []


def test_an_export_the_exact_check_cannot_finish_is_refused_and_not_recorded(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseintake.domain.statistics import exact_lp

    monkeypatch.setattr(exact_lp, "PIVOT_BUDGET", 0)  # no proof can be finished
    supervisor = login(demo, "giamsat")
    with pytest.raises(DomainError) as err:
        demo.statistics.release(supervisor, Period.parse("2026-11-01", "2026-11-30"))
    text = err.value.message("en")
    assert text.startswith("This export was not made") and text.count(".") == 1
    with demo.db.read() as s:
        assert s.scalars(select(StatisticsRelease)).all() == []
