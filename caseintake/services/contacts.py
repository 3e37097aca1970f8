"""The operator's own contacts of the day (shift home)."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select

from caseintake.domain.deadlines import VN_TZ, to_local
from caseintake.services.case_queries import contact_summaries
from caseintake.services.principal import Principal
from caseintake.services.settings import Settings
from caseintake.services.views import ContactSummary
from caseintake.store.db import Database
from caseintake.store.models import Contact


class ContactService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    def today(self, principal: Principal, limit: int = 50) -> list[ContactSummary]:
        start = datetime.combine(to_local(self._settings.clock()).date(), time(0), VN_TZ)
        with self._db.read() as s:
            ids = (
                s.execute(
                    select(Contact.id)
                    .where(Contact.operator_id == principal.user_id, Contact.received_at >= start)
                    .order_by(Contact.received_at.desc())
                    .limit(limit)
                )
                .scalars()
                .all()
            )
            return contact_summaries(s, list(ids))
