"""Issue 9 figures: a yearly statistics export against the raw SQL GROUP BY of the same indicator.

Goal (DESIGN §8): a yearly export over 1 M contacts takes ≤ 2 × the raw GROUP BY of the same
indicator on the same database. The synthetic rows are written with bulk SQL inserts (encrypted
columns hold random bytes: the statistics never read them), once per size and schema revision,
into the benchmarks' cache folder (``bench/build_db.py``); each run measures on a copy. The export is the whole service
call a supervisor makes: the SQL counts, the margins and suppression, the JSON file, the audit
event and the checkpoint. ``BENCH_STATS_CONTACTS`` sets the size (default 1,000,000).
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import best_of, paired, report

CONTACTS = int(os.environ.get("BENCH_STATS_CONTACTS", "1000000"))
# The suite's --quick: one round after the warm-up, no compute-only and no all-indicator
# workbook (the bar is the same ratio, measured with fewer repeats).
QUICK = os.environ.get("BENCH_STATS_QUICK") == "1"
PASSWORD = "amber-violet-72"
CHUNK = 50_000
CASE_SHARE = 0.3  # three contacts in ten open a case (reports); the rest are other kinds
T0 = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # 00:00 on 1 January 2026 in Viet Nam
YEAR = 365 * 24 * 3600
TYPES = ("silent", "hang_up", "counselling", "information", "wrong_number", "prank_abusive")
CHANNELS = ("phone", "phone", "phone", "zalo", "web", "social")
TOPICS = ("family_relationships", "mental_health", "bullying", "education", "")
CONCERNS = ("violence", "violence.physical", "sexual_abuse", "neglect", "dropout", "exploitation")
SETTINGS_ = ("family", "school", "community", "online", None)
BODIES = ("commune_committee", "commune_police", "education", "womens_union")
STATUSES = ("pending", "sent", "acknowledged", "in_progress", "done", "declined")
SEXES = ("female", "male", "unknown")


def _stamp(moment: datetime) -> str:
    """The text SQLAlchemy stores for a UTC DateTime on SQLite."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _rows(operator_id: str, rng: random.Random) -> Iterator[tuple[list[tuple], ...]]:
    contacts: list[tuple] = []
    cases: list[tuple] = []
    children: list[tuple] = []
    concerns: list[tuple] = []
    referrals: list[tuple] = []
    blob = os.urandom(48)
    for i in range(CONTACTS):
        at = T0 + timedelta(seconds=rng.randrange(YEAR))
        stamp = _stamp(at)
        case_id = None
        if rng.random() < CASE_SHARE:
            case_id = f"k{i:09d}"
            kind = "report"
            cases.append((case_id, f"111-2026-{i:09d}", "111", "assessed", "high", "support",
                          rng.choice(SETTINGS_), rng.choice((1, 79, 48, 92)), None, 0, blob,
                          operator_id, stamp, stamp))  # fmt: skip
            for pos in range(1 + (i % 3 == 0)):
                age = rng.choice((None, *range(18)))
                children.append((f"h{i:09d}{pos}", case_id, pos, age, "estimated",
                                 rng.choice(SEXES), "kinh", 0, "", blob, None))  # fmt: skip
            for concern in rng.sample(CONCERNS, 1 + i % 2):
                concerns.append((case_id, concern))
            created = at + timedelta(minutes=5)
            ack = created + timedelta(hours=rng.randrange(1, 48))
            status = rng.choice(STATUSES)
            acked = _stamp(ack) if status in ("acknowledged", "in_progress", "done") else None
            referrals.append((f"r{i:09d}", case_id, rng.choice(BODIES), None, None, None, "12h",
                              _stamp(at + timedelta(hours=12)), "bench", "bench", 0, status,
                              _stamp(created), _stamp(created), acked))  # fmt: skip
        else:
            kind = rng.choice(TYPES)
        topics = rng.choice(TOPICS) if kind == "counselling" else ""
        contacts.append((f"c{i:09d}", stamp, rng.choice(CHANNELS), "111", kind, operator_id, 60,
                         topics, "self", blob, blob, None, case_id, stamp))  # fmt: skip
        if len(contacts) >= CHUNK:
            yield cases, children, concerns, referrals, contacts
            contacts, cases, children, concerns, referrals = [], [], [], [], []
    yield cases, children, concerns, referrals, contacts


