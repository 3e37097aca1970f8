"""Referral follow-up: each status change checked by the state machine and audited."""

from __future__ import annotations

from caseintake.domain import states
from caseintake.domain.errors import DomainError
from caseintake.services.audit_log import AuditLog
from caseintake.services.principal import Principal
from caseintake.services.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import Case, Referral

_STAMP = {
    "sent": "sent_at",
    "acknowledged": "acknowledged_at",
    "in_progress": "in_progress_at",
    "done": "done_at",
    "declined": "declined_at",
    "revoked": "revoked_at",
}


class ReferralService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def transition(
        self, principal: Principal, referral_id: str, to_state: str, reason: str | None = None
    ) -> None:
        principal.require("operator", "supervisor")
        now = self._settings.clock()
        with self._db.write() as s:
            ref = s.get(Referral, referral_id)
            if ref is None:
                raise DomainError("referrals.not_found", referral=referral_id)
            states.transition("referral", ref.status, to_state, principal.role, reason)
            before, ref.status = ref.status, to_state
            setattr(ref, _STAMP[to_state], now)
            if reason:
                ref.reason = principal.keys.cipher.encrypt("referrals", "reason", ref.id, reason)
            case = s.get(Case, ref.case_id)
            if case is not None:
                case.updated_at = now
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                f"referral_{to_state}",
                "referral",
                ref.id,
                {"from": before, "to": to_state, "case": ref.case_id},
            )
