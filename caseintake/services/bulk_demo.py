"""The national line at scale (issue 11 item 1): a decade of contacts written in bulk.

The same rows, ciphertexts and chained audit events as the services write for the same plan
(``domain.synthetic.national_contacts``, replayed through the services by ``demo_replay``; a
test holds the two equal in every aggregate), but one transaction and one executemany per table
per batch: routing, deadlines, field encryption, blind indexes and the audit chain
(``AuditLog.append_many``) are the services' own; only the ORM's unit of work is left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from caseintake.crypto.scoped_details import GENERAL_SCOPE
from caseintake.domain.deadlines import due_at, to_local
from caseintake.domain.intake import Intake
from caseintake.domain.synthetic import (
    CLOSE_REASON,
    OUTCOME,
    STEP_REASON,
    PlannedContact,
    referral_paths,
)
from caseintake.services.bulk_chain import BulkChain, BulkEvent, Signer
from caseintake.services.callers import phone_index
from caseintake.services.container import Services
from caseintake.services.intake import ReferralChoice, referral_row
from caseintake.services.principal import Principal
from caseintake.services.views import join_codes
from caseintake.store.models import (
    AuditEvent,
    Case,
    CaseConcern,
    CaseCounter,
    CaseKeyRow,
    CaseNote,
    Child,
    Contact,
    Perpetrator,
    Referral,
    ReferralUpdate,
)
from caseintake.store.planner_stats import analyse

BATCH = 5_000  # contacts per transaction
SAVED_AFTER = timedelta(minutes=5)  # the save commits a few minutes after the call begins
_STAMP = {
    "sent": "sent_at",
    "acknowledged": "acknowledged_at",
    "in_progress": "in_progress_at",
    "done": "done_at",
    "declined": "declined_at",
    "revoked": "revoked_at",
}
CLOSING = (("in_support", None), ("monitoring", None), ("closed", CLOSE_REASON))
TABLES = (Case, CaseConcern, Child, Perpetrator, Contact, CaseNote, Referral, ReferralUpdate)


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany of plain tuples: the columns' own bind processors (UTC datetimes,
    booleans) applied once per value, without the per-row parameter building of Core."""
    names = list(rows[0])
    dialect = conn.dialect
    procs = [table.c[n].type._cached_bind_processor(dialect) for n in names]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    pairs = list(zip(names, procs, strict=True))
    values = [tuple(p(r[n]) if p else r[n] for n, p in pairs) for r in rows]
    conn.exec_driver_sql(sql, values)


def step_time(received_at: datetime, step: int) -> datetime:
    """When the ``step``-th follow-up of a case is recorded: a day apart, from the call."""
    return received_at + timedelta(days=step, hours=1)


@dataclass
class _Batch:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: list[BulkEvent] = field(default_factory=list)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)