def _fill(path: Path, operator_id: str) -> dict[str, int]:
    rng = random.Random(9)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")  # the build only; the measures use the app's own
    sql = {
        "cases": "INSERT INTO cases (id, number, line, status, priority, protection_level, "
        "setting, province_code, ward_code, immediate_danger, narrative, assigned_to, opened_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "children": "INSERT INTO children (id, case_id, position, age, age_basis, sex, ethnicity, "
        "disability, special_circumstances, name, address) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        "case_concerns": "INSERT INTO case_concerns (case_id, concern) VALUES (?,?)",
        "referrals": "INSERT INTO referrals (id, case_id, body, directory_entry_id, province_code, "
        "ward_code, due_spec, due_at, rule_ids, basis, added_by_operator, status, created_at, "
        "sent_at, acknowledged_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "contacts": "INSERT INTO contacts (id, received_at, channel, line, contact_type, "
        "operator_id, duration_seconds, counselling_topics, caller_relationship, caller_name, "
        "caller_phone, caller_phone_index, case_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    }
    counts = dict.fromkeys(sql, 0)
    for batch in _rows(operator_id, rng):
        with conn:
            for name, rows in zip(sql, batch, strict=True):
                conn.executemany(sql[name], rows)
                counts[name] += len(rows)
    conn.execute("ANALYZE")
    conn.close()
    return counts


RAW = {
    "contacts_by_type": (
        "SELECT contact_type, count(*) FROM contacts "
        "WHERE received_at >= ? AND received_at < ? GROUP BY contact_type"
    ),
    "children_by_age_group_sex": (
        "SELECT CASE WHEN age IS NULL THEN 'unknown' WHEN age <= 5 THEN '0-5' "
        "WHEN age <= 10 THEN '6-10' WHEN age < 16 THEN '11-15' WHEN age <= 17 THEN '16-17' "
        "ELSE 'unknown' END AS g, sex, count(*) FROM children WHERE case_id IN "
        "(SELECT case_id FROM contacts WHERE received_at >= ? AND received_at < ? "
        "AND case_id IS NOT NULL) GROUP BY g, sex"
    ),
    "referrals_by_body_status": (
        "SELECT body, status, count(*) FROM referrals "
        "WHERE created_at >= ? AND created_at < ? GROUP BY body, status"
    ),
}


def _database(folder: Path) -> tuple[Path, Path, float | None]:
    """The statistics database of ``CONTACTS`` rows (built in the cache the first time) copied
    into ``folder``, with its state folder; and its build time (None: from the cache)."""
    from bench.build_db import cache_dir
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings
    from caseintake.store.migrate import head_revision

    name = f"stats-{CONTACTS}-r{head_revision()}"
    cached, state = cache_dir() / f"{name}.db", cache_dir() / f"{name}-state"
    seconds = None
    if not cached.exists():
        building = cached.with_suffix(".building")
        shutil.rmtree(state, ignore_errors=True)
        for stale in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            stale.unlink(missing_ok=True)
        svc = Services(Settings(db_url=f"sqlite:///{building}", state_dir=state))
        admin, _ = svc.setup.init("root", PASSWORD)
        svc.close()
        start = time.perf_counter()
        _fill(building, admin.user_id)
        seconds = time.perf_counter() - start
        building.rename(cached)
    path = folder / "bench.db"
    shutil.copyfile(cached, path)
    shutil.copytree(state, folder / "state")
    return path, folder / "state", seconds


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("cases", "children", "case_concerns", "referrals", "contacts")
        }
    finally:
        conn.close()


def main() -> None:
    from caseintake.domain.statistics.periods import Period
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    figures: dict[str, object] = {"contacts": CONTACTS}
    with tempfile.TemporaryDirectory() as tmp:
        path, state, built = _database(Path(tmp))
        figures["build_seconds"] = built
        figures.update({f"rows_{k}": v for k, v in _counts(path).items()})
        # Opened after the build, as the app opens a database that exists: its connections
        # read the planner statistics ANALYZE wrote.
        svc = Services(Settings(db_url=f"sqlite:///{path}", state_dir=state))
        admin = svc.auth.login("root", PASSWORD)
        year = Period.year(2026)
        first, after = (_stamp(b) for b in year.utc_bounds())
        raw = sqlite3.connect(path)
        runs = itertools.count()
        for indicator, query in RAW.items():

            def raw_group_by(q: str = query) -> object:
                return raw.execute(q, (first, after)).fetchall()

            def export(ind: str = indicator) -> object:
                out = Path(tmp) / f"{ind}-{next(runs)}.json"  # exports never overwrite
                return svc.statistics.export(admin, year, "json", out, [ind])

            def compute(ind: str = indicator) -> object:
                return svc.statistics.compute(admin, year, [ind])

            # Rounds interleaved, medians compared.
            pair = paired(export, raw_group_by, 1 if QUICK else 3)
            figures[f"{indicator}_raw_group_by_s"] = pair["baseline"]["median_ms"] / 1000
            if not QUICK:
                figures[f"{indicator}_compute_only_s"] = best_of(compute, 3)
            figures[f"{indicator}_export_s"] = pair["ours"]["median_ms"] / 1000
            figures[f"{indicator}_ratio"] = pair["ratio"]
        every: Callable[[], object] = lambda: svc.statistics.export(  # noqa: E731
            admin, year, "xlsx", Path(tmp) / f"all-{next(runs)}.xlsx"
        )
        if not QUICK:
            figures["all_indicators_xlsx_export_s"] = best_of(every, 1)
        raw.close()
        svc.close()
    figures["goal_ratio"] = "<= 2.0"
    report("stats", figures)


if __name__ == "__main__":
    main()
