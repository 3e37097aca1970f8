"""Planner statistics on the app's own schedule (issue 11 item 3)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from caseintake.services.container import Services
from caseintake.store.planner_stats import PlannerStats, analyse, stale


def _stat_rows(services: Services) -> int:
    with services.db.read() as s:
        return int(
            s.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'contacts'")).scalar_one()
        )


def test_stale_until_analysed_then_fresh_until_contacts_double(
    services: Services, operator, clock
) -> None:  # type: ignore[no-untyped-def]
    with services.db.read() as s:
        assert not stale(s)  # no contacts yet: nothing to learn
    for i in range(3):
        services.intake.log_non_data(operator, "silent", clock() - timedelta(minutes=i), 5)
    with services.db.read() as s:
        assert stale(s)  # contacts, never analysed
    with services.db.write() as s:
        analyse(s)
    with services.db.read() as s:
        assert not stale(s)
    for i in range(4):
        services.intake.log_non_data(operator, "hang_up", clock() - timedelta(minutes=i), 5)
    with services.db.read() as s:
        assert stale(s)  # 7 contacts against 3 analysed


def test_every_nth_write_and_the_first_home_analyse(services: Services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    services.intake.log_non_data(operator, "silent", clock(), 5)
    with services.db.write() as s:
        s.execute(text("DELETE FROM sqlite_stat1"))
    planner = PlannerStats(services.db, every=3)
    planner.wrote()
    planner.wrote()
    assert _stat_rows(services) == 0  # not yet: the third write is the one
    planner.wrote()
    assert _stat_rows(services) > 0
    with services.db.write() as s:
        s.execute(text("DELETE FROM sqlite_stat1"))
    services.cases.my_open(operator)  # the home after login analyses a stale database
    assert _stat_rows(services) > 0
