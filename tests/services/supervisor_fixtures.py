"""Reports for the supervisor's desk tests: saved through the intake service, like an operator."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from caseintake.domain.intake.validation import parse_intake
from caseintake.store.models import AuditEvent, Referral
from tests.samples import design_example


def save_report(services: Any, operator: Any, **changes: Any) -> Any:
    return services.intake.save(operator, parse_intake(design_example(**changes)))


def referrals(services: Any, case_id: str) -> dict[str, Referral]:
    """The case's referrals by body (detached rows, read only)."""
    with services.db.read() as s:
        rows = s.execute(select(Referral).where(Referral.case_id == case_id)).scalars().all()
        s.expunge_all()
    return {r.body: r for r in rows}


def actions(services: Any) -> list[str]:
    with services.db.read() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def scalar(services: Any, query: str, **params: Any) -> Any:
    with services.db.read() as s:
        return s.execute(text(query), params).scalar()
