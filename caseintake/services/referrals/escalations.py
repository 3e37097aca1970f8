"""The supervisor's decision on an escalation: confirm (the next body's referral is created,
its deadline counted from now) or dismiss with a reason. Both audited (issue 8, item 3).

An escalation is named by the id of the overdue referral that raises it: there is at most one
per referral, and it exists only while the referral still needs it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.directory import resolve_entry
from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.follow_up import MAX_TEXT
from caseintake.domain.routing.escalation import ProposedEscalation, propose
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.referrals.queue import ReferralQueueService
from caseintake.services.referrals.writer import NewReferral, add_referral
from caseintake.services.routing.decisions import RoutingService
from caseintake.store.db import Database
from caseintake.store.models import Case, EscalationRow, Referral


class EscalationService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        audit: AuditLog,
        queue: ReferralQueueService,
        routing: RoutingService,
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._queue = queue
        self._routing = routing

    def confirm(self, principal: Principal, referral_id: str) -> str:
        """Create the proposed referral; returns its id."""
        principal.require("supervisor")
        now = self._settings.clock()
        entries = self._routing.entries()
        with self._db.write() as s:
            ref, proposal = self._pending(s, referral_id, now)
            entry = resolve_entry(entries, proposal.body, proposal.province_code, None)
            new = NewReferral(
                case_id=ref.case_id,
                body=proposal.body,
                entry_id=entry.id if entry else None,
                province_code=proposal.province_code,
                ward_code=None,
                due_spec=proposal.due_spec,
                due_at=proposal.due_at,
                rule_ids=(proposal.rule_id,),
                basis=proposal.basis,
            )
            new_id = add_referral(s, new, now)
            self._decide(s, principal, ref, proposal, "confirmed", now, new_id=new_id)
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "referral_escalated",
                "referral",
                new_id,
                {"from_referral": ref.id, "case": ref.case_id, "rule": proposal.rule_id},
            )
        return new_id

    def dismiss(self, principal: Principal, referral_id: str, reason: str) -> None:
        principal.require("supervisor")
        why = (reason or "").strip()
        if not why:
            raise DomainError("supervisor.escalation.reason_required")
        if len(why) > MAX_TEXT:
            raise DomainError("supervisor.follow_up.too_long", n=MAX_TEXT)
        now = self._settings.clock()
        with self._db.write() as s:
            ref, proposal = self._pending(s, referral_id, now)
            self._decide(s, principal, ref, proposal, "dismissed", now, reason=why)

    def _pending(
        self, s: Session, referral_id: str, now: datetime
    ) -> tuple[Referral, ProposedEscalation]:
        """The referral and the escalation it raises now, or one sentence why there is none."""
        ref = s.get(Referral, referral_id)
        if ref is None:
            raise DomainError("supervisor.escalation.not_found", id=referral_id)
        decided = s.execute(
            select(EscalationRow.decision).where(EscalationRow.referral_id == referral_id)
        ).scalar_one_or_none()
        if decided is not None:
            raise DomainError("supervisor.escalation.decided", decision=decided)
        case = s.get(Case, ref.case_id)
        proposal = propose(
            self._queue.rules,
            referral_id=ref.id,
            body=ref.body,
            due_spec=ref.due_spec,
            due=ref.due_at,
            status=ref.status,
            province_code=case.province_code if case else None,
            now=now,
            calendar=self._queue.calendar,
        )
        if proposal is None:
            raise DomainError("supervisor.escalation.none", id=referral_id)
        return ref, proposal

    def _decide(
        self,
        s: Session,
        principal: Principal,
        ref: Referral,
        proposal: ProposedEscalation,
        decision: str,
        now: datetime,
        *,
        new_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        row_id = str(uuid.uuid4())
        enc = principal.keys.cipher
        s.add(
            EscalationRow(
                id=row_id,
                referral_id=ref.id,
                rule_id=proposal.rule_id,
                body=proposal.body,
                province_code=proposal.province_code,
                basis="\n".join(proposal.basis),
                decision=decision,
                decided_by=principal.user_id,
                decided_at=now,
                reason=enc.encrypt_opt("escalations", "reason", row_id, reason),
                new_referral_id=new_id,
            )
        )
        details: dict[str, object] = {
            "case": ref.case_id,
            "rule": proposal.rule_id,
            "body": proposal.body,
        }
        if new_id:
            details["new_referral"] = new_id
        if reason:
            details["reason"] = reason
        self._audit.append(
            s, principal.keys, principal.name, f"escalation_{decision}", "referral", ref.id, details
        )
