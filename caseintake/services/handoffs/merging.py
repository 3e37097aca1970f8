"""Accepting an incoming package into a case this line already has (issue 24 item 4), once the
supervisor has chosen it among the candidates (``matching``): the package's report becomes a
new contact of that case; the case takes what it did not know (concerns are added, priority and
protection level only rise, a setting or place only when it has none); the package's children
join the case's without doubling the one it matched (the same personal identification number,
or the same name), and its perpetrators without doubling one already recorded. Everything
already saved stays; all of it runs in the acceptance's transaction, audited with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.blind_index import personal_id_index
from caseintake.crypto.fields import FieldCipher
from caseintake.domain.ids import new_id
from caseintake.domain.intake.record import Caller, Intake
from caseintake.domain.intake.record import Child as ChildIn
from caseintake.domain.routing.rules import PRIORITIES, PROTECTION_LEVELS
from caseintake.services.audit.details import belongs_to_case
from caseintake.services.audit.log import PendingEvent
from caseintake.services.cases.callers import phone_index
from caseintake.services.cases.child_pins import put_pin
from caseintake.services.cases.writer import child_values
from caseintake.services.core.principal import Principal
from caseintake.services.core.views import join_codes, split_codes
from caseintake.services.handoffs.matching import subject_phone
from caseintake.services.intake.service import contact_row
from caseintake.store.fast_sql import insert_rows
from caseintake.store.models import Case, CaseConcern, Child, ChildPin, Contact, Perpetrator

# A package is a written hand-off from another body, not a call: its contact is counted with
# the written channels (taxonomy [channel]), never as a phone call the line answered.
CHANNEL = "letter"


def merge_into(
    s: Session,
    principal: Principal,
    case: Case,
    intake: Intake,
    subject: dict[str, Any],
    priority: str,
    level: str,
    now: datetime,
    events: list[PendingEvent],
    handoff_id: str,
) -> None:
    """``intake`` is the package's subject as a report (validated); ``case`` the chosen one."""
    changed: dict[str, Any] = {}
    _facts(s, case, intake, priority, level, changed)
    children = _children(s, principal, case.id, intake.children)
    perpetrators = _perpetrators(s, principal, case.id, intake)
    if children:
        changed["children"] = children
    if perpetrators:
        changed["perpetrators"] = perpetrators
    case.updated_at = now
    contact_id = new_id()
    phone = subject_phone(subject)
    report = replace(
        intake, channel=CHANNEL, caller=Caller(intake.caller.relationship, None, phone)
    )
    index = phone_index(principal.keys.blind_key, phone)
    row = contact_row(
        principal.keys.cipher, report, contact_id, case.id, principal.user_id, index, now
    )
    insert_rows(s.connection(), Contact.__table__, [row])
    belongs_to_case(s, "contact", contact_id, case.id)
    details = {"type": report.contact_type, "case": case.number, "handoff": handoff_id}
    events.append((principal.name, "contact_created", "contact", contact_id, details, None))
    changed["handoff"] = handoff_id
    events.append((principal.name, "case_updated", "case", case.id, changed, None))


def _facts(
    s: Session, case: Case, intake: Intake, priority: str, level: str, changed: dict[str, Any]
) -> None:
    known = set(
        s.execute(select(CaseConcern.concern).where(CaseConcern.case_id == case.id)).scalars()
    )
    added = [c for c in dict.fromkeys(intake.concerns) if c not in known]
    for concern in added:
        s.add(CaseConcern(case_id=case.id, concern=concern))
    if added:
        changed["concerns_added"] = added
    if _rank(PRIORITIES, priority) > _rank(PRIORITIES, case.priority):
        changed["priority"], case.priority = [case.priority, priority], priority
    if _rank(PROTECTION_LEVELS, level) > _rank(PROTECTION_LEVELS, case.protection_level):
        changed["protection_level"] = [case.protection_level, level]
        case.protection_level = level
    if intake.immediate_danger and not case.immediate_danger:
        case.immediate_danger = changed["immediate_danger"] = True
    if intake.setting and not case.setting:
        case.setting = changed["setting"] = intake.setting
    place = intake.location
    if place.province_code is not None and case.province_code is None:
        case.province_code, case.ward_code = place.province_code, place.ward_code
        changed["location"] = [place.province_code, place.ward_code]


