"""An admin adopts the rows of a database upgraded from before records were bound to the trail
(migration 0010; issue 20 item 5): ``caseintake audit adopt``.

Until then ``audit verify`` counts such rows as unbound, in words, and checks nothing of them:
nor could it tell one of them from a row inserted in the file since. Adopting binds each one's
current state, once, in audited events (``records_adopted``, about ``database``/``records``, a
few thousand rows each) and signs a checkpoint; from then on every row must be bound, whatever
``meta`` says, because verify finds the adoption in the trail itself.

It is refused while the trail or its records fail verification: an admin accepts the state of
rows nobody can vouch for, never one that contradicts the trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from caseintake.domain.errors import DomainError
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.records import check_records
from caseintake.services.audit.trail import AuditTrailService
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import AuditEvent, Meta
from caseintake.store.records import known

PER_EVENT = 2_000  # rows a ``records_adopted`` event binds
ENTITY, ENTITY_ID = "database", "records"


@dataclass(frozen=True)
class Adopted:
    rows: int
    events: int
    checkpoint: int


class RecordAdoption:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._trail = AuditTrailService(db, settings, audit)

    def adopt(self, admin: Principal) -> Adopted:
        admin.require("admin")
        result = self._trail.verify(admin)
        if not result.ok:
            raise DomainError("records.adopt_refused", problem=result.message())
        if not result.unbound_records:
            raise DomainError("records.adopt_nothing")
        rows = events = 0
        with self._db.write() as s:  # read and bound under the write lock: nothing moves
            conn = s.connection()
            driver = conn.connection.driver_connection
            last = s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).scalar()
            bound_from = s.execute(select(Meta.records_bound_from)).scalar()
            unbound: list[tuple[str, str, bytes]] = []
            report = check_records(driver, self._db.is_sqlite, last or 0, bound_from, unbound)
            if not report.ok:  # changed since the verify a moment ago
                raise DomainError("records.adopt_refused", problem=str(report.count))
            for i in range(0, len(unbound), PER_EVENT):
                chunk = unbound[i : i + PER_EVENT]
                tables: dict[str, int] = {}
                for table, key, digest in chunk:
                    known(conn, table, [(key, digest)])
                    tables[table] = tables.get(table, 0) + 1
                self._audit.append(
                    s, admin.keys, admin.name, "records_adopted", ENTITY, ENTITY_ID,
                    {"rows": len(chunk), "tables": tables},
                )  # fmt: skip
                rows, events = rows + len(chunk), events + 1
            s.execute(update(Meta).values(records_bound_from=1))
        _path, seq = self._trail.write_checkpoint(admin)
        return Adopted(rows, events, seq)
