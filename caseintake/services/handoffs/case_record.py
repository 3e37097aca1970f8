"""A case as a hand-off carries it, both ways: the sender's case read into the record the
minimisation profiles select from (the intake JSON of DESIGN §6 with the case's priority and
protection level), and a received subject made back into an intake for the local case, so
nothing is typed again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.intake.record import Caller, Child, Intake, Location, Perpetrator
from caseintake.services.cases.reading import children, perpetrators
from caseintake.services.core.principal import Principal
from caseintake.store.models import Case, CaseConcern, Contact


def case_record(s: Session, principal: Principal, case: Case) -> dict[str, Any]:
    """Everything a profile may select from one case, decrypted for this action only."""
    enc = principal.keys.cipher
    concerns = sorted(
        s.execute(select(CaseConcern.concern).where(CaseConcern.case_id == case.id)).scalars()
    )
    first_caller = s.execute(
        select(Contact.caller_relationship)
        .where(Contact.case_id == case.id)
        .order_by(Contact.received_at)
        .limit(1)
    ).scalar()
    narrative = enc.decrypt("cases", "narrative", case.id, case.narrative) if case.narrative else ""
    return {
        "priority": case.priority,
        "protection_level": case.protection_level,
        "immediate_danger": bool(case.immediate_danger),
        "location": {"province_code": case.province_code, "ward_code": case.ward_code},
        "concerns": concerns,
        "setting": case.setting,
        "children": [
            {
                "age": c.age,
                "age_basis": c.age_basis,
                "sex": c.sex,
                "ethnicity": c.ethnicity,
                "disability": c.disability,
                "special_circumstances": list(c.special_circumstances),
                "name": c.name,
                "address": c.address,
                "personal_id": c.personal_id,
            }
            for c in children(s, principal, case.id)
        ],
        "perpetrators": [
            {"relationship": p.relationship, "name": p.name}
            for p in perpetrators(s, principal, case.id)
        ],
        "caller": {"relationship": first_caller or "anonymous"},
        "narrative": narrative,
    }


def intake_of(subject: dict[str, Any], line: str, received_at: datetime) -> Intake:
    """The received subject as a report to this line (validated again before it is saved)."""
    place = subject.get("location") or {}
    caller = subject.get("caller") or {}
    return Intake(
        received_at=received_at,
        contact_type="report",
        line=line,
        caller=Caller(relationship=caller.get("relationship") or "anonymous"),
        children=tuple(
            Child(
                age=c.get("age"),
                age_basis=c.get("age_basis") or "estimated",
                sex=c.get("sex") or "unknown",
                ethnicity=c.get("ethnicity") or "unknown",
                disability=bool(c.get("disability")),
                special_circumstances=tuple(c.get("special_circumstances") or ()),
                name=c.get("name"),
                address=c.get("address"),
                personal_id=c.get("personal_id"),
            )
            for c in subject.get("children") or ()
        ),
        location=Location(place.get("province_code"), place.get("ward_code")),
        concerns=tuple(subject.get("concerns") or ()),
        setting=subject.get("setting"),
        perpetrators=tuple(
            Perpetrator(relationship=p.get("relationship") or "unknown", name=p.get("name"))
            for p in subject.get("perpetrators") or ()
        ),
        immediate_danger=bool(subject.get("immediate_danger")),
        narrative=subject.get("narrative") or "",
    )
