"""Saving a contact: contact, case, children, perpetrators, referrals and audit in one transaction.

Every contact keeps its own words (narrative, encrypted) whatever its type; the operator's notes
become the case's note when there is a case, else stay on the contact. A call linked to a case
brings the case up to date and merges its referrals with the open ones (``referral_merge``).

The service validates again whatever it is given (the TUI and the CLI already did), so every
entry point obeys the same rules (STYLE §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.key_ring import KeyRingError
from caseintake.domain.errors import DomainError
from caseintake.domain.ids import new_id
from caseintake.domain.intake.record import Caller, Intake
from caseintake.domain.intake.validation import checked_intake
from caseintake.domain.referrals.deadlines import due_at
from caseintake.domain.referrals.merge import OpenReferral, merge_referrals
from caseintake.services.audit.details import belongs_to_case
from caseintake.services.audit.log import AuditLog, PendingEvent
from caseintake.services.cases.callers import phone_index
from caseintake.services.cases.child_pins import pin_rows
from caseintake.services.cases.queries import OPEN_REFERRAL_STATES
from caseintake.services.cases.writer import CaseWriter, child_values
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.core.views import SavedContact, join_codes, split_codes
from caseintake.services.routing.decisions import ProposedReferral, RoutingService
from caseintake.store.db import Database
from caseintake.store.fast_sql import insert_rows
from caseintake.store.models import Case, ChildPin, Contact, ContactChild, Draft, Referral
from caseintake.store.planner_stats import PlannerStats

INTAKE_ROLES = ("operator", "supervisor")


@dataclass(frozen=True)
class ReferralChoice:
    """A referral as the operator confirmed, removed (with a reason) or added it."""

    body: str
    province_code: int | None
    ward_code: int | None
    due_spec: str
    rule_ids: tuple[str, ...]
    basis: tuple[str, ...]
    entry_id: str | None
    removed_reason: str | None = None
    added_by_operator: bool = False

    @classmethod
    def from_proposed(cls, p: ProposedReferral) -> ReferralChoice:
        return cls(
            p.plan.body,
            p.plan.area.province_code,
            p.plan.area.ward_code,
            p.plan.due_spec,
            p.plan.rule_ids,
            p.plan.basis,
            p.entry.id if p.entry else None,
        )


class IntakeService:
    def __init__(
        self, db: Database, settings: Settings, audit: AuditLog, routing: RoutingService
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._routing = routing
        self._cases = CaseWriter(audit)
        self._planner = PlannerStats(db)

    def log_non_data(
        self,
        principal: Principal,
        contact_type: str,
        received_at: datetime,
        duration_seconds: int | None,
        channel: str = "phone",
        phone: str | None = None,
    ) -> SavedContact:
        """A silent call, hang-up, prank, wrong number, thanks or dropped call: time, duration
        and, when the operator has it, the phone (repeated silent calls are a sign too)."""
        intake = Intake(
            received_at=received_at,
            contact_type=contact_type,
            channel=channel,
            duration_seconds=duration_seconds,
            caller=Caller(phone=phone or None),
        )
        return self.save(principal, intake, [])

    def save(
        self,
        principal: Principal,
        intake: Intake,
        referrals: list[ReferralChoice] | None = None,
        draft_id: str | None = None,
    ) -> SavedContact:
        """Save one contact in one transaction. A session from before a key rotation picks up
        the new key at its first write, and that write is refused once so that nothing under
        the old key is committed (services/audit/details.py): the save is simply made again,
        so the operator on a call never sees it."""
        try:
            return self._save(principal, intake, referrals, draft_id)
        except KeyRingError as err:
            if err.key != "keys.rotated_retry":
                raise
            return self._save(principal, intake, referrals, draft_id)

    def _save(
        self,
        principal: Principal,
        intake: Intake,
        referrals: list[ReferralChoice] | None,
        draft_id: str | None,
    ) -> SavedContact:
        principal.require(*INTAKE_ROLES)
        intake = checked_intake(intake, now=self._settings.clock())
        routed = self._routing.decide(intake) if intake.is_data else None
        decision = routed.decision if routed else None
        if referrals is None:
            referrals = (
                [ReferralChoice.from_proposed(p) for p in routed.referrals] if routed else []
            )
        now = self._settings.clock()
        contact_id = new_id()
        # The save's audit events go in together at the end (AuditLog.append_many), in order.
        events: list[PendingEvent] = []
        with self._db.write() as s:
            case_id, number, fresh = intake.case_id, None, False
            if case_id is not None:
                # The case number every screen shows (111-2026-000001) or the internal id.
                case = (
                    s.get(Case, case_id)
                    or s.execute(
                        select(Case).where(Case.number == case_id.strip())
                    ).scalar_one_or_none()
                )
                if case is None:
                    raise DomainError("intake.no_such_case", case=case_id)
                case_id, number = case.id, case.number
                if intake.is_data:
                    priority = decision.priority if decision else None
                    level = decision.protection_level if decision else None
                    self._cases.update(s, principal, case, intake, priority, level, now, events)
            elif decision is not None and _opens_case(intake, referrals):
                case_id, number = self._cases.open(
                    s, principal, intake, decision.priority, decision.protection_level, now, events
                )
                fresh = True
            self._add_contact(s, principal, intake, contact_id, case_id, now)
            if case_id is not None:  # its events are the case's: no query to find out
                belongs_to_case(s, "contact", contact_id, case_id)
            details = {"type": intake.contact_type, "case": number}
            events.append((principal.name, "contact_created", "contact", contact_id, details, None))
            if case_id is not None and intake.notes:
                self._cases.add_note(s, principal, case_id, intake.notes, now, events)
            created = 0
            if case_id is not None:
                created = self._referrals(
                    s, principal, case_id, intake.received_at, referrals, now, events, fresh
                )
            if draft_id is not None:
                s.execute(
                    delete(Draft).where(Draft.id == draft_id, Draft.user_id == principal.user_id)
                )
            self._audit.append_many(s, principal.keys, events)
        self._planner.wrote()
        return SavedContact(contact_id, case_id, number, created)

    @staticmethod
    def _add_contact(
        s: Session,
        principal: Principal,
        intake: Intake,
        contact_id: str,
        case_id: str | None,
        now: datetime,
    ) -> None:
        index = phone_index(principal.keys.blind_key, intake.caller.phone)
        enc = principal.keys.cipher
        row = contact_row(enc, intake, contact_id, case_id, principal.user_id, index, now)
        insert_rows(s.connection(), Contact.__table__, [row])
        if case_id is None and intake.is_data and intake.children:  # the case keeps its own
            kids = [
                child_values(enc, new_id(), contact_id, i, child, table="contact_children")
                for i, child in enumerate(intake.children)
            ]
            insert_rows(s.connection(), ContactChild.__table__, kids)
            pins = pin_rows(principal.keys, kids, intake.children)
            insert_rows(s.connection(), ChildPin.__table__, pins)

    def _referrals(
        self,
        s: Session,
        principal: Principal,
        case_id: str,
        received_at: datetime,
        choices: list[ReferralChoice],
        now: datetime,
        events: list[PendingEvent],
        fresh: bool = False,
    ) -> int:
        """Removed choices are audited; the rest merge with the case's open referrals."""
        kept = []
        for choice in choices:
            if choice.removed_reason is None:
                kept.append((choice, due_at(received_at, choice.due_spec, self._routing.calendar)))
                continue
            details = {"body": choice.body, "rules": list(choice.rule_ids), "due": choice.due_spec}
            details["reason"] = choice.removed_reason
            events.append((principal.name, "referral_removed", "case", case_id, details, None))
        open_rows = (
            {}  # a case opened by this very call has nothing open yet: no query, no flush
            if fresh
            else {
                r.id: r
                for r in s.execute(
                    select(Referral).where(
                        Referral.case_id == case_id, Referral.status.in_(OPEN_REFERRAL_STATES)
                    )
                ).scalars()
            }
        )
        steps = merge_referrals(
            [
                OpenReferral(r.id, r.body, r.province_code, r.ward_code, r.due_at)
                for r in open_rows.values()
            ],
            [(c.body, c.province_code, c.ward_code, due) for c, due in kept],
        )
        created = 0
        for step in steps:
            choice, due = kept[step.index]
            if step.step == "create":
                self._create_referral(s, principal, case_id, choice, due, now, events)
                created += 1
            elif step.step == "tighten" and step.open_id is not None:
                self._tighten(open_rows[step.open_id], choice, due, principal, events)
        return created

    def _create_referral(
        self,
        s: Session,
        principal: Principal,
        case_id: str,
        choice: ReferralChoice,
        due: datetime,
        now: datetime,
        events: list[PendingEvent],
    ) -> None:
        rid = new_id()
        insert_rows(
            s.connection(), Referral.__table__, [referral_row(rid, case_id, choice, due, now)]
        )
        action = "referral_added" if choice.added_by_operator else "referral_created"
        details = {"body": choice.body, "rules": list(choice.rule_ids), "due": choice.due_spec}
        events.append((principal.name, action, "referral", rid, dict(details, case=case_id), None))

    @staticmethod
    def _tighten(
        row: Referral,
        choice: ReferralChoice,
        due: datetime,
        principal: Principal,
        events: list[PendingEvent],
    ) -> None:
        """A shorter deadline for a desk already referred: the open referral takes it."""
        before = (row.due_spec, row.due_at.isoformat() if row.due_at else None)
        row.due_spec, row.due_at = choice.due_spec, due
        row.rule_ids = join_codes(
            tuple(dict.fromkeys((*split_codes(row.rule_ids), *choice.rule_ids)))
        )
        lines = row.basis.splitlines()
        row.basis = "\n".join(dict.fromkeys((*lines, *choice.basis)))
        details = {"from": list(before), "to": [choice.due_spec, due.isoformat()]}
        events.append(
            (
                principal.name,
                "referral_deadline_tightened",
                "referral",
                row.id,
                dict(details, case=row.case_id),
                None,
            )
        )


