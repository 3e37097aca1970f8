"""Retention and erasure of closed cases (issue 10, the admin's desk).

What erasing a case destroys, for good: every encrypted field of the case and of what hangs on
it (the case's narrative; its children's names and addresses; its perpetrators' names; its
notes, deleted; its contacts' caller name, phone, phone blind index, words and notes; its
referrals' reasons and outcome notes, their follow-up steps' "whom" and notes, their
escalations' reasons; its hand-offs' bodies and their receipts' words). It runs with
``PRAGMA secure_delete`` so freed space is zeroed, then ``VACUUM`` rebuilds the file without
free pages (older copies of edited fields included) and a ``wal_checkpoint(TRUNCATE)`` empties
the WAL.

It also deletes the case's audit-details key (``case_keys``, services/audit/details.py): the
details of every event about the case, its referrals and its contacts (coded facts, any
free-text reason an event carried) can no longer be read by anyone, while the events stay and
the trail keeps verifying (the chain covers the ciphertext, not the key). The erasure's own
event is written under the general key, so who erased which number stays readable.

What it does not destroy: coded fields (status, concerns, ages, sexes, places, dates) that the
statistics count; the case number; the audit events themselves (who did what, when, to which
case id). Details written before per-case keys existed (migration 0008) are under the data key
and stay readable to its holders. Backups taken before the erasure still hold everything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.services.audit.details import destroy_case_key
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trail import AuditTrailService
from caseintake.services.cases.child_pins import erase_pins
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.compaction import (
    CompactionError,
    compact,
    finish_pending,
    pending_erasures,
)
from caseintake.store.db import Database, sqlite_file
from caseintake.store.models import (
    Case,
    CaseErasure,
    CaseNote,
    Child,
    ChildPin,
    Contact,
    EscalationRow,
    HandoffReceiptRow,
    HandoffRow,
    Perpetrator,
    Referral,
    ReferralUpdate,
    RetentionPolicy,
)
from caseintake.store.records import touch

MAX_DAYS = 36_500  # a hundred years: anything longer is "keep for ever" (no period)


@dataclass(frozen=True)
class Erased:
    number: str
    fields: int  # encrypted values destroyed
    compacted: bool  # VACUUM and a complete WAL checkpoint ran (SQLite only)
    # The old pages may still be in the file (a reader held them): not done until completed
    # by the next checkpoint or start, or by ``case erase`` again (issue 20 item 6).
    pending: bool = False


class RetentionService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def period(self) -> int | None:
        """Days after closure a case's content is kept; None (the default) keeps it for ever."""
        with self._db.read() as s:
            return s.execute(select(RetentionPolicy.days_after_closure)).scalar_one_or_none()

    def set_period(self, admin: Principal, days: int | None) -> None:
        admin.require("admin")
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise DomainError("admin.retention.bad_days", max=MAX_DAYS)
        now = self._settings.clock()
        with self._db.write() as s:
            row = s.get(RetentionPolicy, 1)
            before = row.days_after_closure if row else None
            if row is None:
                row = RetentionPolicy(id=1)
                s.add(row)
            row.days_after_closure, row.updated_at, row.updated_by = days, now, admin.name
            self._audit.append(
                s, admin.keys, admin.name, "retention_set", "retention", "-",
                {"from_days": before, "to_days": days},
            )  # fmt: skip

    def due(self, admin: Principal) -> list[str]:
        """Numbers of closed cases past the period whose content is not yet erased."""
        admin.require("admin")
        days = self.period()
        if days is None:
            return []
        cutoff = self._settings.clock() - timedelta(days=days)
        erased = select(CaseErasure.case_id)
        stmt = (
            select(Case.number)
            .where(Case.status == "closed", Case.closed_at < cutoff, Case.id.not_in(erased))
            .order_by(Case.closed_at)
        )
        with self._db.read() as s:
            return list(s.execute(stmt).scalars())

    def pending(self, admin: Principal) -> list[str]:
        """Numbers of erased cases whose old pages may still be in the file."""
        admin.require("admin")
        ids = pending_erasures(self._db)
        with self._db.read() as s:
            rows = s.execute(select(Case.number).where(Case.id.in_(ids)).order_by(Case.number))
            return list(rows.scalars())

    def erase(self, admin: Principal, number: str, compact: bool = True) -> Erased:
        """Destroy a closed case's content (see the module's docstring for exactly what).
        Again on a case whose erasure is pending: complete it, if the file now allows."""
        admin.require("admin")
        with self._db.read() as s:
            done = s.execute(
                select(CaseErasure)
                .join(Case, Case.id == CaseErasure.case_id)
                .where(Case.number == number)
            ).scalar_one_or_none()
            if done is not None and done.completed_at is None:
                fields = done.fields
        if done is not None and done.completed_at is None:
            return self._finish(number, fields)
        with self._db.write() as s:
            if self._db.is_sqlite:
                s.connection().exec_driver_sql("PRAGMA secure_delete = ON")
            case = s.execute(select(Case).where(Case.number == number)).scalar_one_or_none()
            if case is None:
                raise DomainError("admin.retention.no_case", number=number)
            if case.status != "closed":
                raise DomainError("admin.retention.not_closed", number=number)
            if s.get(CaseErasure, case.id) is not None:
                raise DomainError("admin.retention.already_erased", number=number)
            fields = _destroy(s, case.id)
            details_key = destroy_case_key(s, case.id)
            s.add(
                CaseErasure(
                    case_id=case.id,
                    erased_at=self._settings.clock(),
                    erased_by=admin.name,
                    fields=fields,
                    completed_at=None,  # done once the file holds none of it (0014)
                )
            )
            self._audit.append(
                s, admin.keys, admin.name, "case_erased", "case", case.id,
                {"number": number, "fields": fields, "details_key_destroyed": details_key},
            )  # fmt: skip
        if not compact:  # a sweep: one checkpoint and one compaction at its end
            return Erased(number, fields, False, pending=self._db.is_sqlite)
        self._sign(admin)
        return self._finish(number, fields)

    def _sign(self, admin: Principal) -> None:
        """An erasure is signed at once (issue 20 item 4): the checkpoint holds the event
        that says what was destroyed, so no one can later rewrite it unseen."""
        AuditTrailService(self._db, self._settings, self._audit).write_checkpoint(admin)

    def _finish(self, number: str, fields: int) -> Erased:
        done = finish_pending(self._db, self._settings.clock())
        sqlite = self._db.is_sqlite
        return Erased(number, fields, sqlite and done, pending=sqlite and not done)

    def sweep(self, admin: Principal) -> list[Erased]:
        """Erase every case past the retention period, then compact the file once."""
        admin.require("admin")
        done = [self.erase(admin, number, compact=False) for number in self.due(admin)]
        if done:
            self._sign(admin)
            finished = [self._finish(e.number, e.fields) for e in done[-1:]]
            done = [replace(e, compacted=finished[0].compacted, pending=finished[0].pending)
                    for e in done]  # fmt: skip
        return done

    def compact(self) -> bool:
        """VACUUM with secure_delete, then empty the WAL; False when readers kept WAL frames
        or on PostgreSQL (store/compaction.py)."""
        path = sqlite_file(self._db.url)
        if path is None:
            return False
        try:
            return compact(path)
        except CompactionError as err:
            raise DomainError("admin.retention.compact_failed", detail=str(err)) from None


