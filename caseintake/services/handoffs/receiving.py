"""Receiving a package (issue 24 item 4): refused in one sentence, nothing stored, when it is
over the size limit, not for this line, from an unknown or retired card, expired, already
received, or changed in any byte; else stored encrypted as ``received`` and audited. Accepting
opens a local case from the package's subject, linked to the sender's case number, nothing
typed again; accepting, rejecting and each later step answer with a signed, sealed receipt."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseintake.crypto.handoff import check_header, open_file, read_header
from caseintake.domain.handoff.header import HandoffRefused
from caseintake.domain.handoff.package import PackageBody
from caseintake.domain.handoff.receipt import ReceiptBody, next_status
from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.validation import checked_intake
from caseintake.services.audit.details import belongs_to_case
from caseintake.services.audit.log import AuditLog, PendingEvent
from caseintake.services.cases.writer import CaseWriter
from caseintake.services.core.principal import Principal
from caseintake.services.handoffs.case_record import intake_of
from caseintake.services.handoffs.downloads import Download, delivered, target, where
from caseintake.services.handoffs.files import digest, open_body, seal_body
from caseintake.services.handoffs.matching import candidates
from caseintake.services.handoffs.merging import merge_into
from caseintake.services.handoffs.partners import ThisLineKeys, card_for_party
from caseintake.services.handoffs.receipts import make_receipt
from caseintake.services.handoffs.views import SentFile
from caseintake.store.db import Database
from caseintake.store.models import Case, HandoffRow


def receive(
    db: Database,
    audit: AuditLog,
    principal: Principal,
    me: ThisLineKeys,
    data: bytes,
    now: datetime,
) -> str:
    """Check, open and store one package; returns the hand-off's id here."""
    header = read_header(data)
    check_header(header, "package", me, now)
    try:
        with db.write() as s:
            if _by_package(s, header.id) is not None:
                raise HandoffRefused("handoff.error.replay", id=header.id)
            partner = card_for_party(s, header.sender)
            opened = open_file(data, "package", me, partner.card, now)
            body = PackageBody.from_json(opened.body)
            if body.sender_line != header.sender.line or body.recipient_line != me.code:
                raise HandoffRefused("handoff.error.bad_body")
            row_id = str(uuid.uuid4())
            s.add(
                HandoffRow(
                    id=row_id,
                    package_id=header.id,
                    direction="in",
                    partner_line=header.sender.line,
                    partner_fingerprint=header.sender.key,
                    partner_entry_id=partner.directory_id,
                    case_id=None,
                    referral_id=None,
                    partner_case_number=body.case_number,
                    basis=str(body.basis.get("code", "")),
                    status="received",
                    due_at=body.routing.due,
                    created_at=header.created,
                    expires_at=header.expires,
                    recorded_at=now,
                    updated_at=now,
                    payload=seal_body(principal, row_id, opened.body),
                    file_sha256=digest(data),
                )
            )
            s.flush()
            audit.append(
                s, principal.keys, principal.name, "handoff_received", "handoff", row_id,
                {"package": header.id, "from": header.sender.line, "case": body.case_number,
                 "basis": body.basis.get("code"), "sha256": digest(data)},
            )  # fmt: skip
    except IntegrityError:  # the same package received at the same moment elsewhere
        raise HandoffRefused("handoff.error.replay", id=header.id) from None
    return row_id


def answer(
    db: Database,
    audit: AuditLog,
    principal: Principal,
    me: ThisLineKeys,
    handoff_id: str,
    status: str,
    words: str | None,
    out: Path | Download,
    now: datetime,
    line: str,
    into: str | None = None,
) -> SentFile:
    """Accept, reject or report a step of an incoming hand-off, with its receipt to ``out``.
    Accepting opens a new case, or (``into``, one of the candidates ``matching`` finds, the
    supervisor's choice) adds the package to that case; any other case is refused."""
    events: list[PendingEvent] = []
    merged, found = False, tuple[str, ...]()
    with target(out, db) as placed, db.write() as s:
        row = s.get(HandoffRow, handoff_id)
        if row is None or row.direction != "in":
            raise HandoffRefused("handoff.error.not_found", id=handoff_id)
        next_status(row.status, status)
        number = None
        if status == "accepted":
            opened = _open_case(s, audit, principal, row, now, line, events, into)
            row.case_id, number, merged, found = opened
        elif row.case_id is not None:
            number = _case_number(s, row.case_id)
        body = ReceiptBody(
            package_id=row.package_id,
            sender_case_number=row.partner_case_number or "",
            status=status,
            owner_line=me.code,
            owner_case_number=number,
            reason=words if status == "rejected" else None,
            outcome=words if status != "rejected" else None,
            authored=now,
        )
        before, row.status, row.updated_at = row.status, status, now
        receipt_id, data = make_receipt(s, principal, me, row, body, now)
        placed.place(data)
        details: dict[str, Any] = {"from": before, "receipt": receipt_id, "case": number, "to": row.partner_line,
                   "from_case": row.partner_case_number, "sha256": digest(data), **where(out)}  # fmt: skip
        if status == "accepted":
            details.update({"merged": merged, "candidates": list(found)})
        if row.case_id is not None:  # the words go with the case's details, erased with it
            belongs_to_case(s, "handoff", row.id, row.case_id)
            details.update({"words": words} if words else {})
        events.append((principal.name, f"handoff_{status}", "handoff", row.id, details, None))
        audit.append_many(s, principal.keys, events)
    path, download = delivered(out)
    return SentFile(row.id, receipt_id, path, status, number, merged, found, download)


def _open_case(
    s: Session,
    audit: AuditLog,
    principal: Principal,
    row: HandoffRow,
    now: datetime,
    line: str,
    events: list[PendingEvent],
    into: str | None,
) -> tuple[str, str, bool, tuple[str, ...]]:
    """(the case's id, its number, whether it was an existing one, the candidates found)."""
    body = PackageBody.from_json(open_body(principal, row.id, row.payload))
    found = tuple(m.case_number for m in candidates(s, principal, body.subject))
    try:
        intake = checked_intake(intake_of(body.subject, line, now), now=now)
    except (AttributeError, TypeError, ValueError):
        raise HandoffRefused("handoff.error.bad_body") from None
    priority = body.subject.get("priority") or "medium"
    level = body.subject.get("protection_level") or "support"
    if not (taxonomy.is_code("priority", priority) and taxonomy.is_code("protection_level", level)):
        raise HandoffRefused("handoff.error.bad_body")
    if into is None:
        case_id, number = CaseWriter(audit).open(s, principal, intake, priority, level, now, events)
        return case_id, number, False, found
    chosen = into.strip()
    if not found:
        raise HandoffRefused("handoff_matching.error.no_candidates", case=chosen)
    if chosen not in found:
        raise HandoffRefused(
            "handoff_matching.error.not_candidate", case=chosen, cases=", ".join(found)
        )
    case = s.execute(select(Case).where(Case.number == chosen)).scalar_one()
    merge_into(s, principal, case, intake, body.subject, priority, level, now, events, row.id)
    return case.id, case.number, True, found


def _case_number(s: Session, case_id: str) -> str | None:
    case = s.get(Case, case_id)
    return case.number if case else None


def _by_package(s: Session, package_id: str) -> str | None:
    return s.execute(select(HandoffRow.id).where(HandoffRow.package_id == package_id)).scalar()
