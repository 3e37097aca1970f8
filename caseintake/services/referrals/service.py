"""Referral follow-up: each step a body reports, checked by the state machine, kept as a
``ReferralUpdate`` (how, whom, note; encrypted) and audited with who, when and "contacted whom,
how" in the same transaction (issue 8, item 2). Revoking and re-referring need a supervisor.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals import states
from caseintake.domain.referrals.deadlines import WorkingCalendar, due_at
from caseintake.domain.referrals.follow_up import FollowUp, check_follow_up
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.referrals.writer import NewReferral, add_referral
from caseintake.store.db import Database
from caseintake.store.models import Case, DirectoryEntryRow, Referral, ReferralUpdate, User

FOLLOW_UP_ROLES = ("operator", "supervisor")
STAMP_COLUMNS = {
    "sent": "sent_at",
    "acknowledged": "acknowledged_at",
    "in_progress": "in_progress_at",
    "done": "done_at",
    "declined": "declined_at",
    "revoked": "revoked_at",
}


@dataclass(frozen=True)
class StepView:
    """One recorded step, decrypted for a reader who may see case content."""

    at: datetime
    actor: str
    from_status: str
    to_status: str
    via: str | None
    contacted: str | None
    note: str | None


class ReferralService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar()

    def transition(
        self, principal: Principal, referral_id: str, to_state: str, reason: str | None = None
    ) -> None:
        """A bare move; ``reason`` is the note (the outcome of ``done``, the reason to decline)."""
        self.record(principal, referral_id, FollowUp(to_state, note=reason))

    def record(self, principal: Principal, referral_id: str, step: FollowUp) -> str:
        """Record one step; returns the update's id. Refused moves change nothing."""
        principal.require(*FOLLOW_UP_ROLES)
        now = self._settings.clock()
        with self._db.write() as s:
            ref = _referral(s, referral_id)
            update_id = self._apply(s, principal, ref, step, now)
        return update_id

    def apply_in(
        self, s: Session, principal: Principal, referral_id: str, step: FollowUp, now: datetime
    ) -> str:
        """One step inside the caller's transaction (a hand-off's package or receipt moves its
        referral with the hand-off's own rows and event)."""
        return self._apply(s, principal, _referral(s, referral_id), step, now)

    def _apply(
        self, s: Session, principal: Principal, ref: Referral, step: FollowUp, now: datetime
    ) -> str:
        step = check_follow_up(step, ref.status, principal.role)
        enc = principal.keys.cipher
        before, ref.status = ref.status, step.status
        setattr(ref, STAMP_COLUMNS[step.status], now)
        if step.reason is not None:
            ref.reason = enc.encrypt("referrals", "reason", ref.id, step.reason)
        if step.outcome is not None and step.status == "done":
            ref.outcome_note = enc.encrypt("referrals", "outcome_note", ref.id, step.outcome)
        update_id = str(uuid.uuid4())
        s.add(
            ReferralUpdate(
                id=update_id,
                referral_id=ref.id,
                at=now,
                actor_id=principal.user_id,
                from_status=before,
                to_status=step.status,
                via=step.via,
                contacted=enc.encrypt_opt(
                    "referral_updates", "contacted", update_id, step.contacted
                ),
                note=enc.encrypt_opt("referral_updates", "note", update_id, step.note),
            )
        )
        details: dict[str, object] = {"from": before, "to": step.status, "case": ref.case_id}
        details.update(
            {k: v for k, v in (("via", step.via), ("contacted", step.contacted)) if v is not None}
        )
        if step.reason is not None:
            details["reason"] = step.reason
        case = s.get(Case, ref.case_id)
        if case is not None:  # before the event, which binds what it wrote (issue 20)
            case.updated_at = now
        self._audit.append(
            s,
            principal.keys,
            principal.name,
            f"referral_{step.status}",
            "referral",
            ref.id,
            details,
        )
        if case is not None and step.status == "sent" and case.status == "assessed":
            self._case_referred(s, principal, case, now)
        return update_id

    def _case_referred(self, s: Session, principal: Principal, case: Case, now: datetime) -> None:
        """A case is referred once a referral has actually gone out (issue 7, item 7)."""
        states.transition("case", case.status, "referred", principal.role)
        before, case.status = case.status, "referred"
        self._audit.append(
            s,
            principal.keys,
            principal.name,
            "case_status_changed",
            "case",
            case.id,
            {"from": before, "to": "referred"},
        )

    def rerefer(self, principal: Principal, referral_id: str, entry_id: str, reason: str) -> str:
        """Revoke the referral and refer the case to another directory entry; the new referral
        keeps the deadline kind and legal basis, counted from now. Returns its id."""
        principal.require("supervisor")
        now = self._settings.clock()
        with self._db.write() as s:
            ref = _referral(s, referral_id)
            entry = s.get(DirectoryEntryRow, entry_id)
            if entry is None or not entry.active:
                raise DomainError("supervisor.rerefer.no_entry", entry=entry_id)
            if entry.id == ref.directory_entry_id:
                raise DomainError("supervisor.rerefer.same_entry", entry=entry_id)
            self._apply(s, principal, ref, FollowUp("revoked", reason=reason), now)
            new = NewReferral(
                case_id=ref.case_id,
                body=entry.body,
                entry_id=entry.id,
                province_code=entry.province_code or ref.province_code,
                ward_code=entry.ward_code,
                due_spec=ref.due_spec,
                due_at=due_at(now, ref.due_spec, self.calendar),
                rule_ids=tuple(r for r in ref.rule_ids.split(",") if r),
                basis=tuple(ref.basis.splitlines()),
            )
            new_id = add_referral(s, new, now)
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "referral_rereferred",
                "referral",
                new_id,
                {"from_referral": ref.id, "entry": entry.id, "case": ref.case_id},
            )
        return new_id

    def steps(self, principal: Principal, referral_id: str) -> list[StepView]:
        """The follow-up of one referral, oldest first (case content: operators, supervisors)."""
        principal.require(*FOLLOW_UP_ROLES)
        enc = principal.keys.cipher
        with self._db.read() as s:
            _referral(s, referral_id)
            rows = s.execute(
                select(ReferralUpdate, User.name)
                .join(User, User.id == ReferralUpdate.actor_id)
                .where(ReferralUpdate.referral_id == referral_id)
            ).all()
            # The referral machine has no way back, so within one instant the step that left
            # the earlier state came first.
            rows = sorted(
                rows, key=lambda r: (r[0].at, states.REFERRAL_STATES.index(r[0].from_status))
            )
            return [
                StepView(
                    u.at,
                    name,
                    u.from_status,
                    u.to_status,
                    u.via,
                    enc.decrypt_opt("referral_updates", "contacted", u.id, u.contacted),
                    enc.decrypt_opt("referral_updates", "note", u.id, u.note),
                )
                for u, name in rows
            ]


def _referral(s: Session, referral_id: str) -> Referral:
    ref = s.get(Referral, referral_id)
    if ref is None:
        raise DomainError("supervisor.referral_not_found", referral=referral_id)
    return ref
