"""Writing a case from an intake: opening a new one, or bringing a linked one up to date.

Both run inside the intake's transaction (``IntakeService.save``) and audit what they change;
neither commits. A linked call starts from the case (``CaseService.linked_intake``), so what the
operator sends back is the case as they now know it: coded facts are updated, names and
addresses are re-encrypted only when given, and nothing already recorded is dropped (concerns
are added, never removed; a priority or protection level only rises).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseintake.crypto.fields import FieldCipher
from caseintake.domain.ids import new_id
from caseintake.domain.intake.record import Child as ChildIn
from caseintake.domain.intake.record import Intake
from caseintake.domain.intake.record import Perpetrator as PerpetratorIn
from caseintake.domain.referrals.deadlines import to_local
from caseintake.domain.routing.rules import PRIORITIES, PROTECTION_LEVELS
from caseintake.services.audit.details import opened_case
from caseintake.services.audit.log import AuditLog, PendingEvent
from caseintake.services.cases.child_pins import pin_rows, put_pin
from caseintake.services.core.principal import Principal
from caseintake.services.core.views import join_codes
from caseintake.store.fast_sql import insert_rows, one
from caseintake.store.models import Case, CaseConcern, CaseNote, Child, ChildPin, Perpetrator


class CaseWriter:
    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def open(
        self,
        s: Session,
        principal: Principal,
        intake: Intake,
        priority: str,
        level: str,
        now: datetime,
        events: list[PendingEvent] | None = None,
    ) -> tuple[str, str]:
        enc = principal.keys.cipher
        case_id = new_id()
        number = next_number(s, intake.line, intake.received_at)
        opened_case(s, case_id)
        # Core inserts (issue 11): a new case's rows go straight in, in order, without the
        # unit of work; rows read back later are loaded by the ORM as usual.
        conn = s.connection()
        insert_rows(
            conn,
            Case.__table__,
            [
                {
                    "id": case_id,
                    "number": number,
                    "line": intake.line,
                    "status": "assessed",  # the call itself is the hotline's initial assessment
                    "priority": priority,
                    "protection_level": level,
                    "setting": intake.setting,
                    "province_code": intake.location.province_code,
                    "ward_code": intake.location.ward_code,
                    "immediate_danger": intake.immediate_danger,
                    "narrative": enc.encrypt("cases", "narrative", case_id, intake.narrative),
                    "assigned_to": principal.user_id,
                    "opened_at": now,
                    "updated_at": now,
                }
            ],
        )
        concerns = [{"case_id": case_id, "concern": c} for c in dict.fromkeys(intake.concerns)]
        children = [_child_values(principal, case_id, i, c) for i, c in enumerate(intake.children)]
        perpetrators = [
            _perpetrator_values(principal, case_id, i, p) for i, p in enumerate(intake.perpetrators)
        ]
        pins = pin_rows(principal.keys, children, intake.children)
        for table, rows in (
            (CaseConcern.__table__, concerns),
            (Child.__table__, children),
            (ChildPin.__table__, pins),
            (Perpetrator.__table__, perpetrators),
        ):
            insert_rows(conn, table, rows)
        self._record(
            s,
            principal,
            events,
            "case_opened",
            case_id,
            {"number": number, "priority": priority, "concerns": list(intake.concerns)},
        )
        return case_id, number

    def update(
        self,
        s: Session,
        principal: Principal,
        case: Case,
        intake: Intake,
        priority: str | None,
        level: str | None,
        now: datetime,
        events: list[PendingEvent] | None = None,
    ) -> None:
        """The linked case brought up to what this call says; audited as ``case_updated``."""
        changed: dict[str, Any] = {}
        known = set(
            s.execute(select(CaseConcern.concern).where(CaseConcern.case_id == case.id)).scalars()
        )
        added = [c for c in dict.fromkeys(intake.concerns) if c not in known]
        for concern in added:
            s.add(CaseConcern(case_id=case.id, concern=concern))
        if added:
            changed["concerns_added"] = added
        if priority and _rank(PRIORITIES, priority) > _rank(PRIORITIES, case.priority):
            changed["priority"] = [case.priority, priority]
            case.priority = priority
        if level and _rank(PROTECTION_LEVELS, level) > _rank(
            PROTECTION_LEVELS, case.protection_level
        ):
            changed["protection_level"] = [case.protection_level, level]
            case.protection_level = level
        if intake.immediate_danger and not case.immediate_danger:
            case.immediate_danger = changed["immediate_danger"] = True
        if intake.setting and intake.setting != case.setting:
            changed["setting"] = [case.setting, intake.setting]
            case.setting = intake.setting
        place = (intake.location.province_code, intake.location.ward_code)
        if place[0] is not None and place != (case.province_code, case.ward_code):
            changed["location"] = [[case.province_code, case.ward_code], list(place)]
            case.province_code, case.ward_code = place
        children = self._update_children(s, principal, case.id, intake.children)
        perpetrators = self._update_perpetrators(s, principal, case.id, intake.perpetrators)
        if children:
            changed["children"] = children
        if perpetrators:
            changed["perpetrators"] = perpetrators
        case.updated_at = now
        if changed:
            self._record(s, principal, events, "case_updated", case.id, changed)

    def _update_children(
        self, s: Session, principal: Principal, case_id: str, given: tuple[ChildIn, ...]
    ) -> list[str]:
        """Children by position: coded facts replaced, name and address only when given."""
        enc, changes = principal.keys.cipher, []
        rows = list(
            s.execute(select(Child).where(Child.case_id == case_id).order_by(Child.position))
            .scalars()
            .all()
        )
        for i, child in enumerate(given):
            if i >= len(rows):
                added = _child_row(principal, case_id, i, child)
                s.add(added)
                put_pin(s, principal.keys, added.id, child.personal_id)
                changes.append(f"added {i + 1}")
                continue
            row = rows[i]
            before = (row.age, row.age_basis, row.sex, row.ethnicity, row.disability)
            row.age, row.age_basis, row.sex = child.age, child.age_basis, child.sex
            row.ethnicity, row.disability = child.ethnicity, child.disability
            row.special_circumstances = join_codes(child.special_circumstances)
            touched = before != (row.age, row.age_basis, row.sex, row.ethnicity, row.disability)
            if _differs(enc, "children", "name", row.id, row.name, child.name):
                row.name, touched = enc.encrypt("children", "name", row.id, child.name), True
            if _differs(enc, "children", "address", row.id, row.address, child.address):
                row.address = enc.encrypt("children", "address", row.id, child.address)
                touched = True
            touched = put_pin(s, principal.keys, row.id, child.personal_id) or touched
            if touched:
                changes.append(f"updated {i + 1}")
        return changes

    def _update_perpetrators(
        self, s: Session, principal: Principal, case_id: str, given: tuple[PerpetratorIn, ...]
    ) -> list[str]:
        enc, changes = principal.keys.cipher, []
        rows = list(
            s.execute(
                select(Perpetrator)
                .where(Perpetrator.case_id == case_id)
                .order_by(Perpetrator.position)
            )
            .scalars()
            .all()
        )
        for i, perp in enumerate(given):
            if i >= len(rows):
                s.add(_perpetrator_row(principal, case_id, i, perp))
                changes.append(f"added {i + 1}")
                continue
            row, touched = rows[i], rows[i].relationship != perp.relationship
            row.relationship = perp.relationship
            if _differs(enc, "perpetrators", "name", row.id, row.name, perp.name):
                row.name, touched = enc.encrypt("perpetrators", "name", row.id, perp.name), True
            if touched:
                changes.append(f"updated {i + 1}")
        return changes

    def add_note(
        self,
        s: Session,
        principal: Principal,
        case_id: str,
        text: str,
        now: datetime,
        events: list[PendingEvent] | None = None,
    ) -> str:
        note_id = new_id()
        body = principal.keys.cipher.encrypt("case_notes", "body", note_id, text)
        row = {"id": note_id, "case_id": case_id, "author_id": principal.user_id, "at": now}
        insert_rows(s.connection(), CaseNote.__table__, [dict(row, body=body)])
        self._record(s, principal, events, "note_added", case_id, {"note": note_id})
        return note_id

    def _record(
        self,
        s: Session,
        principal: Principal,
        events: list[PendingEvent] | None,
        action: str,
        case_id: str,
        details: dict[str, Any],
    ) -> None:
        """Audited now, or (given ``events``) with the rest of the save in one step."""
        if events is None:
            self._audit.append(s, principal.keys, principal.name, action, "case", case_id, details)
        else:
            events.append((principal.name, action, "case", case_id, details, None))


def _differs(
    enc: FieldCipher, table: str, column: str, row_id: str, stored: bytes | None, given: str | None
) -> bool:
    """A name or address given that is not what the row holds (a prefilled one is not news)."""
    if given is None:
        return False
    return stored is None or enc.decrypt(table, column, row_id, stored) != given


def _rank(order: tuple[str, ...], value: str | None) -> int:
    return order.index(value) if value in order else -1


def _child_values(
    principal: Principal, case_id: str, position: int, child: ChildIn
) -> dict[str, Any]:
    return child_values(principal.keys.cipher, new_id(), case_id, position, child)


def child_values(
    enc: FieldCipher,
    cid: str,
    owner_id: str,
    position: int,
    child: ChildIn,
    table: str = "children",
) -> dict[str, Any]:
    """A child's columns, name and address encrypted, for the save and the bulk builder; of a
    case (``children``) or of a contact without one (``contact_children``)."""
    owner = "case_id" if table == "children" else "contact_id"
    return {
        "id": cid,
        owner: owner_id,
        "position": position,
        "age": child.age,
        "age_basis": child.age_basis,
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "disability": child.disability,
        "special_circumstances": join_codes(child.special_circumstances),
        "name": enc.encrypt_opt(table, "name", cid, child.name),
        "address": enc.encrypt_opt(table, "address", cid, child.address),
    }


def _child_row(principal: Principal, case_id: str, position: int, child: ChildIn) -> Child:
    return Child(**_child_values(principal, case_id, position, child))


def _perpetrator_values(
    principal: Principal, case_id: str, position: int, perp: PerpetratorIn
) -> dict[str, Any]:
    pid = new_id()
    return {
        "id": pid,
        "case_id": case_id,
        "position": position,
        "relationship": perp.relationship,
        "name": principal.keys.cipher.encrypt_opt("perpetrators", "name", pid, perp.name),
    }


def _perpetrator_row(
    principal: Principal, case_id: str, position: int, perp: PerpetratorIn
) -> Perpetrator:
    return Perpetrator(**_perpetrator_values(principal, case_id, position, perp))


def next_number(s: Session, line: str, received_at: datetime) -> str:
    """``111-2026-000123``: per line and year, gapless because writes are serialised; one
    upsert that returns the new number (SQLite 3.35+, PostgreSQL)."""
    year = to_local(received_at).year
    last = one(s.connection(), _NEXT_NUMBER, {"line": line, "year": year})[0]
    prefix = "111" if line == "111" else "PL"
    return f"{prefix}-{year}-{last:06d}"


_NEXT_NUMBER = text(
    "INSERT INTO case_counters (line, year, last) VALUES (:line, :year, 1)"
    " ON CONFLICT (line, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last"
)
