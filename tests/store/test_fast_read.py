"""The screens' hot reads on the driver's own connections (``store.fast_read``) return exactly
what SQLAlchemy returns for the same statements, cannot write, see one snapshot per block, and
let go of the file when the database is disposed."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from caseintake.domain.synthetic import synthetic_intakes
from caseintake.services.cases.service import CaseQuery, _home, _search
from caseintake.store.models import Case, Contact


@pytest.fixture
def filled(services: Any, operator: Any, clock: Any) -> Any:
    now = clock()
    for intake in synthetic_intakes(random.Random(3), 150, now - timedelta(days=20), now):
        services.intake.save(operator, intake)
    return services


def by_sqlalchemy(services: Any, stmt: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with services.db.read() as s:
        return [tuple(r) for r in s.connection().execute(stmt, params)]


def by_driver(services: Any, stmt: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    fast = services.db.fast
    with fast.reads() as r:
        return [tuple(row) for row in r.rows(fast.prepared(stmt), params)]


def test_the_same_rows_as_sqlalchemy_typed_the_same(filled: Any, operator: Any) -> None:
    first = filled.cases.search(operator, CaseQuery(), page_size=2)
    assert first.after is not None
    number = first.items[0].number
    cases = [
        (_home(50), {"user": operator.user_id}),
        (_search((), False), {"limit": 21, "offset": 0}),
        (_search((), True), {"limit": 6, "after_at": first.after[0], "after_id": first.after[1]}),
        (_search(("number",), False), {"number": number, "limit": 21, "offset": 0}),
    ]
    for stmt, params in cases:
        ours, theirs = by_driver(filled, stmt, params), by_sqlalchemy(filled, stmt, params)
        assert ours == theirs and ours
        assert [type(v) for v in ours[0]] == [type(v) for v in theirs[0]]
        assert ours[0][4].tzinfo is UTC  # opened_at: an aware UTC datetime, as the ORM gives


def test_the_driver_connections_cannot_write(filled: Any) -> None:
    fast = filled.db.fast
    generation, conn = fast._checkout(False)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM contacts")
    finally:
        fast._checkin(False, generation, conn, True)
    with filled.db.read() as s:
        assert s.execute(select(func.count()).select_from(Contact)).scalar_one() == 150


def test_a_block_reads_one_snapshot(filled: Any, operator: Any, clock: Any) -> None:
    fast = filled.db.fast
    count = select(func.count()).select_from(Case)
    with fast.reads() as r:
        before = r.rows(fast.prepared(count))[0][0]
        intakes = synthetic_intakes(random.Random(9), 200, clock(), clock())
        intake = next(i for i in intakes if i.contact_type == "report")
        filled.intake.save(operator, intake)  # committed by another connection meanwhile
        assert r.rows(fast.prepared(count))[0][0] == before
    with fast.reads() as r:
        assert r.rows(fast.prepared(count))[0][0] == before + 1


def test_an_error_inside_a_block_rolls_back_and_the_next_block_works(filled: Any) -> None:
    fast = filled.db.fast
    with pytest.raises(ZeroDivisionError), fast.reads() as r:
        r.rows(fast.prepared(select(func.count()).select_from(Case)))
        _ = 1 / 0
    with fast.reads() as r:
        assert r.rows(fast.prepared(select(func.count()).select_from(Case)))[0][0] >= 1


def test_dispose_closes_the_driver_connections_and_reads_reopen(filled: Any) -> None:
    fast = filled.db.fast
    count = fast.prepared(select(func.count()).select_from(Contact))
    with fast.reads() as r:
        r.rows(count)
    generation, idle = fast._checkout(False)
    fast._checkin(False, generation, idle, True)
    with fast.lookup() as look:  # a lookup's writable connection too
        writer = look.driver
    filled.db.dispose()
    for closed in (idle, writer):
        with pytest.raises(sqlite3.ProgrammingError):  # closed: the file is let go
            closed.execute("SELECT 1")
    with fast.reads() as r:
        assert r.rows(count)[0][0] == 150


def test_a_statement_with_an_expanding_list_is_refused(filled: Any) -> None:
    stmt = select(Case.id).where(Case.id.in_(["a", "b"]))
    with pytest.raises(ValueError, match="expanding"):
        filled.db.fast.prepared(stmt)
    with filled.db.read() as s:  # the same statement still runs the ordinary way
        assert s.execute(stmt).all() == []


def test_an_index_named_for_sqlite_is_walked_and_a_wrong_table_is_refused(filled: Any) -> None:
    """``indexed_by`` names SQLite's index outright (its statistics can choose a plan that
    reads far more); bad input, a table the statement does not read from, is one error."""
    from caseintake.store.models import Referral

    fast = filled.db.fast
    stmt = select(Referral.id).where(Referral.status == "pending").order_by(Referral.due_at)
    prepared = fast.prepared(stmt, ("referrals", "ix_referrals_status_due"))
    assert "FROM referrals INDEXED BY ix_referrals_status_due " in prepared.sql
    with fast.reads() as r:
        found = [tuple(row) for row in r.rows(prepared)]
    assert found == by_sqlalchemy(filled, stmt, {}) and found  # the same rows, in order
    other = select(Case.id).order_by(Case.opened_at)
    with pytest.raises(ValueError, match="no FROM referrals"):
        fast.prepared(other, ("referrals", "ix_referrals_status_due"))
