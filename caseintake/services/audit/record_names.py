"""Names for what ``audit verify`` finds in the records (issue 20): the case a row belongs to
by its number, and the user who signed the event it contradicts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.user_certs import RECOVERY_SIGNER
from caseintake.services.audit.records import RecordProblem
from caseintake.store.models import (
    AuditEvent,
    Base,
    Case,
    EscalationRow,
    Referral,
    ReferralUpdate,
    User,
)


def case_of(s: Session, table: str, key: str) -> str | None:
    """The id of the case the row ``key`` of ``table`` belongs to, when it still says."""
    if table == "cases":
        return key
    if table == "case_concerns":
        return key.split("|", 1)[0]
    via_referral = {"referral_updates": ReferralUpdate, "escalations": EscalationRow}
    if table in via_referral:
        model = via_referral[table]
        return s.execute(
            select(Referral.case_id)
            .join(model, model.referral_id == Referral.id)  # type: ignore[attr-defined]
            .where(model.id == key)  # type: ignore[attr-defined]
        ).scalar()
    columns = Base.metadata.tables[table].c
    if "case_id" in columns and "id" in columns:
        return s.execute(select(columns.case_id).where(columns.id == key)).scalar()
    return None


def describe(s: Session, problem: RecordProblem) -> tuple[str, str | None]:
    """(``table`` with the case number or the row's key, the name of the user who signed the
    event the row contradicts)."""
    case_id = case_of(s, problem.table, problem.key)
    signer = actor = None
    entity: tuple[str, str] | None = None
    if problem.seq is not None:
        row = s.execute(
            select(
                AuditEvent.signer, AuditEvent.actor, AuditEvent.entity, AuditEvent.entity_id
            ).where(AuditEvent.seq == problem.seq)
        ).first()
        if row is not None:
            signer, actor, entity = row[0], row[1], (row[2], row[3])
    if case_id is None and entity is not None and entity[0] == "case":
        case_id = entity[1]  # a deleted row: the case its event was about
    number = s.execute(select(Case.number).where(Case.id == case_id)).scalar() if case_id else None
    label = f"{problem.table} {problem.key}"
    if number is not None and problem.table != "cases":
        label += f" ({number})"
    elif number is not None:
        label = f"{problem.table} {number}"
    name = actor
    if signer == RECOVERY_SIGNER:
        name = "recovery"
    elif signer is not None:
        name = s.execute(select(User.name).where(User.id == signer)).scalar() or signer
    return label, name