def _destroy(s: Session, case_id: str) -> int:
    """Null (or delete) every encrypted value of the case; returns how many were there."""
    referral_ids = select(Referral.id).where(Referral.case_id == case_id)
    handoff_ids = select(HandoffRow.id).where(HandoffRow.case_id == case_id)
    targets = [
        (Case, Case.id == case_id, ("narrative",)),
        (Child, Child.case_id == case_id, ("name", "address")),
        (Perpetrator, Perpetrator.case_id == case_id, ("name",)),
        (
            Contact,
            Contact.case_id == case_id,
            ("caller_name", "caller_phone", "narrative", "notes"),
        ),
        (Referral, Referral.case_id == case_id, ("reason", "outcome_note")),
        (ReferralUpdate, ReferralUpdate.referral_id.in_(referral_ids), ("contacted", "note")),
        (EscalationRow, EscalationRow.referral_id.in_(referral_ids), ("reason",)),
        # Hand-offs of the case (issue 24): the body as sent or opened, the receipts' words.
        (HandoffRow, HandoffRow.case_id == case_id, ("payload",)),
        (HandoffReceiptRow, HandoffReceiptRow.handoff_id.in_(handoff_ids), ("words",)),
    ]
    count = 0
    for model, where, columns in targets:
        for column in columns:
            col = getattr(model, column)
            count += len(s.execute(select(col).where(where, col.is_not(None))).all())
        values: dict[str, object] = dict.fromkeys(columns)
        if model is Contact:
            values["caller_phone_index"] = None  # a phone's HMAC links later calls to it
        _bound(s, model, where)
        s.execute(update(model).where(where).values(**values))
    kids = select(Child.id).where(Child.case_id == case_id)
    pinned = [
        str(i)
        for i in s.execute(select(ChildPin.child_id).where(ChildPin.child_id.in_(kids))).scalars()
    ]
    touch(s.connection(), "child_pins", pinned)  # deleted, with their blind indexes
    count += erase_pins(s, pinned)
    _bound(s, CaseNote, CaseNote.case_id == case_id)  # deleted: the erasure event says so
    notes = s.execute(delete(CaseNote).where(CaseNote.case_id == case_id))
    return count + int(notes.rowcount or 0)  # type: ignore[attr-defined]


def _bound(s: Session, model: Any, where: Any) -> None:
    """The rows about to change are bound to the erasure's event as they are left (issue 20)."""
    table = model.__table__
    ids = s.execute(select(table.c.id).where(where)).scalars()
    touch(s.connection(), table.name, [str(i) for i in ids])