def _opens_case(intake: Intake, referrals: list[ReferralChoice]) -> bool:
    """A report opens a case; a follow-up that is not linked opens one when it discloses
    something to refer (its new concerns are a report, Decree 56/2017 ch. III)."""
    if intake.contact_type == "report":
        return True
    wanted = any(c.removed_reason is None for c in referrals)
    return intake.contact_type == "follow_up" and wanted


def contact_row(
    enc: FieldCipher,
    intake: Intake,
    contact_id: str,
    case_id: str | None,
    operator_id: str,
    phone_index: str | None,
    now: datetime,
) -> dict[str, Any]:
    """A contact's columns, its words encrypted, for the save and the bulk builder alike."""
    caller, data = intake.caller, intake.is_data
    return {
        "id": contact_id,
        "received_at": intake.received_at,
        "channel": intake.channel,
        "line": intake.line,
        "contact_type": intake.contact_type,
        "operator_id": operator_id,
        "duration_seconds": intake.duration_seconds,
        "counselling_topics": join_codes(intake.counselling_topics),
        "caller_relationship": caller.relationship if data else None,
        "caller_age_group": caller.age_group if data else None,
        "caller_sex": caller.sex if data else None,
        "caller_name": enc.encrypt_opt("contacts", "caller_name", contact_id, caller.name),
        "caller_phone": enc.encrypt_opt("contacts", "caller_phone", contact_id, caller.phone),
        "caller_phone_index": phone_index,
        "narrative": enc.encrypt_opt("contacts", "narrative", contact_id, intake.narrative or None),
        # With a case, the notes become the case's note (one place to read them).
        "notes": None
        if case_id is not None
        else enc.encrypt_opt("contacts", "notes", contact_id, intake.notes or None),
        "case_id": case_id,
        "created_at": now,
        # A call without a case keeps what it told (issue 19 item 2); with one, the case does.
        **_facts(intake if data and case_id is None else None),
    }


def _facts(intake: Intake | None) -> dict[str, Any]:
    if intake is None:
        return {
            "setting": None,
            "province_code": None,
            "ward_code": None,
            "concerns": "",
            "immediate_danger": False,
        }
    return {
        "setting": intake.setting,
        "province_code": intake.location.province_code,
        "ward_code": intake.location.ward_code,
        "concerns": join_codes(tuple(dict.fromkeys(intake.concerns))),
        "immediate_danger": intake.immediate_danger,
    }


def referral_row(
    rid: str, case_id: str, choice: ReferralChoice, due: datetime, now: datetime
) -> dict[str, Any]:
    """A new pending referral's columns, for the save and the bulk builder alike."""
    return {
        "id": rid,
        "case_id": case_id,
        "body": choice.body,
        "directory_entry_id": choice.entry_id,
        "province_code": choice.province_code,
        "ward_code": choice.ward_code,
        "due_spec": choice.due_spec,
        "due_at": due,
        "rule_ids": join_codes(choice.rule_ids),
        "basis": "\n".join(choice.basis),
        "added_by_operator": choice.added_by_operator,
        "status": "pending",
        "created_at": now,
    }
