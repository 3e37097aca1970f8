"""One batch of the national plan as rows (issue 11 item 1): what the services would write.

Per contact: the services' routing and deadlines, the field ciphers and the blind index, the
rows of every table and the audit events (details as JSON, times in microseconds, the scope of
their key) in the order the services append them. Pure of the database and of the order of the
batches (case numbers come with the plan), so batches can be built on every core; the audit
chain, which is ordered, is made afterwards by ``bulk_chain``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Dialect

from caseintake.crypto.audit_chain import to_micros
from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.record_states import encode as encode_states
from caseintake.crypto.scoped_details import GENERAL_SCOPE, new_scope_key
from caseintake.domain.ids import new_id
from caseintake.domain.intake.record import Intake
from caseintake.domain.national.life import (
    CLOSE_REASON,
    OUTCOME,
    STEP_REASON,
    LifeStep,
    case_life,
)
from caseintake.domain.national.mix import national_mix
from caseintake.domain.national.plan import SAVED_AFTER, PlannedContact
from caseintake.domain.referrals.deadlines import due_at
from caseintake.services.audit.log import details_json
from caseintake.services.bulk.chain import BulkEvent
from caseintake.services.bulk.values import Binder
from caseintake.services.cases.callers import phone_index
from caseintake.services.cases.writer import child_values
from caseintake.services.core.principal import Principal
from caseintake.services.intake.service import ReferralChoice, contact_row, referral_row
from caseintake.services.referrals.service import STAMP_COLUMNS
from caseintake.services.routing.decisions import RoutingService
from caseintake.store.models import (
    Case,
    CaseConcern,
    CaseNote,
    Child,
    Contact,
    Perpetrator,
    Referral,
    ReferralUpdate,
)
from caseintake.store.records import BOUND, CODE, bound_digests

TABLES = (Case, CaseConcern, Child, Perpetrator, Contact, CaseNote, Referral, ReferralUpdate)
# A planned contact with its case number (given for a report, in plan order).
Numbered = tuple[PlannedContact, str | None]


def life_of(planned: PlannedContact, referrals: int) -> list[LifeStep]:
    """The report's life after its save, given how many referrals routing made."""
    if planned.follow_seed is None or planned.until is None:
        return []
    created = planned.intake.received_at + SAVED_AFTER
    calls = [call.received_at + SAVED_AFTER for call, _ in planned.repeats]
    return case_life(national_mix(), planned.follow_seed, referrals, created, planned.until, calls)


def close_reason(state: str) -> str | None:
    """A case's closing is recorded with its reason; support and monitoring without one."""
    return CLOSE_REASON if state == "closed" else None


@dataclass
class BuiltBatch:
    """A batch ready to chain and insert: per table its column names and bind-ready values."""

    rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]
    events: list[BulkEvent]
    scopes: list[tuple[str, bytes, bytes]]  # each new case: its details key, and wrapped
    contacts: int
    cases: int


@dataclass
class _Batch:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: list[BulkEvent] = field(default_factory=list)
    scopes: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    # Per contact: the index of its last event, and per table the range of its rows there.
    spans: list[tuple[int, dict[str, tuple[int, int]]]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.rows.items()}

    def span(self, before: dict[str, int], first: int) -> None:
        """The rows added since ``before`` are bound to the contact's last event about its
        case, else its last (as ``AuditLog.append_many`` binds them, issue 20)."""
        ranges = {
            t: (before.get(t, 0), len(rows))
            for t, rows in self.rows.items()
            if len(rows) > before.get(t, 0)
        }
        index = len(self.events) - 1
        cases = [i for i in range(first, len(self.events)) if self.events[i][2] == "case"]
        self.spans.append((cases[-1] if cases else index, ranges))

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    def event(
        self,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        details: dict[str, Any],
        at: datetime,
        scope: str,
    ) -> None:
        body = details_json(details)
        self.events.append((actor, action, entity, entity_id, body, to_micros(at), scope, None))


