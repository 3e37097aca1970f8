"""The bulk build equals the service-built database of the same plan in every aggregate
(issue 11 item 1), and its audit chain verifies as the services' does."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from caseintake.domain.national.plan import national_contacts
from caseintake.services.bulk.demo_build import BulkBuilder
from caseintake.services.bulk.replay import national_users, replay
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.conftest import FrozenClock

END = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
START = END - timedelta(days=120)
CONTACTS, OPERATORS, SEED = 360, 3, 2026

AGGREGATES = {
    "contacts": "select contact_type, channel, line, u.name, duration_seconds,"
    " counselling_topics, caller_relationship, caller_phone is null, caller_phone_index is null,"
    " narrative is null, notes is null, case_id is null, received_at, contacts.created_at"
    " from contacts join users u on u.id = operator_id",
    "cases": "select number, line, status, priority, protection_level, setting, province_code,"
    " ward_code, immediate_danger, u.name, opened_at, updated_at, closed_at"
    " from cases join users u on u.id = assigned_to",
    "concerns": "select c.number, concern from case_concerns join cases c on c.id = case_id",
    "children": "select c.number, position, age, age_basis, sex, ethnicity, name is null"
    " from children join cases c on c.id = case_id",
    "perpetrators": "select c.number, position, relationship from perpetrators"
    " join cases c on c.id = case_id",
    "notes": "select c.number, at from case_notes join cases c on c.id = case_id",
    "referrals": "select c.number, body, directory_entry_id, r.province_code, r.ward_code,"
    " due_spec, due_at, rule_ids, basis, r.status, sent_at, acknowledged_at, in_progress_at,"
    " done_at, declined_at, revoked_at, reason is null, outcome_note is null,"
    " r.created_at"
    " from referrals r join cases c on c.id = r.case_id",
    "updates": "select c.number, r.body, u.at, from_status, to_status, note is null"
    " from referral_updates u join referrals r on r.id = u.referral_id"
    " join cases c on c.id = r.case_id",
    "counters": "select line, year, last from case_counters",
    # Each database has its own blind-index key: the same callers, the same repeats.
    "repeat_callers": "select count(*) from contacts where caller_phone_index is not null"
    " group by caller_phone_index",
    "audit": "select actor, action, entity, at_us from audit_events where seq > :after",
}


def _build(tmp: Path, bulk: bool, workers: int = 2) -> tuple[Services, Any, int]:
    clock = FrozenClock(START)
    svc = Services(Settings(db_url=f"sqlite:///{tmp / 'db.sqlite'}", state_dir=tmp, clock=clock))
    admin, operators, supervisor = national_users(svc, OPERATORS)
    with svc.db.read() as s:
        after = s.execute(text("select max(seq) from audit_events")).scalar_one()
    plan = national_contacts(random.Random(SEED), CONTACTS, START, END, OPERATORS)
    if bulk:
        BulkBuilder(svc, operators, supervisor, workers=workers).write(plan, batch=64)
    else:
        replay(svc, plan, operators, supervisor, lambda at: setattr(clock, "now", at))
    clock.now = END
    return svc, admin, after


def _aggregates(svc: Services, after: int) -> dict[str, list[tuple[Any, ...]]]:
    with svc.db.read() as s:
        return {
            name: sorted((tuple(r) for r in s.execute(text(q), {"after": after})), key=repr)
            for name, q in AGGREGATES.items()
        }


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.access.setup import SetupService
    from tests.conftest import CHEAP_KDF_ARGS

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SetupService, "default_kdf", KdfCost(*CHEAP_KDF_ARGS))
        built = [_build(tmp_path_factory.mktemp(kind), kind == "bulk") for kind in ("svc", "bulk")]
    yield built
    for svc, _, _ in built:
        svc.close()


def test_bulk_equals_services_in_every_aggregate(both) -> None:  # type: ignore[no-untyped-def]
    (svc, _, after), (bulk, _, bulk_after) = both
    expected, found = _aggregates(svc, after), _aggregates(bulk, bulk_after)
    assert {k: len(v) for k, v in found.items()} == {k: len(v) for k, v in expected.items()}
    for name in AGGREGATES:
        assert found[name] == expected[name], name
    # The plan's mix is there: a case per report, referrals in every state, notes, closures.
    # Realistic data (issue 23): a referral is sent within hours, so "pending" is rare at the
    # end of a small plan; every other state is there, cut mid-path where the plan ends.
    statuses = {r[9] for r in found["referrals"]}
    assert statuses - {"pending"} == {
        "sent",
        "acknowledged",
        "in_progress",
        "done",
        "declined",
        "revoked",
    }
    assert {r[2] for r in found["cases"]} >= {"referred", "in_support", "closed"}
    assert found["notes"] and found["updates"]
    # Issue 23: calls back linked to their case; several children to some cases.
    assert any(r[0] == "follow_up" and not r[11] for r in found["contacts"])
    assert any(r[1] == 1 for r in found["children"])


def test_bulk_chain_verifies_and_every_field_decrypts(both) -> None:  # type: ignore[no-untyped-def]
    _, (bulk, admin, _) = both
    result = bulk.audit.verify(admin)
    # Issue 20: every row the builder wrote is bound by an event, to the digest read back.
    assert result.ok and result.records > 100 and result.record_count == 0, result
    with bulk.db.read() as s:
        case_id = s.execute(
            text("select id from cases where status = 'closed' limit 1")
        ).scalar_one()
    operator = bulk.auth.login("tv001", "national-demo-2026")
    detail = bulk.cases.detail(operator, case_id)
    assert detail.narrative and detail.referrals and detail.children
    assert bulk.audit.verify(admin).ok  # the view appended after the bulk events chains on


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _details(svc: Services, admin: Any, after: int, upto: int) -> list[tuple[Any, ...]]:
    """Each event's action, whether its details are under a case's key, and its details with
    the row ids (random in each build) blanked; the plan's events only (``upto`` of them: the
    other tests append views and verifications)."""
    from caseintake.crypto.scoped_details import GENERAL_SCOPE, scope_of
    from caseintake.services.audit.details import open_details

    out = []
    with svc.db.read() as s:
        rows = s.execute(
            text("select seq, action, details from audit_events where seq > :a and seq <= :b"),
            {"a": after, "b": after + upto},
        )
        for seq, action, blob in rows:
            opened = open_details(s, admin.keys, seq, bytes(blob))
            assert opened is not None
            out.append((action, scope_of(bytes(blob)) != GENERAL_SCOPE, _UUID.sub("#", opened)))
    return sorted(out)


def test_bulk_details_open_to_what_the_services_wrote(both) -> None:  # type: ignore[no-untyped-def]
    """Every event's details decrypt, under a case's own key exactly where the services used
    one, to the same JSON (ids aside)."""
    (svc, admin, after), (bulk, bulk_admin, bulk_after) = both
    upto = len(_aggregates(svc, after)["audit"])
    expected = _details(svc, admin, after, upto)
    found = _details(bulk, bulk_admin, bulk_after, upto)
    assert len(found) == len(expected) > 0
    assert found == expected
    assert any(under_case for _, under_case, _ in found)
    assert any(not under_case for _, under_case, _ in found)


def test_tampered_bulk_event_is_found(both) -> None:  # type: ignore[no-untyped-def]
    """Bad input: a bulk-written event altered afterwards fails verification at that event."""
    _, (bulk, admin, after) = both
    with bulk.db.write() as s:
        s.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
        s.execute(
            text("UPDATE audit_events SET actor = 'someone' WHERE seq = :seq"), {"seq": after + 5}
        )
    result = bulk.audit.verify(admin)
    assert not result.ok and result.first_bad_seq == after + 5


def test_in_process_build_equals_the_services_too(both, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """Without workers (as the PostgreSQL bench builds) the same database comes out."""
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.access.setup import SetupService
    from tests.conftest import CHEAP_KDF_ARGS

    (svc, _, svc_after), _ = both
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SetupService, "default_kdf", KdfCost(*CHEAP_KDF_ARGS))
        alone, admin, after = _build(tmp_path_factory.mktemp("alone"), True, workers=0)
    try:
        assert _aggregates(alone, after) == _aggregates(svc, svc_after)
        assert alone.audit.verify(admin).ok
    finally:
        alone.close()


def test_a_write_from_elsewhere_during_a_bulk_build_is_refused(both) -> None:  # type: ignore[no-untyped-def]
    """Bad input: another writer extended the trail after the builder read its end; the
    builder's next transaction refuses rather than fork the chain."""
    from caseintake.services.bulk.chain import BulkChain

    _, (bulk, admin, _) = both
    chain = BulkChain(admin.keys, {admin.name: admin.keys})
    with bulk.db.read() as s:
        chain.open(s)
        end = s.execute(text("select max(seq) from audit_events")).scalar_one()
    bulk.audit.verify(admin)  # appends its own event: the trail grew
    with bulk.db.write() as s:
        assert s.execute(text("select max(seq) from audit_events")).scalar_one() > end
        with pytest.raises(RuntimeError):
            chain.check(s, end + 1)
