"""Issue 20 on PostgreSQL: the checks added to ``audit verify`` (event times, case numbers) and
the marks of the queue and the case search run there too, against plain-SQL edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseintake.services.audit.case_check import untrue_cases
from caseintake.services.audit.order import number_gaps, time_goes_back
from caseintake.services.cases import CaseQuery
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.services.audit_tamper import Tamper
from tests.services.record_tamper import world

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_services(pg_url: str, tmp_path: Path, clock: Any) -> Iterator[Services]:
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state", clock=clock))
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    svc.auth.change_password(OPERATOR, "one-time-pass-1", OPERATOR_PW)
    svc.users.add(admin, SUPERVISOR, "supervisor", "one-time-pass-2")
    svc.auth.change_password(SUPERVISOR, "one-time-pass-2", SUPERVISOR_PW)
    yield svc
    svc.close()


def test_order_checks_and_list_marks_on_postgres(pg_services: Services) -> None:
    w = world(pg_services)
    assert pg_services.audit.verify(w.admin).ok  # no false alarm from either check
    found = pg_services.cases.search(w.supervisor, CaseQuery())
    assert [c.tampered for c in found.items] == [False, False]
    tamper = Tamper(pg_services.settings.db_url)
    try:
        tamper.run("UPDATE cases SET priority = 'low' WHERE id = :c", c=w.second.case_id)
        found = pg_services.cases.search(w.supervisor, CaseQuery())
        assert {c.number for c in found.items if c.tampered} == {w.second.case_number}
        assert untrue_cases(pg_services.db, [w.first.case_id, w.second.case_id]) == {
            w.second.case_id
        }
        last = tamper.last()
        tamper.run("UPDATE audit_events SET at_us = 0 WHERE seq = :s", s=last)
        for sql in (
            "DELETE FROM referrals WHERE case_id = :c",
            "DELETE FROM contacts WHERE case_id = :c",
            "DELETE FROM children WHERE case_id = :c",
            "DELETE FROM perpetrators WHERE case_id = :c",
            "DELETE FROM case_concerns WHERE case_id = :c",
            "DELETE FROM cases WHERE id = :c",
        ):
            tamper.run(sql, c=w.second.case_id)
        with pg_services.db.read() as s:
            driver = s.connection().connection.driver_connection
            assert time_goes_back(driver, False, 1, last) == last
            gaps = number_gaps(driver)
        assert (gaps.missing, gaps.count) == ((w.second.case_number,), 1)
    finally:
        tamper.close()