class ContactRows:
    """Builds batches of planned contacts for the given operators and supervisor."""

    def __init__(
        self,
        cipher: FieldCipher,
        blind_key: bytes,
        routing: RoutingService,
        operators: Sequence[Principal],
        supervisor: Principal,
        dialect: Dialect,
    ) -> None:
        self._enc = cipher
        self._blind_key = blind_key
        self._routing = routing
        self._operators = operators
        self._supervisor = supervisor
        self._phones: dict[str | None, str | None] = {None: None}  # repeat callers: once each
        self._binder = Binder(dialect)

    def build(self, planned: Sequence[Numbered]) -> BuiltBatch:
        b = _Batch()
        cases = 0
        for contact, number in planned:
            before, first = b.counts(), len(b.events)
            cases += self._contact(b, contact, number)
            b.span(before, first)
        rows = {
            m.__tablename__: self._binder.bind(m, b.rows[m.__tablename__])
            for m in TABLES
            if b.rows.get(m.__tablename__)
        }
        contacts = sum(p.contacts for p, _ in planned)
        return BuiltBatch(rows, _bound(b, rows), b.scopes, contacts, cases)

    def _phone_index(self, phone: str | None) -> str | None:
        if phone not in self._phones:
            self._phones[phone] = phone_index(self._blind_key, phone)
        return self._phones[phone]

    def _contact(self, b: _Batch, planned: PlannedContact, number: str | None) -> int:
        intake, who = planned.intake, self._operators[planned.operator]
        now = intake.received_at + SAVED_AFTER
        routed = self._routing.decide(intake) if intake.contact_type == "report" else None
        case_id = None
        if routed is not None:
            if number is None:
                raise ValueError("a report needs its case number")
            case_id = self._case(b, who, intake, routed.decision, now, number)
        contact_id = new_id()
        b.add("contacts", self._contact_row(who, intake, contact_id, case_id, now))
        created = {"type": intake.contact_type, "case": number}
        scope = case_id or GENERAL_SCOPE
        b.event(who.name, "contact_created", "contact", contact_id, created, now, scope)
        if case_id is None or routed is None:
            return 0
        if intake.notes:
            self._note(b, who, case_id, intake.notes, now)
        choices = [ReferralChoice.from_proposed(p) for p in routed.referrals]
        ref_rows = [self._referral(b, who, case_id, intake, choice, now) for choice in choices]
        case_row, case_status = b.rows["cases"][-1], "assessed"
        for step in life_of(planned, len(ref_rows)):
            if step.kind == "referral":
                rid, row = ref_rows[step.index]
                case_status = self._step(
                    b, who, case_id, rid, row, step.state, case_status, step.at
                )
            elif step.kind == "call":
                call, operator = planned.repeats[step.index]
                self._call(b, self._operators[operator], call, case_id, number, step.at)
            else:
                actor = self._supervisor if step.state == "closed" else who  # closing: theirs
                details: dict[str, Any] = {"from": case_status, "to": step.state}
                if reason := close_reason(step.state):
                    details["reason"] = reason
                b.event(actor.name, "case_status_changed", "case", case_id, details, step.at,
                        case_id)  # fmt: skip
                case_status = step.state
                case_row["closed_at"] = step.at if step.state == "closed" else None
            case_row["updated_at"] = step.at
        case_row["status"] = case_status
        for _, row in ref_rows:
            b.add("referrals", row)
        return 1

    def _call(
        self,
        b: _Batch,
        who: Principal,
        call: Intake,
        case_id: str,
        number: str | None,
        now: datetime,
    ) -> None:
        """A call back linked to the case, as ``IntakeService.save`` records one that tells
        nothing new: its contact, its note on the case, the case's time of change."""
        if self._routing.decide(call).referrals:
            raise ValueError("a planned call back must not propose referrals")
        contact_id = new_id()
        b.add("contacts", self._contact_row(who, call, contact_id, case_id, now))
        created = {"type": call.contact_type, "case": number}
        b.event(who.name, "contact_created", "contact", contact_id, created, now, case_id)
        if call.notes:
            self._note(b, who, case_id, call.notes, now)

    def _note(self, b: _Batch, who: Principal, case_id: str, text: str, now: datetime) -> None:
        note_id = new_id()
        body = self._enc.encrypt("case_notes", "body", note_id, text)
        b.add(
            "case_notes",
            {"id": note_id, "case_id": case_id, "author_id": who.user_id, "at": now, "body": body},
        )
        b.event(who.name, "note_added", "case", case_id, {"note": note_id}, now, case_id)

    def _case(
        self,
        b: _Batch,
        who: Principal,
        intake: Intake,
        decision: Any,
        now: datetime,
        number: str,
    ) -> str:
        enc, case_id = self._enc, new_id()
        b.add(
            "cases",
            {
                "id": case_id,
                "number": number,
                "line": intake.line,
                "status": "assessed",
                "priority": decision.priority,
                "protection_level": decision.protection_level,
                "setting": intake.setting,
                "province_code": intake.location.province_code,
                "ward_code": intake.location.ward_code,
                "immediate_danger": intake.immediate_danger,
                "narrative": enc.encrypt("cases", "narrative", case_id, intake.narrative),
                "assigned_to": who.user_id,
                "opened_at": now,
                "updated_at": now,
                "closed_at": None,
            },
        )
        for concern in dict.fromkeys(intake.concerns):
            b.add("case_concerns", {"case_id": case_id, "concern": concern})
        for i, child in enumerate(intake.children):
            b.add("children", child_values(enc, new_id(), case_id, i, child))
        for i, perp in enumerate(intake.perpetrators):
            pid = new_id()
            b.add(
                "perpetrators",
                {
                    "id": pid,
                    "case_id": case_id,
                    "position": i,
                    "relationship": perp.relationship,
                    "name": enc.encrypt_opt("perpetrators", "name", pid, perp.name),
                },
            )
        details = {
            "number": number,
            "priority": decision.priority,
            "concerns": list(intake.concerns),
        }
        key = new_scope_key()  # the case's details key, wrapped as ``audit_details`` does
        b.scopes.append((case_id, key, enc.encrypt("case_keys", "wrapped", case_id, key.hex())))
        b.event(who.name, "case_opened", "case", case_id, details, now, case_id)
        return case_id

    def _contact_row(
        self, who: Principal, intake: Intake, contact_id: str, case_id: str | None, now: datetime
    ) -> dict[str, Any]:
        index = self._phone_index(intake.caller.phone)
        return contact_row(self._enc, intake, contact_id, case_id, who.user_id, index, now)

    def _referral(
        self,
        b: _Batch,
        who: Principal,
        case_id: str,
        intake: Intake,
        choice: ReferralChoice,
        now: datetime,
    ) -> tuple[str, dict[str, Any]]:
        rid = new_id()
        due = due_at(intake.received_at, choice.due_spec, self._routing.calendar)
        row: dict[str, Any] = {
            **referral_row(rid, case_id, choice, due, now),
            "reason": None,
            "outcome_note": None,
            **{stamp: None for stamp in STAMP_COLUMNS.values()},
            "in_progress_at": None,
        }
        details = {"body": choice.body, "rules": list(choice.rule_ids), "due": choice.due_spec}
        b.event(who.name, "referral_created", "referral", rid, dict(details, case=case_id), now,
                case_id)  # fmt: skip
        return rid, row

    def _step(
        self,
        b: _Batch,
        who: Principal,
        case_id: str,
        rid: str,
        row: dict[str, Any],
        state: str,
        case_status: str,
        at: datetime,
    ) -> str:
        """One follow-up step, as ``ReferralService.transition`` records it."""
        actor = self._supervisor if state == "revoked" else who
        enc = self._enc
        note = OUTCOME if state == "done" else STEP_REASON.get(state)
        before, row["status"] = row["status"], state
        row[STAMP_COLUMNS[state]] = at
        reason = STEP_REASON.get(state)
        if reason is not None:
            row["reason"] = enc.encrypt("referrals", "reason", rid, reason)
        if state == "done":
            row["outcome_note"] = enc.encrypt("referrals", "outcome_note", rid, OUTCOME)
        uid = new_id()
        b.add(
            "referral_updates",
            {
                "id": uid,
                "referral_id": rid,
                "at": at,
                "actor_id": actor.user_id,
                "from_status": before,
                "to_status": state,
                "via": None,
                "contacted": None,
                "note": enc.encrypt_opt("referral_updates", "note", uid, note),
            },
        )
        details: dict[str, Any] = {"from": before, "to": state, "case": case_id}
        if reason is not None:
            details["reason"] = reason
        b.event(actor.name, f"referral_{state}", "referral", rid, details, at, case_id)
        if state == "sent" and case_status == "assessed":
            change = {"from": "assessed", "to": "referred"}
            b.event(actor.name, "case_status_changed", "case", case_id, change, at, case_id)
            return "referred"
        return case_status


def _bound(b: _Batch, rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> list[BulkEvent]:
    """Each contact's last event carries the states of every row the contact wrote, as they
    are inserted (their final state: ``audit verify`` holds a row against its last event)."""
    events = list(b.events)
    digests = {t: bound_digests(t, names, values) for t, (names, values) in rows.items()}
    for index, ranges in b.spans:
        states = [
            (CODE[t], key, digest)
            for t in BOUND
            if t in ranges
            for key, digest in digests[t][ranges[t][0] : ranges[t][1]]
        ]
        if states:
            events[index] = (*events[index][:7], encode_states(states))
    return events
