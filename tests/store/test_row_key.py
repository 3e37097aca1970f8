"""``row_key`` joins by SQLite's rowid and by the primary key elsewhere; the summaries built on
it find the same nearest referral either way (the PostgreSQL tests run the same services)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from caseintake.store.models import Referral
from caseintake.store.row_key import row_key


def test_rowid_on_sqlite_primary_key_elsewhere() -> None:
    n = aliased(Referral, name="nearest")
    stmt = select(n.body).where(row_key(n.id) == select(row_key(Referral.id)).scalar_subquery())
    on_sqlite = str(stmt.compile(dialect=sqlite.dialect()))
    on_pg = str(stmt.compile(dialect=postgresql.dialect()))
    assert "nearest.rowid = (SELECT referrals.rowid" in on_sqlite
    assert "nearest.id = (SELECT referrals.id" in on_pg


def test_the_summaries_join_finds_the_nearest_unmet_referral(services, operator) -> None:  # type: ignore[no-untyped-def]
    from tests.services.supervisor_fixtures import referrals, save_report

    case = save_report(services, operator, narrative="Hàng xóm báo tin")
    nearest = min(referrals(services, case.case_id).values(), key=lambda r: r.due_at)
    (mine,) = [c for c in services.cases.my_open(operator) if c.id == case.case_id]
    assert (mine.next_due_at, mine.next_due_body) == (nearest.due_at, nearest.body)
