"""The repeat-caller lookup's audit event (issue 11 item 3): read outside the write lock, then
the event in a short write of its own on one driver connection. The event is the one a session
would write (chained, sealed under the general key, signed), ``audit verify`` passes across
both paths, and a lookup whose event cannot be written shows nothing and keeps nothing."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from sqlalchemy import select

import caseintake.store.db as store_db
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.validation import parse_intake
from caseintake.services.audit import details as audit_details
from caseintake.services.audit.details import open_details
from caseintake.services.container import Services
from caseintake.store.models import AuditEvent
from tests.conftest import OPERATOR_PW
from tests.services.test_at_rest import CANARIES, report

PHONE = CANARIES["phone"]


def save_call(svc: Any, operator: Any) -> None:
    svc.intake.save(operator, parse_intake(report()))


def lookups(svc: Any) -> list[AuditEvent]:
    with svc.db.read() as s:
        return list(
            s.scalars(select(AuditEvent).where(AuditEvent.action == "caller_looked_up")).all()
        )


def opened(svc: Any, keys: Any, event: AuditEvent) -> Any:
    with svc.db.read() as s:
        return json.loads(open_details(s, keys, event.seq, bytes(event.details)) or "null")


def test_a_lookup_is_audited_on_the_driver_and_the_chain_verifies(
    services: Services, operator: Any, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_call(services, operator)
    sessions: list[int] = []
    real = services.audit_log.append_many
    monkeypatch.setattr(
        services.audit_log,
        "append_many",
        lambda s, *a, **k: sessions.append(1) or real(s, *a, **k),
    )
    history = services.callers.history(operator, PHONE)
    assert len(history.contacts) == 1 and len(history.cases) == 1
    assert sessions == []  # written on the driver connection, no session around it
    (event,) = lookups(services)
    assert event.actor == operator.name and event.signer == operator.keys.signer
    assert event.sig is not None
    assert opened(services, operator.keys, event) == {"found": 1}
    assert services.audit.verify(admin).ok


def test_the_first_lookup_of_a_process_goes_through_a_session_and_both_chain(
    services: Services, operator: Any, admin: Any, settings: Any
) -> None:
    """A process that has not learnt the general details key yet (here: forgotten) writes the
    event through a session; the next lookup is on the driver; one chain holds both."""
    save_call(services, operator)
    audit_details._GENERAL.clear()
    services.callers.history(operator, PHONE)
    assert audit_details.general_key(operator.keys) is not None  # learnt by that session
    services.callers.history(operator, PHONE)
    assert [opened(services, operator.keys, e) for e in lookups(services)] == [{"found": 1}] * 2
    other = Services(settings)  # a second process: its own audit log, nothing learnt yet
    try:
        again = other.auth.login(operator.name, OPERATOR_PW)
        other.callers.history(again, PHONE)
    finally:
        other.close()
    assert len(lookups(services)) == 3
    assert services.audit.verify(admin).ok


def test_a_lookup_that_cannot_write_its_event_shows_nothing_and_keeps_nothing(
    services: Services, operator: Any, admin: Any, monkeypatch: pytest.MonkeyPatch, db_path: Any
) -> None:
    """Another writer holds the lock past the busy timeout: one sentence, no history given, no
    event, and the next lookup (the lock let go) works on the same connection."""
    save_call(services, operator)
    services.db.fast.close()  # the lookup's connection opens again with the short timeout
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DomainError) as refused:
            services.callers.history(operator, PHONE)
        assert refused.value.key == "db.busy"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert lookups(services) == []
    assert len(services.callers.history(operator, PHONE).contacts) == 1
    assert len(lookups(services)) == 1
    assert services.audit.verify(admin).ok


def test_an_error_inside_the_write_rolls_it_back_and_the_connection_is_reused(
    services: Services,
) -> None:
    fast = services.db.fast
    scratch = "INSERT INTO case_keys (scope, wrapped) VALUES ('scratch', x'00')"
    with pytest.raises(ZeroDivisionError), fast.lookup() as look:
        look.write(lambda conn: (conn.execute(scratch), 1 / 0))
    with fast.lookup() as look:
        assert not look.driver.in_transaction
        count = "SELECT count(*) FROM case_keys WHERE scope = 'scratch'"
        assert look.write(lambda conn: conn.execute(count).fetchone()) == (0,)  # rolled back


def test_the_reads_take_no_write_lock(services: Services, operator: Any, db_path: Any) -> None:
    """While another writer holds the lock, the lookup's reads still run (its event waits)."""
    save_call(services, operator)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        fast = services.db.fast
        with fast.lookup() as look, look.reads() as r:
            found = r.rows(fast.prepared(select(AuditEvent.seq).limit(1)))
        assert found
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_only_events_about_no_case_are_sealed_under_the_general_key() -> None:
    for entity in ("case", "referral", "contact"):
        with pytest.raises(ValueError, match="their case's key"):
            audit_details.seal_general(b"k" * 32, 1, entity, "{}")