class BulkBuilder:
    """Writes planned contacts for the given operators (and a supervisor for the closures)."""

    def __init__(
        self,
        services: Services,
        operators: list[Principal],
        supervisor: Principal,
        sign: Signer | None = None,
    ) -> None:
        self._svc = services
        self._operators = operators
        self._supervisor = supervisor
        self._keys = supervisor.keys
        self._enc = supervisor.keys.cipher
        # Each user's events are signed with that user's own key, as their sessions would.
        self._keys_of = {p.name: p.keys for p in (*operators, supervisor)}
        self._chain = BulkChain(self._keys, self._keys_of, sign or self._sign_here)
        self._counters: dict[tuple[str, int], int] = {}
        self._phones: dict[str | None, str | None] = {None: None}  # repeat callers: once each

    def _sign_here(self, jobs: list[tuple[str, bytes]]) -> list[bytes]:
        out = []
        for actor, payload in jobs:
            key = self._keys_of[actor].signing
            assert key is not None  # the chain asks only holders of a signing key
            out.append(key.sign(payload))
        return out

    def _phone_index(self, phone: str | None) -> str | None:
        if phone not in self._phones:
            self._phones[phone] = phone_index(self._keys.blind_key, phone)
        return self._phones[phone]

    def write(self, plan: Iterable[PlannedContact], batch: int = BATCH) -> tuple[int, int]:
        """Returns (contacts, cases) written; statistics are refreshed at the end."""
        with self._svc.db.read() as s:
            for row in s.execute(select(CaseCounter)).scalars():
                self._counters[(row.line, row.year)] = row.last
        contacts = cases = 0
        pending = _Batch()
        n = 0
        for planned in plan:
            cases += self._contact(pending, planned)
            contacts += 1
            n += 1
            if n == batch:
                self._flush(pending)
                pending, n = _Batch(), 0
        self._flush(pending)
        with self._svc.db.write() as s:
            analyse(s)
        return contacts, cases

    def _flush(self, batch: _Batch) -> None:
        if not batch.events:
            return
        with self._svc.db.write() as s:
            conn = s.connection()
            for model in TABLES:
                rows = batch.rows.get(model.__tablename__)
                if rows:
                    _insert_many(conn, model.__table__, rows)
            self._save_counters(s)
            self._chain.open(s)  # the chain's tail, read in the transaction that extends it
            chained = self._chain.chain(batch.events)
            if chained.case_keys:
                _insert_many(conn, CaseKeyRow.__table__, chained.case_keys)
            _insert_many(conn, AuditEvent.__table__, chained.events)

    def _save_counters(self, s: Session) -> None:
        known = {(r.line, r.year): r for r in s.execute(select(CaseCounter)).scalars()}
        for (line, year), last in self._counters.items():
            row = known.get((line, year))
            if row is None:
                s.add(CaseCounter(line=line, year=year, last=last))
            else:
                row.last = last
        s.flush()

    def _number(self, line: str, received_at: datetime) -> str:
        year = to_local(received_at).year
        last = self._counters.get((line, year), 0) + 1
        self._counters[(line, year)] = last
        return f"{'111' if line == '111' else 'PL'}-{year}-{last:06d}"

    def _contact(self, b: _Batch, planned: PlannedContact) -> int:
        intake, who = planned.intake, self._operators[planned.operator]
        now = intake.received_at + SAVED_AFTER
        routed = self._svc.routing.decide(intake) if intake.contact_type == "report" else None
        case_id = number = None
        if routed is not None:
            case_id, number = self._case(b, who, intake, routed.decision, now)
        contact_id = str(uuid.uuid4())
        b.add("contacts", self._contact_row(who, intake, contact_id, case_id, now))
        b.events.append(
            (
                who.name,
                "contact_created",
                "contact",
                contact_id,
                {"type": intake.contact_type, "case": number},
                now,
                case_id or GENERAL_SCOPE,
            )
        )
        if case_id is None or routed is None:
            return 0
        if intake.notes:
            note_id = str(uuid.uuid4())
            body = self._enc.encrypt("case_notes", "body", note_id, intake.notes)
            b.add(
                "case_notes",
                {"id": note_id, "case_id": case_id, "author_id": who.user_id, "at": now,
                 "body": body},
            )  # fmt: skip
            event = (who.name, "note_added", "case", case_id, {"note": note_id}, now, case_id)
            b.events.append(event)
        choices = [ReferralChoice.from_proposed(p) for p in routed.referrals]
        paths: tuple[tuple[str, ...], ...] = tuple(() for _ in choices)
        close = False
        if planned.follow_seed is not None:
            paths, close = referral_paths(planned.follow_seed, len(choices))
        case_status = "assessed"
        step = 0
        ref_rows = []
        for choice in choices:
            rid, row = self._referral(b, who, case_id, intake, choice, now)
            ref_rows.append((rid, row))
        for (rid, row), path in zip(ref_rows, paths, strict=True):
            for state in path:
                step += 1
                case_status = self._step(b, who, case_id, rid, row, state, case_status, step)
        if close:
            for to_state, reason in CLOSING:
                step += 1
                actor = self._supervisor if to_state == "closed" else who
                details: dict[str, Any] = {"from": case_status, "to": to_state}
                if reason:
                    details["reason"] = reason
                at = step_time(intake.received_at, step)
                event = (actor.name, "case_status_changed", "case", case_id, details, at, case_id)
                b.events.append(event)
                case_status = to_state
            b.rows["cases"][-1]["closed_at"] = at
        case_row = b.rows["cases"][-1]
        case_row["status"] = case_status
        if step:
            case_row["updated_at"] = step_time(intake.received_at, step)
        for _, row in ref_rows:
            b.add("referrals", row)
        return 1

    def _case(
        self, b: _Batch, who: Principal, intake: Intake, decision: Any, now: datetime
    ) -> tuple[str, str]:
        enc, case_id = self._enc, str(uuid.uuid4())
        number = self._number(intake.line, intake.received_at)
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
            cid = str(uuid.uuid4())
            b.add(
                "children",
                {
                    "id": cid,
                    "case_id": case_id,
                    "position": i,
                    "age": child.age,
                    "age_basis": child.age_basis,
                    "sex": child.sex,
                    "ethnicity": child.ethnicity,
                    "disability": child.disability,
                    "special_circumstances": join_codes(child.special_circumstances),
                    "name": enc.encrypt_opt("children", "name", cid, child.name),
                    "address": enc.encrypt_opt("children", "address", cid, child.address),
                },
            )
        for i, perp in enumerate(intake.perpetrators):
            pid = str(uuid.uuid4())
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
        self._chain.new_scope(case_id)
        b.events.append((who.name, "case_opened", "case", case_id, details, now, case_id))
        return case_id, number

    def _contact_row(
        self, who: Principal, intake: Intake, contact_id: str, case_id: str | None, now: datetime
    ) -> dict[str, Any]:
        enc, caller, data = self._enc, intake.caller, intake.is_data
        return {
            "id": contact_id,
            "received_at": intake.received_at,
            "channel": intake.channel,
            "line": intake.line,
            "contact_type": intake.contact_type,
            "operator_id": who.user_id,
            "duration_seconds": intake.duration_seconds,
            "counselling_topics": join_codes(intake.counselling_topics),
            "caller_relationship": caller.relationship if data else None,
            "caller_age_group": caller.age_group if data else None,
            "caller_sex": caller.sex if data else None,
            "caller_name": enc.encrypt_opt("contacts", "caller_name", contact_id, caller.name),
            "caller_phone": enc.encrypt_opt("contacts", "caller_phone", contact_id, caller.phone),
            "caller_phone_index": self._phone_index(caller.phone),
            "narrative": enc.encrypt_opt(
                "contacts", "narrative", contact_id, intake.narrative or None
            ),
            "notes": None
            if case_id is not None
            else enc.encrypt_opt("contacts", "notes", contact_id, intake.notes or None),
            "case_id": case_id,
            "created_at": now,
        }

    def _referral(
        self,
        b: _Batch,
        who: Principal,
        case_id: str,
        intake: Intake,
        choice: ReferralChoice,
        now: datetime,
    ) -> tuple[str, dict[str, Any]]:
        rid = str(uuid.uuid4())
        due = due_at(intake.received_at, choice.due_spec, self._svc.routing.calendar)
        row: dict[str, Any] = {
            **referral_row(rid, case_id, choice, due, now),
            "reason": None,
            "outcome_note": None,
            **{stamp: None for stamp in _STAMP.values()},
            "in_progress_at": None,
        }
        details = {"body": choice.body, "rules": list(choice.rule_ids), "due": choice.due_spec}
        b.events.append(
            (who.name, "referral_created", "referral", rid, dict(details, case=case_id), now,
             case_id)
        )  # fmt: skip
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
        step: int,
    ) -> str:
        """One follow-up step, as ``ReferralService.transition`` records it."""
        at = step_time(row["created_at"] - SAVED_AFTER, step)
        actor = self._supervisor if state == "revoked" else who
        enc = self._enc
        note = OUTCOME if state == "done" else STEP_REASON.get(state)
        before, row["status"] = row["status"], state
        row[_STAMP[state]] = at
        reason = STEP_REASON.get(state)
        if reason is not None:
            row["reason"] = enc.encrypt("referrals", "reason", rid, reason)
        if state == "done":
            row["outcome_note"] = enc.encrypt("referrals", "outcome_note", rid, OUTCOME)
        uid = str(uuid.uuid4())
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
        b.events.append((actor.name, f"referral_{state}", "referral", rid, details, at, case_id))
        if state == "sent" and case_status == "assessed":
            change = {"from": "assessed", "to": "referred"}
            event = (actor.name, "case_status_changed", "case", case_id, change, at, case_id)
            b.events.append(event)
            return "referred"
        return case_status
