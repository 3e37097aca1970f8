"""Every screen's queries use an index (issue 11): EXPLAIN QUERY PLAN on a small generated
database shows no full scan of contacts, cases, referrals or audit events.

The statements are the ones the services really send (caught on the engine while each screen's
service call runs), so a later change to a query cannot quietly bring a scan back.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text

from caseintake.domain.synthetic import synthetic_intakes
from caseintake.services.cases.service import CaseQuery
from caseintake.services.container import Services
from caseintake.store.fast_read import FastReads
from caseintake.store.models import Case, Contact
from caseintake.store.planner_stats import PlannerStats

BIG_TABLES = ("contacts", "cases", "referrals", "audit_events")
# "SCAN t" alone reads the whole table; "SCAN t USING INDEX" walks an index in the order asked
# for and stops at the page's LIMIT.
FULL_SCAN = re.compile(rf"^SCAN ({'|'.join(BIG_TABLES)})(?! USING)( |$)")


@contextmanager
def statements(engine: Engine, fast: FastReads | None = None) -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT sent, through the engine or the fast reads' driver connections."""
    caught: list[tuple[str, Any]] = []

    def before(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not many:
            caught.append((statement, params))

    def driver(statement: str, args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not isinstance(args, list):
            caught.append((statement, args))

    event.listen(engine, "before_cursor_execute", before)
    if fast is not None:
        fast.watch(driver)
    try:
        yield caught
    finally:
        event.remove(engine, "before_cursor_execute", before)
        if fast is not None:
            fast.unwatch(driver)


def plan_lines(engine: Engine, statement: str, params: Any) -> list[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
    return [str(r[3]) for r in rows]


# The audit chain's last event: a walk down the integer primary key that stops at the first row.
LAST_BY_ROWID = re.compile(r"ORDER BY audit_events\.seq DESC\s+LIMIT", re.MULTILINE)


def full_scans(
    engine: Engine, action: Callable[[], object], fast: FastReads | None = None
) -> list[tuple[str, str]]:
    with statements(engine, fast) as caught:
        action()
    assert caught, "the screen sent no query"
    found = []
    for statement, params in caught:
        lines = plan_lines(engine, statement, params)
        sorted_apart = any("TEMP B-TREE" in line for line in lines)
        for line in lines:
            if line == "SCAN audit_events" and LAST_BY_ROWID.search(statement) and not sorted_apart:
                continue
            if FULL_SCAN.match(line):
                found.append((line, " ".join(statement.split())))
    return found


@pytest.fixture
def generated(services: Services, operator, supervisor, clock, monkeypatch) -> Services:  # type: ignore[no-untyped-def]
    # The planner's own assumptions are those of big tables (a million rows, ten per key);
    # statistics taken on 300 contacts would rightly prefer scans, so none are taken here.
    monkeypatch.setattr(PlannerStats, "ensure", lambda self: None)
    rng = random.Random(7)
    now = clock()
    for intake in synthetic_intakes(rng, 300, now - timedelta(days=60), now):
        saved = services.intake.save(operator, intake)
        if saved.case_id and rng.random() < 0.3:
            services.cases.transition(supervisor, saved.case_id, "closed", "Đã an toàn.")
    with services.db.write() as s:
        s.execute(text("DELETE FROM sqlite_stat1"))
    return services


def _one(services: Services, column: Any) -> Any:
    with services.db.read() as s:
        return s.execute(select(column).where(column.is_not(None)).limit(1)).scalar_one()


def screens(svc: Services, operator: Any, supervisor: Any) -> dict[str, Callable[[], object]]:
    from caseintake.services.supervisor_desk import SupervisorDesk

    number = _one(svc, Case.number)
    case_id = _one(svc, Case.id)
    contact_id = _one(svc, Contact.id)
    queue = SupervisorDesk(svc).queue
    first = svc.cases.search(operator, CaseQuery(), page_size=5)
    return {
        "home: my open cases": lambda: svc.cases.my_open(operator),
        "home: today's contacts": lambda: svc.contacts.today(operator),
        "case list: first page": lambda: svc.cases.search(operator, CaseQuery()),
        "case list: next page by keyset": lambda: svc.cases.search(
            operator, CaseQuery(), page_size=5, after=first.after
        ),
        "case list: exact number": lambda: svc.cases.search(operator, CaseQuery(text=number)),
        "case list: phone": lambda: svc.cases.search(operator, CaseQuery(text="0912345678")),
        "case list: concern": lambda: svc.cases.search(operator, CaseQuery(concern="violence")),
        "case list: dates": lambda: svc.cases.search(
            operator, CaseQuery(opened_from=date(2026, 2, 1), opened_to=date(2026, 2, 10))
        ),
        "case detail": lambda: svc.cases.detail(operator, case_id),
        "contact detail": lambda: svc.contacts.detail(operator, contact_id),
        "caller history": lambda: svc.callers.history(operator, "0912345678"),
        "queue page": lambda: queue.page(supervisor),
        "queue counts": lambda: queue.counts(supervisor),
    }


def test_no_screen_scans_a_big_table(generated: Services, operator, supervisor) -> None:  # type: ignore[no-untyped-def]
    scans = {
        name: found
        for name, action in screens(generated, operator, supervisor).items()
        if (found := full_scans(generated.db.engine, action, generated.db.fast))
    }
    assert scans == {}, "\n".join(f"{k}: {v}" for k, v in scans.items())


def test_the_checker_sees_a_full_scan(generated: Services) -> None:
    """The guard itself: a query no index serves is reported (a guard that never fires
    would pass whatever the screens do)."""

    def narrative_filter() -> None:
        with generated.db.read() as s:
            s.execute(select(Contact.id).where(Contact.duration_seconds == 12)).all()

    found = full_scans(generated.db.engine, narrative_filter)
    assert [line for line, _ in found] == ["SCAN contacts"]


def test_the_checker_sees_a_full_scan_on_the_fast_reads(generated: Services) -> None:
    """The same guard over the driver connections of ``store.fast_read``."""
    fast = generated.db.fast
    stmt = select(Contact.id).where(Contact.duration_seconds == 12)

    def narrative_filter() -> None:
        with fast.reads() as r:
            r.rows(fast.prepared(stmt))

    found = full_scans(generated.db.engine, narrative_filter, fast)
    assert [line for line, _ in found] == ["SCAN contacts"]


def test_a_number_tail_is_found_through_the_number_index(generated: Services, operator) -> None:  # type: ignore[no-untyped-def]
    """Issue 23: ``LIKE '%000123'`` walked every case newest first; the numbers a tail can be
    are listed from the counters and each looked up by the unique number index."""
    number = _one(generated, Case.number)
    svc = generated
    with statements(svc.db.engine, svc.db.fast) as caught:
        found = svc.cases.search(operator, CaseQuery(text=number[-6:]))
    assert number in [c.number for c in found.items]
    plans = [plan_lines(svc.db.engine, sql, params) for sql, params in caught]
    searched = [p for p in plans if any("cases" in line for line in p)]
    assert searched and all(
        any(re.match(r"^SEARCH c(ases)? USING INDEX \w+ \(number=\?\)", line) for line in p)
        for p in searched
    ), plans
