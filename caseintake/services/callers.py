"""Repeat callers: earlier contacts and cases found by the phone's blind index, never plaintext."""

from __future__ import annotations

from sqlalchemy import func, select

from caseintake.crypto.blind_index import blind_index
from caseintake.domain.phones import normalise_phone
from caseintake.services.audit_log import AuditLog
from caseintake.services.case_queries import case_summaries, contact_summaries
from caseintake.services.principal import Principal
from caseintake.services.views import CallerHistory
from caseintake.store.db import Database
from caseintake.store.models import Contact

HISTORY_LIMIT = 20


def phone_index(key: bytes, phone: str | None) -> str | None:
    e164 = normalise_phone(phone) if phone else None
    return blind_index(key, e164) if e164 else None


class CallerService:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def history(self, principal: Principal, phone: str) -> CallerHistory:
        principal.require("operator", "supervisor")
        e164 = normalise_phone(phone)
        if e164 is None:
            return CallerHistory(None, [], [])
        index = blind_index(principal.keys.blind_key, e164)
        # Read first, outside the write lock; then the lookup's audit event in a short write.
        # Nothing is returned unless that event has committed.
        with self._db.read() as s:
            rows = (
                s.execute(
                    select(Contact.id)
                    .where(Contact.caller_phone_index == index)
                    .order_by(Contact.received_at.desc())
                    .limit(HISTORY_LIMIT)
                )
                .scalars()
                .all()
            )
            contacts = contact_summaries(s, list(rows))
            case_ids = list(
                dict.fromkeys(
                    c
                    for c in s.execute(
                        select(Contact.case_id)
                        .where(Contact.caller_phone_index == index, Contact.case_id.is_not(None))
                        .order_by(Contact.received_at.desc())
                    ).scalars()
                )
            )
            cases = case_summaries(s, case_ids[:HISTORY_LIMIT])
            silent = s.execute(
                select(func.count()).where(
                    Contact.caller_phone_index == index, Contact.contact_type == "silent"
                )
            ).scalar_one()
        with self._db.write() as s:
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "caller_looked_up",
                "phone",
                index[:16],
                {"found": len(contacts)},
            )
        return CallerHistory(e164, contacts, cases, silent)
