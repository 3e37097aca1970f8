"""Migration 0023's indexes are the ones the reads walk (issue 23 item 3): the repeat-caller
lookup counts a caller's silent calls from (caller_phone_index, contact_type), and the queue's
overdue and due-soon bands walk the unmet referrals' partial index, not every open referral's.

The statements are the ones the services send (caught while each call runs), planned by
``EXPLAIN QUERY PLAN`` on a database built by the migrations.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from caseintake.domain.synthetic import synthetic_intakes
from caseintake.services.container import Services
from tests.store.test_query_plans import plan_lines, statements

PHONE = "0912345678"


@pytest.fixture
def saved(services: Services, operator, clock) -> Services:  # type: ignore[no-untyped-def]
    now = clock()
    for intake in synthetic_intakes(random.Random(5), 40, now - timedelta(days=30), now):
        services.intake.save(operator, intake)
    with services.db.write() as s:
        s.execute(text("ANALYZE"))  # the statistics a working database has (PlannerStats)
    return services


def _plans(svc: Services, action: Any, word: str) -> list[list[str]]:
    with statements(svc.db.engine, svc.db.fast) as caught:
        action()
    return [plan_lines(svc.db.engine, sql, args) for sql, args in caught if word in sql]


def test_silent_calls_are_counted_from_the_phone_and_type_index(saved: Services, operator) -> None:  # type: ignore[no-untyped-def]
    plans = _plans(saved, lambda: saved.callers.history(operator, PHONE), "count(")
    assert plans == [
        [
            "SEARCH contacts USING COVERING INDEX ix_contacts_phone_type"
            " (caller_phone_index=? AND contact_type=?)"
        ]
    ]


def test_the_queue_walks_unmet_referrals_for_its_first_two_bands(
    saved: Services, supervisor
) -> None:  # type: ignore[no-untyped-def]
    from caseintake.services.supervisor_desk import SupervisorDesk

    queue = SupervisorDesk(saved).queue
    page = queue.page(supervisor, page_size=1000)
    assert page.rows and any(r.overdue for r in page.rows)
    plans = _plans(saved, lambda: queue.page(supervisor, page_size=1000), "FROM referrals")
    walked = [next(line for line in p if "referrals" in line) for p in plans]
    assert walked == [
        "SEARCH referrals USING INDEX ix_referrals_unmet_due (due_at<?)",
        "SEARCH referrals USING INDEX ix_referrals_unmet_due (due_at>? AND due_at<?)",
        "SCAN referrals USING INDEX ix_referrals_open_due",
    ]
