"""Reading the audit trail page by page (issue 8, items 6 and 8): filters by actor, action,
case and time range; an event's details are decrypted only on request, and that reading is
itself an audit event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from caseintake.crypto.audit_chain import from_micros, to_micros
from caseintake.crypto.user_certs import RECOVERY_SIGNER
from caseintake.domain.errors import DomainError
from caseintake.i18n import t
from caseintake.services.audit.details import open_details
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.signatures import RECOVERY_ACTOR
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import AuditEvent, Case, Referral, User

AUDIT_ROLES = ("supervisor", "admin")
PAGE_SIZE = 50
# Past any trail's length, and below what SQLite and PostgreSQL take as an OFFSET (issue 20).
MAX_PAGE = 10**12


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    case_number: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    # The name of the user whose key signed it ("recovery-key" for the recovery key; empty
    # before event signatures): verify holds the actor to it (issue 20 item 3).
    signer: str = ""


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    page: int
    has_more: bool


class AuditQueryService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def page(
        self,
        principal: Principal,
        where: AuditFilter = AuditFilter(),
        page: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> AuditPage:
        """Newest first; ``page_size + 1`` rows read to know whether another page exists."""
        principal.require(*AUDIT_ROLES)
        if not 0 <= page <= MAX_PAGE:
            raise DomainError("access_checks.page_out_of_range", max=MAX_PAGE + 1)
        stmt = select(
            AuditEvent.seq,
            AuditEvent.at_us,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.entity_id,
            AuditEvent.signer,
        )
        if where.actor:
            stmt = stmt.where(AuditEvent.actor == where.actor)
        if where.action:
            stmt = stmt.where(AuditEvent.action == where.action)
        if where.since is not None:
            stmt = stmt.where(AuditEvent.at_us >= to_micros(where.since))
        if where.until is not None:
            stmt = stmt.where(AuditEvent.at_us < to_micros(where.until))
        with self._db.read() as s:
            if where.case_number:
                case_id = s.execute(
                    select(Case.id).where(Case.number == where.case_number.strip())
                ).scalar()
                if case_id is None:
                    raise DomainError("supervisor.case.not_found", number=where.case_number)
                refs = select(Referral.id).where(Referral.case_id == case_id)
                stmt = stmt.where(
                    or_(
                        and_(AuditEvent.entity == "case", AuditEvent.entity_id == case_id),
                        and_(AuditEvent.entity == "referral", AuditEvent.entity_id.in_(refs)),
                    )
                )
            stmt = stmt.order_by(AuditEvent.seq.desc()).limit(page_size + 1)
            rows = s.execute(stmt.offset(page * page_size)).all()
            names = signer_names(s)
        items = [
            AuditRow(r[0], from_micros(r[1]), r[2], r[3], r[4], r[5], names.get(r[6], r[6] or ""))
            for r in rows
        ]
        return AuditPage(items[:page_size], page, len(items) > page_size)

    def db_id(self) -> str:
        with self._db.read() as s:
            return self._audit.db_id(s)

    def details(self, principal: Principal, seq: int) -> dict[str, Any]:
        """One event's details, decrypted; the reading is audited in the same transaction."""
        principal.require(*AUDIT_ROLES)
        with self._db.write() as s:
            blob = s.execute(select(AuditEvent.details).where(AuditEvent.seq == seq)).scalar()
            if blob is None:
                raise DomainError("supervisor.audit.no_event", seq=seq)
            text = open_details(s, principal.keys, seq, blob)
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "audit_details_viewed",
                "audit",
                str(seq),
            )
        if text is None:  # its case was erased: the key of its details is gone (issue 10)
            return {"erased": t("keys.details_erased")}
        loaded = json.loads(text)
        return loaded if isinstance(loaded, dict) else {"value": loaded}


def signer_names(s: Session) -> dict[str | None, str]:
    """Signer id to user name (the users table is small); the recovery key by its actor name."""
    names: dict[str | None, str] = {i: n for i, n in s.execute(select(User.id, User.name))}
    names[RECOVERY_SIGNER] = RECOVERY_ACTOR
    return names
