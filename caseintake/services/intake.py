"""Saving a contact: contact, case, children, perpetrators, referrals and audit in one transaction.

The service validates again whatever it is given (the TUI and the CLI already did), so every
entry point obeys the same rules (STYLE §6).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseintake.domain import states
from caseintake.domain.deadlines import due_at, to_local
from caseintake.domain.errors import DomainError
from caseintake.domain.intake import Intake
from caseintake.domain.validation import parse_intake
from caseintake.services.audit_log import AuditLog
from caseintake.services.callers import phone_index
from caseintake.services.principal import Principal
from caseintake.services.routing import ProposedReferral, RoutingService
from caseintake.services.settings import Settings
from caseintake.services.views import SavedContact, join_codes
from caseintake.store.db import Database
from caseintake.store.models import (
    Case,
    CaseConcern,
    CaseCounter,
    Child,
    Contact,
    Draft,
    Perpetrator,
    Referral,
)

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

    def log_non_data(
        self,
        principal: Principal,
        contact_type: str,
        received_at: datetime,
        duration_seconds: int | None,
        channel: str = "phone",
    ) -> SavedContact:
        """A silent call, hang-up, prank, wrong number or thanks: time and duration only."""
        intake = Intake(
            received_at=received_at,
            contact_type=contact_type,
            channel=channel,
            duration_seconds=duration_seconds,
        )
        return self.save(principal, intake, [])

    def save(
        self,
        principal: Principal,
        intake: Intake,
        referrals: list[ReferralChoice] | None = None,
        draft_id: str | None = None,
    ) -> SavedContact:
        principal.require(*INTAKE_ROLES)
        intake = parse_intake(intake.to_json(), now=self._settings.clock())
        routed = self._routing.decide(intake) if intake.is_data else None
        decision = routed.decision if routed else None
        if referrals is None:
            referrals = (
                [ReferralChoice.from_proposed(p) for p in routed.referrals] if routed else []
            )
        now = self._settings.clock()
        keys, enc = principal.keys, principal.keys.cipher
        contact_id = str(uuid.uuid4())
        with self._db.write() as s:
            case_id, number = intake.case_id, None
            if case_id is not None:
                case = s.get(Case, case_id)
                if case is None:
                    raise DomainError("intake.no_such_case", case=case_id)
                number = case.number
            elif intake.contact_type == "report" and decision is not None:
                case_id, number = self._open_case(
                    s, principal, intake, decision.priority, decision.protection_level, now
                )
            phone = intake.caller.phone
            s.add(
                Contact(
                    id=contact_id,
                    received_at=intake.received_at,
                    channel=intake.channel,
                    line=intake.line,
                    contact_type=intake.contact_type,
                    operator_id=principal.user_id,
                    duration_seconds=intake.duration_seconds,
                    counselling_topics=join_codes(intake.counselling_topics),
                    caller_relationship=intake.caller.relationship if intake.is_data else None,
                    caller_name=enc.encrypt_opt(
                        "contacts", "caller_name", contact_id, intake.caller.name
                    ),
                    caller_phone=enc.encrypt_opt("contacts", "caller_phone", contact_id, phone),
                    caller_phone_index=phone_index(keys.blind_key, phone),
                    case_id=case_id,
                    created_at=now,
                )
            )
            s.flush()
            self._audit.append(
                s,
                keys,
                principal.name,
                "contact_created",
                "contact",
                contact_id,
                {"type": intake.contact_type, "case": number},
            )
            created = 0
            if case_id is not None:
                created = self._referrals(s, principal, case_id, intake.received_at, referrals, now)
            if draft_id is not None:
                s.execute(
                    delete(Draft).where(Draft.id == draft_id, Draft.user_id == principal.user_id)
                )
        return SavedContact(contact_id, case_id, number, created)

    def _open_case(
        self,
        s: Session,
        principal: Principal,
        intake: Intake,
        priority: str,
        level: str,
        now: datetime,
    ) -> tuple[str, str]:
        enc = principal.keys.cipher
        case_id = str(uuid.uuid4())
        number = self._next_number(s, intake.line, intake.received_at)
        s.add(
            Case(
                id=case_id,
                number=number,
                line=intake.line,
                status="assessed",  # the call itself is the hotline's initial assessment
                priority=priority,
                protection_level=level,
                setting=intake.setting,
                province_code=intake.location.province_code,
                ward_code=intake.location.ward_code,
                immediate_danger=intake.immediate_danger,
                narrative=enc.encrypt("cases", "narrative", case_id, intake.narrative),
                assigned_to=principal.user_id,
                opened_at=now,
                updated_at=now,
            )
        )
        s.flush()
        for concern in dict.fromkeys(intake.concerns):
            s.add(CaseConcern(case_id=case_id, concern=concern))
        for i, child in enumerate(intake.children):
            cid = str(uuid.uuid4())
            s.add(
                Child(
                    id=cid,
                    case_id=case_id,
                    position=i,
                    age=child.age,
                    age_basis=child.age_basis,
                    sex=child.sex,
                    ethnicity=child.ethnicity,
                    disability=child.disability,
                    special_circumstances=join_codes(child.special_circumstances),
                    name=enc.encrypt_opt("children", "name", cid, child.name),
                    address=enc.encrypt_opt("children", "address", cid, child.address),
                )
            )
        for i, perp in enumerate(intake.perpetrators):
            pid = str(uuid.uuid4())
            s.add(
                Perpetrator(
                    id=pid,
                    case_id=case_id,
                    position=i,
                    relationship=perp.relationship,
                    name=enc.encrypt_opt("perpetrators", "name", pid, perp.name),
                )
            )
        self._audit.append(
            s,
            principal.keys,
            principal.name,
            "case_opened",
            "case",
            case_id,
            {"number": number, "priority": priority, "concerns": list(intake.concerns)},
        )
        return case_id, number

    def _referrals(
        self,
        s: Session,
        principal: Principal,
        case_id: str,
        received_at: datetime,
        choices: list[ReferralChoice],
        now: datetime,
    ) -> int:
        created = 0
        for choice in choices:
            details = {"body": choice.body, "rules": list(choice.rule_ids), "due": choice.due_spec}
            if choice.removed_reason is not None:
                details["reason"] = choice.removed_reason
                self._audit.append(
                    s, principal.keys, principal.name, "referral_removed", "case", case_id, details
                )
                continue
            rid = str(uuid.uuid4())
            s.add(
                Referral(
                    id=rid,
                    case_id=case_id,
                    body=choice.body,
                    directory_entry_id=choice.entry_id,
                    province_code=choice.province_code,
                    ward_code=choice.ward_code,
                    due_spec=choice.due_spec,
                    due_at=due_at(received_at, choice.due_spec, self._routing.calendar),
                    rule_ids=join_codes(choice.rule_ids),
                    basis="\n".join(choice.basis),
                    added_by_operator=choice.added_by_operator,
                    status="pending",
                    created_at=now,
                )
            )
            s.flush()
            action = "referral_added" if choice.added_by_operator else "referral_created"
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                action,
                "referral",
                rid,
                dict(details, case=case_id),
            )
            created += 1
        if created:
            case = s.get(Case, case_id)
            if case is not None and case.status == "assessed":
                states.transition("case", "assessed", "referred", principal.role)
                case.status, case.updated_at = "referred", now
                self._audit.append(
                    s,
                    principal.keys,
                    principal.name,
                    "case_status_changed",
                    "case",
                    case_id,
                    {"from": "assessed", "to": "referred"},
                )
        return created

    @staticmethod
    def _next_number(s: Session, line: str, received_at: datetime) -> str:
        """``111-2026-000123``: per line and year, gapless because writes are serialised."""
        year = to_local(received_at).year
        counter = s.execute(
            select(CaseCounter).where(CaseCounter.line == line, CaseCounter.year == year)
        ).scalar_one_or_none()
        if counter is None:
            counter = CaseCounter(line=line, year=year, last=0)
            s.add(counter)
        counter.last += 1
        prefix = "111" if line == "111" else "PL"
        return f"{prefix}-{year}-{counter.last:06d}"
