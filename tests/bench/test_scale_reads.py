"""The read bars' baselines do the screens' work (issue 23): on a small national database the
hand-written statements return what the services return (the home's cases, a tail's cases, the
queue's band walk, the pages by keyset), and every bar of ``scale_reads`` is measured."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.build_db import END, SEED, BenchDb
from bench.scale import reads
from bench.scale.read_sql import COUNTERS, HOME, KEYSET, TAIL


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> BenchDb:
    """``build_db``'s national line, small: three operators, 400 contacts, one process."""
    from caseintake.crypto.kdf import KdfCost
    from caseintake.domain.national.plan import national_contacts
    from caseintake.services.access.setup import SetupService
    from caseintake.services.bulk.demo_build import BulkBuilder
    from caseintake.services.bulk.replay import national_users
    from caseintake.services.container import Services

    path = tmp_path_factory.mktemp("national") / "national-400.db"
    db = BenchDb(path, 400, None)
    kdf = SetupService.default_kdf
    SetupService.default_kdf = KdfCost(256, 1, 1)
    try:
        svc = Services(db.settings())
        _, operators, supervisor = national_users(svc, 3)
        plan = national_contacts(random.Random(SEED), 400, END - timedelta(days=3 * 365), END, 3)
        BulkBuilder(svc, operators, supervisor, workers=1).write(plan)
        svc.close()
    finally:
        SetupService.default_kdf = kdf
    return db


@pytest.fixture(scope="module")
def opened(national: BenchDb) -> Any:
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.container import Services

    raw = reads._raw(national.path)
    (busiest,) = raw.execute(
        "SELECT u.name FROM cases c JOIN users u ON u.id = c.assigned_to WHERE c.status !="
        " 'closed' GROUP BY u.name ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    svc = Services(national.settings())
    operator = svc.auth.login(busiest, NATIONAL_PASSWORD)
    yield svc, operator, svc.auth.login("giamsat", NATIONAL_PASSWORD), raw
    raw.close()
    svc.close()


def test_the_baselines_return_what_the_screens_show(opened: Any) -> None:
    from caseintake.services.cases.number_tail import candidates
    from caseintake.services.cases.service import CaseQuery
    from caseintake.services.referrals.queue import PAGE_SIZE
    from caseintake.services.supervisor_desk import SupervisorDesk

    svc, operator, supervisor, raw = opened
    home = [c.number for c in svc.cases.my_open(operator)]
    assert home and [r[1] for r in reads._read(raw, HOME, (operator.user_id,))] == home
    (number,) = raw.execute("SELECT max(number) FROM cases").fetchone()
    tail = number[-6:]
    listed = json.dumps(candidates(tail, raw.execute(COUNTERS).fetchall()))
    by_hand = [r[1] for r in reads._read(raw, TAIL, (listed,))]
    assert by_hand == [c.number for c in svc.cases.search(operator, CaseQuery(text=tail)).items]
    assert number in by_hand
    first = svc.cases.search(operator, CaseQuery(), page_size=20)
    following = svc.cases.search(operator, CaseQuery(), page_size=20, after=first.after)
    at, case_id = first.after
    keyset = [r[1] for r in reads._read(raw, KEYSET, (reads.sql_time(at), case_id))]
    assert keyset[:20] == [c.number for c in following.items]
    now = svc.settings.clock()
    times = {
        "now": reads.sql_time(now),
        "window": reads.sql_time(now - reads.timedelta(minutes=15)),
        "soon": reads.sql_time(now + reads.timedelta(hours=1)),
    }
    page = SupervisorDesk(svc).queue.page(supervisor)
    walked = reads._band_walk(raw, times, PAGE_SIZE + 1)
    assert page.rows and [r[1] for r in walked[:PAGE_SIZE]] == [r.id for r in page.rows]


def test_every_read_bar_is_measured(national: BenchDb, tmp_path: Path) -> None:
    import shutil

    copy = BenchDb(tmp_path / national.path.name, national.contacts, None)
    shutil.copyfile(national.path, copy.path)
    figures = reads.measure(copy, rounds=1)
    bars = {"home", "search_number", "search_number_tail", "search_concern", "page_first"}
    bars |= {"page_51_keyset", "page_last_keyset", "case_detail", "lookup", "queue"}
    assert bars | {"queue_totals"} <= set(figures)
    assert all(figures[name]["ratio"] > 0 for name in bars | {"queue_totals"})
