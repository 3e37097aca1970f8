"""Contacts: the operator's own of the day (shift home), and any one contact opened to read.

Opening a contact decrypts its words, and showing a caller's phone (for a call-back) is asked
for on its own: each is an audit event, in the same transaction as the read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.deadlines import VN_TZ, to_local
from caseintake.services.audit.log import AuditLog
from caseintake.services.cases.queries import contact_summary_select
from caseintake.services.cases.reading import contact_children, contact_view
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.core.views import ContactSummary, ContactView
from caseintake.store.db import Database
from caseintake.store.models import Case, Contact, User
from caseintake.store.types import UTCDateTime

CONTACT_ROLES = ("operator", "supervisor")  # an admin does not read case content (DESIGN §1)


class ContactService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def today(self, principal: Principal, limit: int = 50) -> list[ContactSummary]:
        principal.check_standing()
        start = datetime.combine(to_local(self._settings.clock()).date(), time(0), VN_TZ)
        # One statement on the fast reads (the home asks on every opening): 2 ORM queries
        # cost about 2 ms more than the SQL itself (issue 23).
        params = {"user": principal.user_id, "start": start, "limit": limit}
        return [ContactSummary(*row) for row in self._db.fast.rows(_today(), params)]

    def detail(self, principal: Principal, contact_id: str) -> ContactView:
        """One contact with its words decrypted; audited as ``contact_viewed``."""
        principal.require(*CONTACT_ROLES)
        with self._db.read() as s:  # the read outside the write lock, the event after it
            row = s.execute(
                select(Contact, User.name, Case.number)
                .join(User, User.id == Contact.operator_id)
                .outerjoin(Case, Case.id == Contact.case_id)
                .where(Contact.id == contact_id)
            ).first()
            if row is None:
                raise DomainError("contacts.not_found")
            contact, operator, number = row
            view = contact_view(principal, contact, operator, number)
            if contact.case_id is None:
                view = replace(view, children=contact_children(s, principal, contact_id))
        with self._db.write() as s:
            self._audit.append(
                s, principal.keys, principal.name, "contact_viewed", "contact", contact_id
            )
        return view

    def reveal_phone(self, principal: Principal, contact_id: str) -> str | None:
        """The caller's phone for a call-back, shown only on request; audited."""
        principal.require(*CONTACT_ROLES)
        with self._db.read() as s:
            found = s.execute(
                select(Contact.caller_phone, Contact.case_id).where(Contact.id == contact_id)
            ).first()
        if found is None:
            raise DomainError("contacts.not_found")
        phone = principal.keys.cipher.decrypt_opt(
            "contacts", "caller_phone", contact_id, found.caller_phone
        )
        with self._db.write() as s:
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "phone_revealed",
                "contact",
                contact_id,
                {"case": found.case_id},
            )
        return phone


@cache
def _today() -> Select[Any]:
    return (
        contact_summary_select()
        .where(
            Contact.operator_id == bindparam("user"),
            Contact.received_at >= bindparam("start", type_=UTCDateTime()),
        )
        .order_by(Contact.received_at.desc())
        .limit(bindparam("limit", type_=Integer()))
    )
