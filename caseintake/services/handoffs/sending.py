"""Sending one referral of a case to a partner line as a package (issue 24 item 3): the case
minimised by the receiving body's profile, the legal basis checked, the routing decision with
its citations and deadline, the case number and the audit chain's head; signed by this line,
sealed to the partner's card, written to a new file; the referral moves to ``sent``, and the
hand-off, its body and the file's digest are recorded and audited in the same transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.handoff import party, seal
from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.basis import Consent, check_basis
from caseintake.domain.handoff.header import HandoffRefused, Header
from caseintake.domain.handoff.package import PackageBody, Routing
from caseintake.domain.handoff.profiles import profile_for_body
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.domain.routing.citations import basis_texts
from caseintake.i18n import t
from caseintake.services.audit.details import belongs_to_case
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.handoffs.case_record import case_record
from caseintake.services.handoffs.downloads import Download, delivered, target, where
from caseintake.services.handoffs.files import digest, seal_body
from caseintake.services.handoffs.partners import ThisLineKeys, card_for_entry
from caseintake.services.handoffs.views import SentFile
from caseintake.services.referrals.service import ReferralService
from caseintake.store.db import Database
from caseintake.store.models import AuditEvent, Case, DirectoryEntryRow, HandoffRow, Referral

SENDABLE = ("pending", "sent")  # a referral already sent by phone may follow as a package


def send(
    db: Database,
    audit: AuditLog,
    referrals: ReferralService,
    principal: Principal,
    me: ThisLineKeys,
    case_number: str,
    directory_id: str,
    basis: str,
    out: Path | Download,
    now: datetime,
    consent: Consent | None = None,
) -> SentFile:
    with target(out, db) as placed, db.write() as s:
        case = s.execute(select(Case).where(Case.number == case_number.strip())).scalar()
        if case is None:
            raise DomainError("cases.not_found", case=case_number)
        entry = s.get(DirectoryEntryRow, directory_id)
        if entry is None or not entry.active:
            raise DomainError("admin.directory.no_entry", id=directory_id)
        partner = card_for_entry(s, directory_id)
        referral = _referral(s, case.id, directory_id)
        profile = profile_for_body(entry.body)
        record = case_record(s, principal, case)
        legal = check_basis(basis, profile, record, consent)
        head = s.execute(
            select(AuditEvent.seq, AuditEvent.mac).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        header = Header.new("package", party(me), party(partner.card), now)
        body = PackageBody(
            case_number=case.number,
            sender_line=me.code,
            recipient_line=partner.code,
            directory_id=directory_id,
            routing=Routing(
                rule_id=referral.rule_ids,
                body=referral.body,
                citations=tuple(basis_texts(referral.basis.splitlines(), "vi")),
                due=referral.due_at,
            ),
            basis=legal,
            profile_id=profile.id,
            profile_source=profile.source,
            subject=profile.minimise(record),
            audit_seq=head[0] if head else 0,
            audit_mac=bytes(head[1]).hex() if head else "",
            authored=now,
        ).to_json()
        data = seal(header, body, me, partner.card)
        row_id = str(uuid.uuid4())
        s.add(
            HandoffRow(
                id=row_id,
                package_id=header.id,
                direction="out",
                partner_line=partner.code,
                partner_fingerprint=partner.fingerprint,
                partner_entry_id=directory_id,
                case_id=case.id,
                referral_id=referral.id,
                partner_case_number=None,
                basis=basis,
                status="sent",
                due_at=referral.due_at,
                created_at=header.created,
                expires_at=header.expires,
                recorded_at=now,
                updated_at=now,
                payload=seal_body(principal, row_id, body),
                file_sha256=digest(data),
            )
        )
        s.flush()
        if referral.status == "pending":
            referrals.apply_in(
                s, principal, referral.id, FollowUp("sent", note=f"handoff {header.id}"), now
            )
        placed.place(data)
        belongs_to_case(s, "handoff", row_id, case.id)  # its details go with the case's
        audit.append(
            s, principal.keys, principal.name, "handoff_sent", "handoff", row_id,
            {"case": case.id, "package": header.id, "to": partner.code, "entry": directory_id,
             "basis": basis, "profile": profile.id, "sha256": digest(data),
             **consent_words(legal, principal.language), **where(out)},
        )  # fmt: skip
    path, download = delivered(out)
    return SentFile(row_id, header.id, path, "sent", case.number, data=download)


def _referral(s: Session, case_id: str, directory_id: str) -> Referral:
    rows = s.execute(
        select(Referral).where(
            Referral.case_id == case_id,
            Referral.directory_entry_id == directory_id,
            Referral.status.in_(SENDABLE),
        )
    ).scalars()
    found = next(iter(rows), None)
    if found is None:
        raise HandoffRefused("handoff.error.no_referral", entry=directory_id)
    taken = s.execute(
        select(HandoffRow.id).where(
            HandoffRow.referral_id == found.id, HandoffRow.status != "rejected"
        )
    ).first()
    if taken is not None:
        raise HandoffRefused("handoff.error.already_sent", entry=directory_id)
    return found


def consent_words(legal: dict[str, Any], lang: str) -> dict[str, str]:
    """A consent basis in the audit event, in words: who agreed for the child, and whether
    each child aged 7 or over agreed or none is of that age (DOMAIN §6)."""
    given = legal.get("consent")
    if not given:
        return {}
    who = t(f"handoff_browser.consent.{given['representative']}", lang)
    code = "child_agreed" if given["child"] else "no_child_of_age"
    if not given["child_needed"] and given["child"]:
        code = "child_agreed_not_needed"
    return {"consent": t(f"handoff_browser.consent.{code}", lang, who=who)}
