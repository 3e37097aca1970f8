"""Repeat callers: earlier contacts and cases found by the phone's blind index, never plaintext."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from caseintake.crypto.blind_index import blind_index
from caseintake.domain.intake.phones import normalise_phone
from caseintake.services.audit.log import AuditLog
from caseintake.services.cases.queries import contact_summary_select, summaries, summary_select
from caseintake.services.core.principal import Principal
from caseintake.services.core.views import CallerHistory, ContactSummary
from caseintake.store.db import Database
from caseintake.store.models import Case, Contact

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
        fast, phone_of = self._db.fast, {"phone": index}
        with fast.lookup() as look:
            with look.reads() as r:
                contacts = [
                    ContactSummary(*row) for row in r.rows(fast.prepared(_recent()), phone_of)
                ]
                lateral = not self._db.is_sqlite
                cases = summaries(r.rows(fast.prepared(_cases(lateral)), phone_of), None)
                silent = int(r.rows(fast.prepared(_silent()), phone_of)[0][0])
            found = {"found": len(contacts)}
            event = (principal.name, "caller_looked_up", "phone", index[:16], found, None)
            keys, audit = principal.keys, self._audit
            written = None
            if look.driver is not None:
                written = look.write(lambda driver: audit.append_on_driver(driver, keys, event))
            if written is not None:
                self._db.wrote()  # the WAL checkpoints see this write as a session's
            else:  # not SQLite, or this process's first audited write
                with self._db.write() as s:
                    audit.append_many(s, keys, [event])
        return CallerHistory(e164, contacts, cases, silent)


# Built once with a named parameter, so SQLAlchemy reuses their compiled form (issue 11).


@cache
def _recent() -> Select[Any]:
    """The phone's latest contacts, each with its case's number, newest first."""
    return (
        contact_summary_select()
        .where(Contact.caller_phone_index == bindparam("phone"))
        .order_by(Contact.received_at.desc())
        .limit(HISTORY_LIMIT)
    )


@cache
def _cases(lateral: bool = False) -> Select[Any]:
    """The phone's cases, the one it called about last first, as summaries."""
    latest = (
        select(Contact.case_id, func.max(Contact.received_at).label("last"))
        .where(Contact.caller_phone_index == bindparam("phone"), Contact.case_id.is_not(None))
        .group_by(Contact.case_id)
        .order_by(func.max(Contact.received_at).desc())
        .limit(HISTORY_LIMIT)
        .subquery()
    )
    return (
        summary_select(lateral)
        .join(latest, latest.c.case_id == Case.id)
        .order_by(latest.c.last.desc(), Case.id)
    )


@cache
def _silent() -> Select[Any]:
    return select(func.count()).where(
        Contact.caller_phone_index == bindparam("phone"), Contact.contact_type == "silent"
    )
