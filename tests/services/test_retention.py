"""Retention and erasure: a closed case's encrypted content destroyed for good (no ciphertext
left in the file, its free pages or the WAL) while the audit trail keeps verifying; exactly what
is kept is tested too (coded fields, the case number, audit events and their details)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.audit.details import open_details
from caseintake.services.supervisor_desk import SupervisorDesk
from caseintake.store.models import AuditEvent
from tests.services.supervisor_fixtures import actions, referrals, save_report, scalar

BLOBS = (
    ("cases", "narrative", "id = :case"),
    ("children", "name", "case_id = :case"),
    ("children", "address", "case_id = :case"),
    ("perpetrators", "name", "case_id = :case"),
    ("case_notes", "body", "case_id = :case"),
    ("contacts", "caller_phone", "case_id = :case"),
    ("contacts", "narrative", "case_id = :case"),
    ("referrals", "reason", "case_id = :case"),
    ("referrals", "outcome_note", "case_id = :case"),
    (
        "referral_updates",
        "contacted",
        "referral_id IN (SELECT id FROM referrals WHERE case_id = :case)",
    ),
    ("referral_updates", "note", "referral_id IN (SELECT id FROM referrals WHERE case_id = :case)"),
    ("escalations", "reason", "referral_id IN (SELECT id FROM referrals WHERE case_id = :case)"),
    ("contacts", "caller_name", "case_id = :case"),
    ("contacts", "notes", "case_id = :case"),
)


def closed_case(services: Any, operator: Any, supervisor: Any) -> Any:
    case = save_report(services, operator, narrative="Bé Hoa bị đánh, lời kể số 7731.")
    refs = referrals(services, case.case_id)
    rec = services.referrals.record
    first = refs.pop("commune_committee")
    for state in ("sent", "acknowledged", "in_progress"):
        rec(operator, first.id, FollowUp(state, via="phone", contacted="Chị Mai, cán bộ xã"))
    rec(operator, first.id, FollowUp("done", outcome="Trẻ an toàn ở nhà bà ngoại"))
    for ref in refs.values():
        rec(supervisor, ref.id, FollowUp("revoked", reason="Lý do thu hồi riêng tư 5521"))
    SupervisorDesk(services).review.close(supervisor, case.case_id, "Đóng: an toàn, ổn định")
    return case


def ciphertexts(services: Any, case_id: str) -> list[bytes]:
    found = []
    with services.db.read() as s:
        for table, column, where in BLOBS:
            for (blob,) in s.execute(
                text(f"SELECT {column} FROM {table} WHERE {where}"), {"case": case_id}
            ):
                if blob is not None:
                    found.append(bytes(blob))
    return found


def file_bytes(db_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db_path, Path(f"{db_path}-wal")) if p.exists())


def number_of(services: Any, case_id: str) -> str:
    return str(scalar(services, "SELECT number FROM cases WHERE id = :id", id=case_id))


def test_erase_destroys_every_ciphertext_and_keeps_the_trail(
    services: Any, admin: Any, operator: Any, supervisor: Any, db_path: Path
) -> None:
    case = closed_case(services, operator, supervisor)
    before = ciphertexts(services, case.case_id)
    assert len(before) >= 8
    assert all(blob[3:30] in file_bytes(db_path) for blob in before)  # there before the erase
    events_before = scalar(
        services, "SELECT count(*) FROM audit_events WHERE entity_id = :id", id=case.case_id
    )
    number = number_of(services, case.case_id)
    erased = services.retention.erase(admin, number)
    assert erased.fields == len(before) and erased.compacted
    assert ciphertexts(services, case.case_id) == []
    content = file_bytes(db_path)
    assert not [b for b in before if b[3:30] in content]  # nowhere: pages, free pages, WAL
    assert (
        scalar(services, "SELECT count(*) FROM case_notes WHERE case_id = :id", id=case.case_id)
        == 0
    )
    assert scalar(services, "SELECT caller_phone_index FROM contacts WHERE case_id = :id",
                  id=case.case_id) is None  # fmt: skip
    # Kept: the number, coded fields, the children's ages, every audit event (one more).
    assert scalar(services, "SELECT status FROM cases WHERE id = :id", id=case.case_id) == "closed"
    assert scalar(services, "SELECT count(*) FROM children WHERE case_id = :id AND age IS NOT NULL",
                  id=case.case_id) == 1  # fmt: skip
    assert scalar(services, "SELECT count(*) FROM audit_events WHERE entity_id = :id",
                  id=case.case_id) == events_before + 1  # fmt: skip
    # The erasure is signed at once (issue 20 item 4).
    assert actions(services)[-2:] == ["case_erased", "checkpoint_written"]
    assert services.audit.verify(admin).ok
    # The case's audit-details key is gone: its events' details (the revocation reason
    # included) no longer open for anyone, the erasure's own event still does.
    with services.db.read() as s:
        details = [
            open_details(s, admin.keys, seq, blob)
            for seq, blob in s.execute(select(AuditEvent.seq, AuditEvent.details))
        ]
    assert not any("Lý do thu hồi riêng tư 5521" in (d or "") for d in details)
    assert None in details and any('"details_key_destroyed": true' in (d or "") for d in details)
    # Reading the erased case is an empty record, not a crash.
    detail = services.cases.detail(supervisor, case.case_id)
    assert not detail.notes


def test_erase_refusals(services: Any, admin: Any, operator: Any, supervisor: Any) -> None:
    open_case = save_report(services, operator)
    for who, number, key in (
        (admin, number_of(services, open_case.case_id), "admin.retention.not_closed"),
        (admin, "111-2026-999999", "admin.retention.no_case"),
        (supervisor, number_of(services, open_case.case_id), "auth.forbidden"),
    ):
        with pytest.raises(DomainError) as err:
            services.retention.erase(who, number)
        assert err.value.key == key
    assert ciphertexts(services, open_case.case_id)
    case = closed_case(services, operator, supervisor)
    services.retention.erase(admin, number_of(services, case.case_id))
    with pytest.raises(DomainError) as err:
        services.retention.erase(admin, number_of(services, case.case_id))
    assert err.value.key == "admin.retention.already_erased"


def test_retention_period_none_by_default_set_by_admin_and_swept(
    services: Any, admin: Any, operator: Any, supervisor: Any, clock: Any
) -> None:
    r = services.retention
    assert r.period() is None and r.due(admin) == [] and r.sweep(admin) == []
    for bad in (0, -1, 36_501):
        with pytest.raises(DomainError) as err:
            r.set_period(admin, bad)
        assert err.value.key == "admin.retention.bad_days"
    with pytest.raises(DomainError):
        r.set_period(operator, 30)
    case = closed_case(services, operator, supervisor)
    r.set_period(admin, 30)
    assert r.period() == 30 and actions(services)[-1] == "retention_set"
    assert r.due(admin) == []  # closed today: within the period
    clock.advance(days=31)
    number = number_of(services, case.case_id)
    assert r.due(admin) == [number]
    done = r.sweep(admin)
    assert [e.number for e in done] == [number] and ciphertexts(services, case.case_id) == []
    assert r.due(admin) == []
    r.set_period(admin, None)
    assert r.period() is None
    assert services.audit.verify(admin).ok
    _ = timedelta


# --- issue 20 item 6: erasure under a reader ---------------------------------------------------


def test_erasure_under_a_reader_is_pending_until_the_file_is_clean(
    services: Any, admin: Any, operator: Any, supervisor: Any, db_path: Path
) -> None:
    import sqlite3

    case = closed_case(services, operator, supervisor)
    before = ciphertexts(services, case.case_id)
    number = number_of(services, case.case_id)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # holds its snapshot in the WAL
    try:
        erased = services.retention.erase(admin, number)
        assert erased.pending and not erased.compacted  # never "done" while it is not
        assert [b for b in before if b[3:30] in file_bytes(db_path)]  # still in the file
        assert services.retention.pending(admin) == [number]
        again = services.retention.erase(admin, number)  # still held: still pending
        assert again.pending
    finally:
        reader.execute("COMMIT")
        reader.close()
    finished = services.retention.erase(admin, number)  # again, once the reader is gone
    assert finished.compacted and not finished.pending
    assert not [b for b in before if b[3:30] in file_bytes(db_path)]
    assert services.retention.pending(admin) == []
    with pytest.raises(DomainError) as err:
        services.retention.erase(admin, number)
    assert err.value.key == "admin.retention.already_erased"


def test_a_pending_erasure_completes_at_the_next_checkpoint(
    services: Any, admin: Any, operator: Any, supervisor: Any, db_path: Path
) -> None:
    import sqlite3

    case = closed_case(services, operator, supervisor)
    before = ciphertexts(services, case.case_id)
    number = number_of(services, case.case_id)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()
    assert services.retention.erase(admin, number).pending
    reader.execute("COMMIT")
    reader.close()
    services.audit.write_checkpoint(operator)  # any session's checkpoint finishes it
    assert services.retention.pending(admin) == []
    assert not [b for b in before if b[3:30] in file_bytes(db_path)]
