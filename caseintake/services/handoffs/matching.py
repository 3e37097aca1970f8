"""Which of this line's cases an incoming package's child may already be (issue 24 item 4):
a case with a child of the same personal identification number, or with a contact from the
same phone, each found by its blind index under this line's key (never by a plaintext). A
case whose content was erased is never one (its numbers' and phones' indexes went with it; it
is left out here as well). Nothing is merged here: the supervisor is asked first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.blind_index import personal_id_index
from caseintake.services.cases.callers import phone_index
from caseintake.services.core.principal import Principal
from caseintake.services.handoffs.views import CaseMatch
from caseintake.store.models import Case, CaseErasure, Child, ChildPin, Contact

KEYS = ("personal_id", "phone")  # in the order a match names them


def subject_pins(subject: dict[str, Any]) -> list[str]:
    """The children's numbers a package carries that can be numbers at all (12 digits)."""
    found = []
    for child in subject.get("children") or ():
        pin = child.get("personal_id") if isinstance(child, dict) else None
        if isinstance(pin, str) and len(pin) == 12 and pin.isascii() and pin.isdigit():
            found.append(pin)
    return found


def subject_phone(subject: dict[str, Any]) -> str | None:
    """The caller's phone, when a package carries one. No profile of ``handoff_profiles.toml``
    does today (the reporter stays with the line that heard them); a partner whose profile
    does, with its legal reason, has its packages matched on it."""
    caller = subject.get("caller")
    phone = caller.get("phone") if isinstance(caller, dict) else None
    return phone if isinstance(phone, str) else None


def candidates(s: Session, principal: Principal, subject: dict[str, Any]) -> list[CaseMatch]:
    """This line's cases the package's child may be, newest first, each with what matched."""
    keys = principal.keys
    by_case: dict[str, set[str]] = {}
    indexes = {personal_id_index(keys.blind_key, pin) for pin in subject_pins(subject)}
    if indexes:
        rows = s.execute(
            select(Child.case_id)
            .join(ChildPin, ChildPin.child_id == Child.id)
            .where(ChildPin.pin_index.in_(indexes))
        ).scalars()
        for case_id in rows:
            by_case.setdefault(case_id, set()).add("personal_id")
    index = phone_index(keys.blind_key, subject_phone(subject))
    if index is not None:
        calls = s.execute(
            select(Contact.case_id).where(
                Contact.caller_phone_index == index, Contact.case_id.is_not(None)
            )
        ).scalars()
        for called in calls:
            by_case.setdefault(str(called), set()).add("phone")
    if not by_case:
        return []
    erased = select(CaseErasure.case_id)
    cases = s.execute(
        select(Case.id, Case.number, Case.opened_at, Case.status)
        .where(Case.id.in_(by_case), Case.id.not_in(erased))
        .order_by(Case.opened_at.desc(), Case.number)
    ).all()
    return [
        CaseMatch(number, opened, status, tuple(k for k in KEYS if k in by_case[case_id]))
        for case_id, number, opened, status in cases
    ]
