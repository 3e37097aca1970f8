"""Receipts (issue 24 item 5): made at the receiving line for each step, and taken at the
sender, where each moves the hand-off and its referral the same way (accepted → acknowledged,
rejected → declined with the receiver's reason, in_progress, done with the outcome), audited
with the receiver's words in the same transaction; a receipt is taken once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseintake.crypto.handoff import check_header, open_file, party, read_header, seal
from caseintake.domain.handoff.header import HandoffRefused, Header, format_time
from caseintake.domain.handoff.receipt import ReceiptBody, next_status
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.audit.details import belongs_to_case
from caseintake.services.audit.log import AuditLog
from caseintake.services.cases.at_partner import partner_deadlines
from caseintake.services.core.principal import Principal
from caseintake.services.handoffs.files import digest, seal_words
from caseintake.services.handoffs.partners import ThisLineKeys, card_for_party, card_of_partner
from caseintake.services.referrals.service import ReferralService
from caseintake.store.db import Database
from caseintake.store.models import HandoffReceiptRow, HandoffRow, Referral

# A receipt's status as the sender's referral takes it (DESIGN §3 referral states).
REFERRAL_STEP = {
    "accepted": "acknowledged",
    "rejected": "declined",
    "in_progress": "in_progress",
    "done": "done",
}


def make_receipt(
    s: Session, principal: Principal, me: ThisLineKeys, row: HandoffRow, body: ReceiptBody,
    now: datetime, file_id: str | None = None,
) -> tuple[str, bytes]:  # fmt: skip
    """The receipt's bytes, sealed to the partner's card, and its row (``out``)."""
    card = card_of_partner(s, row.partner_line, row.partner_fingerprint)
    header = Header.new("receipt", party(me), party(card), now, file_id=file_id)
    data = seal(header, body.to_json(), me, card)
    words = body.reason if body.status == "rejected" else body.outcome
    s.add(
        HandoffReceiptRow(
            id=header.id,
            handoff_id=row.id,
            direction="out",
            status=body.status,
            authored_at=body.authored,
            recorded_at=now,
            words=seal_words(principal, header.id, words),
            file_sha256=digest(data),
        )
    )
    return header.id, data


def take_receipt(
    db: Database,
    audit: AuditLog,
    referrals: ReferralService,
    principal: Principal,
    me: ThisLineKeys,
    data: bytes,
    now: datetime,
) -> tuple[str, str]:
    """Check, open and apply one receipt; returns (the hand-off's id, its new status)."""
    header = read_header(data)
    check_header(header, "receipt", me, now)
    try:
        with db.write() as s:
            if s.get(HandoffReceiptRow, header.id) is not None:
                raise HandoffRefused("handoff.error.replay", id=header.id)
            partner = card_for_party(s, header.sender)
            opened = open_file(data, "receipt", me, partner.card, now)
            body = ReceiptBody.from_json(opened.body)
            if body.owner_line != header.sender.line:
                raise HandoffRefused("handoff.error.bad_body")
            row = s.execute(
                select(HandoffRow).where(
                    HandoffRow.package_id == body.package_id, HandoffRow.direction == "out"
                )
            ).scalar()
            if row is None or (row.partner_line, row.partner_fingerprint) != (
                header.sender.line,
                header.sender.key,
            ):
                raise HandoffRefused("handoff.error.receipt_unknown", id=body.package_id)
            before, row.status = row.status, next_status(row.status, body.status)
            row.updated_at = now
            if body.owner_case_number:
                row.partner_case_number = body.owner_case_number
            words = body.reason if body.status == "rejected" else body.outcome
            s.add(
                HandoffReceiptRow(
                    id=header.id,
                    handoff_id=row.id,
                    direction="in",
                    status=body.status,
                    authored_at=body.authored,
                    recorded_at=now,
                    words=seal_words(principal, header.id, words),
                    file_sha256=digest(data),
                )
            )
            s.flush()
            _move_referral(s, referrals, principal, row, body, now)
            late = _late_by(s, row.id, body.status, now)  # an acceptance past its deadline
            if row.case_id is not None:  # the receiver's words go with the case's details
                belongs_to_case(s, "handoff", row.id, row.case_id)
            audit.append(
                s, principal.keys, principal.name, "handoff_receipt", "handoff", row.id,
                {"from": before, "to": body.status, "receipt": header.id, "case": row.case_id,
                 "partner": header.sender.line, "partner_case": body.owner_case_number,
                 "sha256": digest(data), **({"words": words} if words else {}), **late},
            )  # fmt: skip
    except IntegrityError:
        raise HandoffRefused("handoff.error.replay", id=header.id) from None
    return row.id, row.status


def _late_by(s: Session, handoff_id: str, status: str, now: datetime) -> dict[str, object]:
    """For an acceptance signed after its deadline: the deadline and how late, in seconds,
    by the receipt's signed time (domain.handoff.deadlines), kept in the receipt's event."""
    if status != "accepted":
        return {}
    [found] = partner_deadlines(s, now, handoff_ids=[handoff_id])
    state = found.state
    if state.late_by is None or state.accept_by is None:
        return {}
    return {
        "accept_by": format_time(state.accept_by),
        "late_by": int(state.late_by.total_seconds()),
    }


def _move_referral(
    s: Session,
    referrals: ReferralService,
    principal: Principal,
    row: HandoffRow,
    body: ReceiptBody,
    now: datetime,
) -> None:
    """The referral follows the receipt, unless someone already recorded that step by hand."""
    if row.referral_id is None:
        return
    referral = s.get(Referral, row.referral_id)
    step = REFERRAL_STEP[body.status]
    if referral is None or referral.status == step:
        return
    note = f"{row.partner_line} {body.owner_case_number or ''}".strip()
    follow = FollowUp(step, note=note, outcome=body.outcome, reason=body.reason)
    referrals.apply_in(s, principal, referral.id, follow, now)
