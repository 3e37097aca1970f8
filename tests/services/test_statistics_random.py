"""Random data sets: the named SQL queries agree with a count done here by hand in Python, and
the published tables of every data set keep the disclosure rules.

Rows are written straight with SQL into a database built by the migrations (the statistics
read codes only), then wiped for the next example.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseintake.domain.statistics.indicators import age_group, top_code
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.suppression import publish
from caseintake.domain.statistics.tables import build_table
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.services.statistics import queries
from tests.conftest import ADMIN, ADMIN_PW, FrozenClock
from tests.domain.test_statistics_suppression import lines, solvable_by_sums, true_values

PERIOD = Period.month(2026, 3)
START = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)  # some contacts fall before, some after
CONCERNS = ("violence", "violence.physical", "neglect", "sexual_abuse", "dropout")
ABUSE = {"violence", "neglect", "sexual_abuse"}


@dataclass(frozen=True)
class CaseRow:
    province: int
    setting: str | None
    concerns: frozenset[str]
    children: tuple[tuple[int | None, str, bool], ...]  # age, sex, harmed by violence
    contact_hours: tuple[int, ...]


case_rows = st.builds(
    CaseRow,
    st.sampled_from((1, 79)),
    st.sampled_from(("family", "school", None)),
    st.frozensets(st.sampled_from(CONCERNS), min_size=1, max_size=3),
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 17)),
            st.sampled_from(("female", "male", "unknown")),
            st.booleans(),
        ),
        min_size=1,
        max_size=3,
    ).map(tuple),
    st.lists(st.integers(0, 24 * 33), min_size=1, max_size=3).map(tuple),
)
other_contacts = st.lists(
    st.tuples(st.sampled_from(("silent", "counselling", "hang_up")), st.integers(0, 24 * 33)),
    max_size=25,
)


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    tmp = tmp_path_factory.mktemp("random")
    clock = FrozenClock(datetime(2026, 4, 10, tzinfo=UTC))
    settings_ = Settings(
        db_url=f"sqlite:///{tmp / 'r.db'}", state_dir=Path(tmp / "state"), clock=clock
    )
    services = Services(settings_)
    services.setup.init(ADMIN, ADMIN_PW)
    yield services
    services.close()


def stamp(hours: int) -> datetime:
    return START + timedelta(hours=hours)


def stored(hours: int) -> str:
    """The text SQLAlchemy writes for a UTC time on SQLite (microseconds always shown)."""
    return stamp(hours).strftime("%Y-%m-%d %H:%M:%S.%f")


def load(svc: Services, cases: list[CaseRow], others: list[tuple[str, int]]) -> None:
    """Wipe and write the rows with one plain connection (no fsync: a test database)."""
    path = svc.db.url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        for table in ("contacts", "children", "case_concerns", "cases"):
            conn.execute(f"DELETE FROM {table}")
        user = conn.execute("SELECT id FROM users LIMIT 1").fetchone()[0]
        rows: dict[str, list[tuple[object, ...]]] = {"cases": [], "cc": [], "ch": [], "co": []}
        for i, case in enumerate(cases):
            cid = f"k{i}"
            rows["cases"].append((cid, cid, case.setting, case.province, user, stored(0)))
            rows["cc"] += [(cid, concern) for concern in case.concerns]
            for j, (age, sex, harmed) in enumerate(case.children):
                circumstances = "orphan,harmed_by_violence" if harmed else ""
                rows["ch"].append((f"{cid}-{j}", cid, j, age, sex, circumstances))
            rows["co"] += [("report", h, cid) for h in case.contact_hours]
        rows["co"] += [(kind, h, None) for kind, h in others]
        conn.executemany(
            "INSERT INTO cases (id, number, line, status, priority, protection_level, setting, "
            "province_code, immediate_danger, assigned_to, opened_at, updated_at) "
            "VALUES (?, ?, '111', 'assessed', 'high', 'support', ?, ?, 0, ?, ?, ?)",
            [(*r, r[-1]) for r in rows["cases"]],
        )
        conn.executemany("INSERT INTO case_concerns (case_id, concern) VALUES (?, ?)", rows["cc"])
        conn.executemany(
            "INSERT INTO children (id, case_id, position, age, age_basis, sex, ethnicity, "
            "disability, special_circumstances) VALUES (?, ?, ?, ?, 'stated', ?, 'kinh', 0, ?)",
            rows["ch"],
        )
        conn.executemany(
            "INSERT INTO contacts (id, received_at, channel, line, contact_type, operator_id, "
            "counselling_topics, case_id, created_at) "
            "VALUES (?, ?, 'phone', '111', ?, ?, '', ?, ?)",
            [(f"c{n}", stored(h), kind, user, cid, stored(h))
             for n, (kind, h, cid) in enumerate(rows["co"])],
        )  # fmt: skip
    conn.close()


def expected(cases: list[CaseRow], others: list[tuple[str, int]]) -> dict[str, Counter]:
    inside = [c for c in cases if any(PERIOD.contains(stamp(h)) for h in c.contact_hours)]
    by_type: Counter = Counter()
    for case in cases:
        by_type["report",] += sum(1 for h in case.contact_hours if PERIOD.contains(stamp(h)))
    for kind, hours in others:
        by_type[kind,] += PERIOD.contains(stamp(hours))
    ages: Counter = Counter()
    concern: Counter = Counter()
    abused: Counter = Counter()
    for case in inside:
        for age, sex, harmed in case.children:
            ages[age_group(age), sex] += 1
            tops = {top_code(c) for c in case.concerns} | ({"violence"} if harmed else set())
            for top in tops:
                concern[top, sex] += 1
                if top in ABUSE and age is not None and age < 16:
                    abused[top, sex, case.setting or "unknown"] += 1
    provinces = Counter((str(c.province),) for c in inside)
    drop = lambda c: Counter({k: v for k, v in c.items() if v})  # noqa: E731
    return {
        "contacts_by_type": drop(by_type),
        "children_by_age_group_sex": ages,
        "children_by_concern_sex": concern,
        "abused_children_0101": abused,
        "cases_by_province": provinces,
    }


@settings(
    max_examples=10,  # each example loads a database and suppresses five tables: ~0.4 s
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(case_rows, max_size=8), other_contacts, st.integers(3, 6))
def test_queries_count_what_a_person_would_and_publish_safely(
    svc: Services, cases: list[CaseRow], others: list[tuple[str, int]], threshold: int
) -> None:
    load(svc, cases, others)
    want = expected(cases, others)
    bounds = PERIOD.utc_bounds()
    with svc.db.read() as s:
        for indicator_id, counts in want.items():
            got = queries.QUERIES[indicator_id](s, bounds, True)
            assert got == dict(counts), indicator_id
            dims = len(next(iter(counts))) if counts else 1
            table = build_table([f"d{i}" for i in range(dims)], got)
            published = publish(table, threshold)
            truth = true_values(dims, got)
            hidden = {k for k, v in published.values.items() if v is None}
            assert all(v is None or not 1 <= v < threshold for v in published.values.values())
            for total, parts in lines(truth):
                assert len([k for k in [total, *parts] if k in hidden]) != 1
            assert not solvable_by_sums(truth, hidden)
