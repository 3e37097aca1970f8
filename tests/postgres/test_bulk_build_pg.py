"""The bulk build on a real PostgreSQL server equals the same build on SQLite in every aggregate
(issue 11 item 5), its fields decrypt and its chain verifies; the PostgreSQL benchmark runs end
to end on a tiny database."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.pg.server import create_database, drop_database
from caseintake.domain.national.plan import national_contacts
from caseintake.services.bulk.demo_build import BulkBuilder
from caseintake.services.bulk.replay import NATIONAL_PASSWORD, national_users
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.conftest import FrozenClock
from tests.store.test_bulk_build import AGGREGATES

pytestmark = pytest.mark.postgres

END = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
START = END - timedelta(days=120)
CONTACTS, OPERATORS, SEED = 400, 3, 2026
TABLES = [
    "contacts",
    "cases",
    "case_concerns",
    "children",
    "perpetrators",
    "case_notes",
    "referrals",
    "referral_updates",
    "case_counters",
    "audit_events",
    "users",
]


def _plain(value: Any) -> Any:
    """One form for both backends: datetimes as SQLite stores them (naive UTC text), truth
    values as 0/1."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def _aggregates(s: Session, after: int) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for name, query in AGGREGATES.items():
        rows = (tuple(_plain(v) for v in r) for r in s.execute(text(query), {"after": after}))
        out[name] = sorted(rows, key=repr)
    out["counts"] = [(t, s.execute(text(f"select count(*) from {t}")).scalar_one()) for t in TABLES]
    return out


def _build(url: str, state: Path) -> tuple[Services, Any, int]:
    svc = Services(Settings(db_url=url, state_dir=state, clock=FrozenClock(END)))
    admin, operators, supervisor = national_users(svc, OPERATORS)
    with svc.db.read() as s:
        after = s.execute(text("select max(seq) from audit_events")).scalar_one()
    plan = national_contacts(random.Random(SEED), CONTACTS, START, END, OPERATORS)
    BulkBuilder(svc, operators, supervisor).write(plan, batch=64)
    return svc, admin, after


@pytest.fixture(scope="module")
def both(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.access.setup import SetupService
    from tests.conftest import CHEAP_KDF_ARGS

    lite, pg = tmp_path_factory.mktemp("sqlite"), tmp_path_factory.mktemp("pg")
    url = create_database(pg_server, "bulk_equal")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SetupService, "default_kdf", KdfCost(*CHEAP_KDF_ARGS))
        built = [_build(f"sqlite:///{lite / 'db.sqlite'}", lite), _build(url, pg)]
    yield built
    for svc, _, _ in built:
        svc.close()
    drop_database(pg_server, "bulk_equal")


def test_postgres_build_equals_sqlite_in_every_aggregate(both) -> None:  # type: ignore[no-untyped-def]
    (lite, _, lite_after), (pg, _, pg_after) = both
    assert pg.db.engine.dialect.name == "postgresql"
    with lite.db.read() as s:
        expected = _aggregates(s, lite_after)
    with pg.db.read() as s:
        found = _aggregates(s, pg_after)
    assert found["counts"] == expected["counts"]
    for name in expected:
        assert found[name] == expected[name], name
    # Not vacuous: cases with numbers and deadlines, referrals in every state, a chain.
    counts = dict(found["counts"])
    assert counts["contacts"] == CONTACTS and counts["cases"] > 10 and counts["audit_events"] > 500
    # Realistic data (issue 23): referrals are sent within hours, so few stay pending.
    assert {r[9] for r in found["referrals"]} >= {"sent", "done", "revoked"}
    assert all(r[6] for r in found["referrals"])  # every referral has its deadline
    # The indexes set aside while loading are all back, as the migrations made them.
    from caseintake.store.deferred_indexes import present

    assert present(pg.db.engine) == present(lite.db.engine)
    assert {"ix_contacts_phone_index", "ix_referrals_open_due"} <= present(pg.db.engine)


def test_postgres_build_decrypts_and_verifies(both) -> None:  # type: ignore[no-untyped-def]
    (lite, _, _), (pg, pg_admin, _) = both
    assert pg.audit.verify(pg_admin).ok
    sample = "select number, id from cases order by number limit 12"
    narratives = []
    for svc in (lite, pg):
        operator = svc.auth.login("tv001", NATIONAL_PASSWORD)
        with svc.db.read() as s:
            ids = s.execute(text(sample)).all()
        narratives.append({n: svc.cases.detail(operator, i).narrative for n, i in ids})
    assert narratives[0] == narratives[1] and len(narratives[1]) == 12
    assert all(narratives[1].values())
    assert pg.audit.verify(pg_admin, workers=2).ok  # the views chain on, split over processes


def test_a_changed_deadline_is_seen_by_the_comparison(both) -> None:  # type: ignore[no-untyped-def]
    """Bad input: one referral's deadline moved by a minute on PostgreSQL makes the aggregates
    differ (the comparison is not vacuous); the change is rolled back."""
    (lite, _, lite_after), (pg, _, pg_after) = both
    with lite.db.read() as s:
        expected = _aggregates(s, lite_after)["referrals"]
    with pg.db.engine.connect() as conn:
        trans = conn.begin()
        conn.execute(
            text(
                "update referrals set due_at = due_at + interval '1 minute'"
                " where id = (select min(id) from referrals)"
            )
        )
        with Session(bind=conn) as s:
            assert _aggregates(s, pg_after)["referrals"] != expected
        trans.rollback()
    with pg.db.read() as s:
        assert _aggregates(s, pg_after)["referrals"] == expected


def test_pg_bench_runs_end_to_end(
    pg_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m bench.pg.scale --url …`` on a tiny database: every bar measured, the baselines
    read the same cases as the screens, the figures written; a second run reuses the build."""
    from bench.pg import scale as pg_scale

    monkeypatch.setenv("CASEINTAKE_BENCH_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "pg-scale.json"
    args = ["--url", pg_server, "--contacts", "300", "--rounds", "1", "--writers", "3"]
    args += ["--out", str(out)]
    first = pg_scale.main(args)
    assert first["build_seconds"] > 0 and first["cases"] > 0
    ratios = {k: v for k, v in first["bars"].items() if k.endswith("_ratio")}
    assert len(ratios) == 6 and all(isinstance(v, float) and v > 0 for v in ratios.values())
    assert (first["bars"]["lost_saves"], first["bars"]["save_errors"]) == (0, 0)
    assert first["concurrency"]["contacts_added"] == 30
    assert all(first["reads"]["same_rows"].values())
    assert first["save"]["write_statements_per_save"] >= 8
    assert first["verify"]["events"] > 300 and first["verify"]["signatures"] > 0
    assert json.loads(out.read_text())["bars"] == first["bars"]
    again = pg_scale.main(args)
    assert again["build_seconds"] is None and again["cases"] == first["cases"]
    drop_database(pg_server, first["database"])


def test_pg_bench_without_a_server_says_so(tmp_path: Path) -> None:
    """Bad input: a URL where no server listens ends in one sentence and exit status 1."""
    from bench.pg import scale as pg_scale

    nowhere = f"postgresql+psycopg://postgres@/postgres?host={tmp_path}"
    with pytest.raises(SystemExit) as exc:
        pg_scale.main(["--url", nowhere, "--contacts", "10", "--out", str(tmp_path / "x.json")])
    assert str(exc.value).startswith("No PostgreSQL server to measure on:")
    assert not (tmp_path / "x.json").exists()