def _children(
    s: Session, principal: Principal, case_id: str, given: tuple[ChildIn, ...]
) -> list[str]:
    """Each child of the package: the case's child with the same number (or, with no number
    to go by, the same name) takes what it lacks; any other joins the case after its own."""
    enc, keys, changes = principal.keys.cipher, principal.keys, []
    rows = list(s.execute(select(Child).where(Child.case_id == case_id)).scalars())
    pins = dict(
        s.execute(
            select(ChildPin.pin_index, ChildPin.child_id).where(
                ChildPin.child_id.in_([r.id for r in rows])
            )
        ).all()
    )
    by_id = {r.id: r for r in rows}
    names = {_name(enc, "children", r.id, r.name): r for r in rows if r.name is not None}
    pinned = set(pins.values())
    position = 1 + max((r.position for r in rows), default=-1)
    for child in given:
        row = None
        if child.personal_id is not None:
            row = by_id.get(pins.get(personal_id_index(keys.blind_key, child.personal_id), ""))
        if row is None and child.name:  # by name only where no two numbers tell them apart
            row = names.get(child.name.strip().casefold())
            if row is not None and child.personal_id is not None and row.id in pinned:
                row = None
        if row is None:
            values = child_values(enc, new_id(), case_id, position, child)
            s.add(Child(**values))
            put_pin(s, keys, values["id"], child.personal_id)
            changes.append(f"added {position + 1}")
            position += 1
        elif _fill(s, principal, row, child):
            changes.append(f"matched {row.position + 1}")
    return changes


def _fill(s: Session, principal: Principal, row: Child, child: ChildIn) -> bool:
    """What the case's child lacks, from the package's; nothing recorded is overwritten."""
    enc, before = principal.keys.cipher, (row.age, row.sex, row.disability, row.name, row.address)
    if row.age is None and child.age is not None:
        row.age, row.age_basis = child.age, child.age_basis
    if row.sex == "unknown":
        row.sex = child.sex
    row.disability = bool(row.disability or child.disability)
    known = split_codes(row.special_circumstances)
    more = tuple(c for c in child.special_circumstances if c not in known)
    row.special_circumstances = join_codes(known + more)
    if row.name is None and child.name:
        row.name = enc.encrypt("children", "name", row.id, child.name)
    if row.address is None and child.address:
        row.address = enc.encrypt("children", "address", row.id, child.address)
    pinned = s.get(ChildPin, row.id) is None and put_pin(
        s, principal.keys, row.id, child.personal_id
    )
    return (
        bool(more) or pinned or before != (row.age, row.sex, row.disability, row.name, row.address)
    )


def _perpetrators(s: Session, principal: Principal, case_id: str, intake: Intake) -> list[str]:
    enc, changes = principal.keys.cipher, []
    rows = list(s.execute(select(Perpetrator).where(Perpetrator.case_id == case_id)).scalars())
    known = {(r.relationship, _name(enc, "perpetrators", r.id, r.name)) for r in rows}
    position = 1 + max((r.position for r in rows), default=-1)
    for perp in intake.perpetrators:
        key = (perp.relationship, (perp.name or "").strip().casefold())
        if key in known:
            continue
        known.add(key)
        pid = new_id()
        name = enc.encrypt_opt("perpetrators", "name", pid, perp.name)
        s.add(Perpetrator(id=pid, case_id=case_id, position=position,
                          relationship=perp.relationship, name=name))  # fmt: skip
        changes.append(f"added {position + 1}")
        position += 1
    return changes


def _name(enc: FieldCipher, table: str, row_id: str, blob: bytes | None) -> str:
    return (enc.decrypt_opt(table, "name", row_id, blob) or "").strip().casefold()


def _rank(order: tuple[str, ...], value: str | None) -> int:
    return order.index(value) if value in order else -1
