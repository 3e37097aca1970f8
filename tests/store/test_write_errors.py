"""A save whose write lock does not come (another writer holds it past the busy timeout) is one
sentence, and nothing of it is kept: its statements go straight to SQLite's driver, whose own
errors are mapped as SQLAlchemy's are (store/db_errors.py)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import func, select

import caseintake.store.db as store_db
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.validation import parse_intake
from caseintake.store.models import AuditEvent, Contact
from tests.services.test_at_rest import report


def counts(services: Any) -> tuple[int, int]:
    with services.db.read() as s:
        contacts = s.execute(select(func.count()).select_from(Contact)).scalar_one()
        events = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    return contacts, events


def test_a_save_that_waits_too_long_for_the_lock_is_one_sentence_and_keeps_nothing(
    services: Any, operator: Any, admin: Any, monkeypatch: pytest.MonkeyPatch, db_path: Any
) -> None:
    services.intake.save(operator, parse_intake(report()))
    before = counts(services)
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    services.db.engine.dispose()  # the pool's connections open again with the short timeout
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DomainError) as refused:
            services.intake.save(operator, parse_intake(report()))
        assert refused.value.key == "db.busy"
        assert "database" in refused.value.message("en").lower()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(services) == before
    services.intake.save(operator, parse_intake(report()))
    assert counts(services)[0] == before[0] + 1
    assert services.audit.verify(admin).ok


def test_a_failing_statement_inside_a_save_rolls_the_whole_save_back(
    services: Any, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver's own error in the middle of a save (here: a contact row refused) leaves
    nothing of the case, its referrals or its events."""
    from caseintake.services.intake import service as intake_module

    before = counts(services)
    real = intake_module.insert_rows

    def refuse_contacts(conn: Any, table: Any, rows: Any) -> None:
        if table.name == "contacts":
            conn.connection.driver_connection.execute("INSERT INTO contacts (id) VALUES (NULL)")
        real(conn, table, rows)

    monkeypatch.setattr(intake_module, "insert_rows", refuse_contacts)
    with pytest.raises(sqlite3.IntegrityError):
        services.intake.save(operator, parse_intake(report()))
    assert counts(services) == before
