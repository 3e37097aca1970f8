"""Writing a referral slip for one referral, as plain text or PDF (issue 8, item 7). Every slip
is audited, with whether the caller's identity was included; only a supervisor may include it.
The file is written only where the user asks, readable by its owner alone (DESIGN §4), the one
way files leave (``core.new_files``: a new file, never over anything); in the browser the slip
goes to the user as a download instead (``deliver``) and nothing is written on the server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.slip import Slip, SlipCall, SlipChild, SlipStep, slip_text
from caseintake.domain.referrals.states import REFERRAL_STATES
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.new_files import new_file
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.referrals.slip_pdf import pdf_bytes
from caseintake.services.routing.decisions import RoutingService
from caseintake.store.db import Database
from caseintake.store.models import (
    Case,
    CaseConcern,
    Child,
    Contact,
    DirectoryEntryRow,
    Referral,
    ReferralUpdate,
)

SLIP_FORMATS = ("text", "pdf")
_SUFFIX = {"text": "txt", "pdf": "pdf"}


def slip_bytes(slip: Slip, fmt: str) -> bytes:
    return pdf_bytes(slip) if fmt == "pdf" else slip_text(slip).encode("utf-8")


def slip_file_name(case_number: str, fmt: str) -> str:
    """The name a downloaded slip gets: the case number, never anything typed."""
    safe = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in case_number)
    return f"phieu-chuyen-{safe}.{_SUFFIX.get(fmt, 'txt')}"


class ReferralSlipService:
    def __init__(
        self, db: Database, settings: Settings, audit: AuditLog, routing: RoutingService
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._routing = routing

    def write(
        self,
        principal: Principal,
        referral_id: str,
        out: Path,
        fmt: str = "text",
        include_caller: bool = False,
    ) -> Slip:
        """Write the slip to ``out``, a new file, and audit it in the same transaction as the
        reading; the event is committed only with the file, the file kept only with it."""
        self._check(principal, fmt, include_caller)
        with new_file(out, self._db) as target, self._db.write() as s:
            slip, case_id = self._read(s, principal, referral_id, include_caller)
            target.place(slip_bytes(slip, fmt))
            where = {"out": str(out)}
            self._audited(s, principal, referral_id, case_id, fmt, include_caller, where)
        return slip

    def deliver(
        self,
        principal: Principal,
        referral_id: str,
        fmt: str = "text",
        include_caller: bool = False,
    ) -> tuple[Slip, str, bytes]:
        """The slip as bytes for a browser download (its name, its bytes), audited as
        delivered; nothing is written on this machine."""
        self._check(principal, fmt, include_caller)
        with self._db.write() as s:
            slip, case_id = self._read(s, principal, referral_id, include_caller)
            data = slip_bytes(slip, fmt)
            name = slip_file_name(slip.case_number, fmt)
            where = {"download": name}
            self._audited(s, principal, referral_id, case_id, fmt, include_caller, where)
        return slip, name, data

    def _check(self, principal: Principal, fmt: str, include_caller: bool) -> None:
        principal.require("operator", "supervisor")
        if include_caller and principal.role != "supervisor":
            raise DomainError("supervisor.slip.caller_supervisor_only")
        if fmt not in SLIP_FORMATS:
            raise DomainError("supervisor.slip.bad_format", fmt=fmt)

    def _audited(
        self,
        s: Session,
        principal: Principal,
        referral_id: str,
        case_id: str,
        fmt: str,
        include_caller: bool,
        where: dict[str, str],
    ) -> None:
        self._audit.append(
            s,
            principal.keys,
            principal.name,
            "referral_slip_written",
            "referral",
            referral_id,
            {"case": case_id, "format": fmt, "caller": include_caller, **where},
        )

    def _read(
        self, s: Session, principal: Principal, referral_id: str, include_caller: bool
    ) -> tuple[Slip, str]:
        hotline = next((e for e in self._routing.entries() if e.body == "hotline_111"), None)
        enc = principal.keys.cipher
        ref = s.get(Referral, referral_id)
        if ref is None:
            raise DomainError("supervisor.referral_not_found", referral=referral_id)
        case = s.get(Case, ref.case_id)
        assert case is not None  # a referral's case is a foreign key
        entry = s.get(DirectoryEntryRow, ref.directory_entry_id) if ref.directory_entry_id else None
        children = tuple(
            SlipChild(c.age, c.sex)
            for c in s.execute(
                select(Child).where(Child.case_id == case.id).order_by(Child.position)
            ).scalars()
        )
        concerns = tuple(
            s.execute(
                select(CaseConcern.concern)
                .where(CaseConcern.case_id == case.id)
                .order_by(CaseConcern.concern)
            ).scalars()
        )
        calls = tuple(
            SlipCall(
                c.received_at, enc.decrypt_opt("contacts", "narrative", c.id, c.narrative) or ""
            )
            for c in s.execute(
                select(Contact)
                .where(Contact.case_id == case.id)
                .order_by(Contact.received_at, Contact.id)
            ).scalars()
        )
        updates = s.execute(
            select(ReferralUpdate).where(ReferralUpdate.referral_id == ref.id)
        ).scalars()
        # No way back in the referral machine: within one instant, the earlier state first.
        ordered = sorted(updates, key=lambda u: (u.at, REFERRAL_STATES.index(u.from_status)))
        steps = tuple(
            SlipStep(
                u.at,
                u.to_status,
                u.via,
                enc.decrypt_opt("referral_updates", "contacted", u.id, u.contacted),
                enc.decrypt_opt("referral_updates", "note", u.id, u.note),
            )
            for u in ordered
        )
        caller_name = caller_phone = None
        if include_caller:
            first = s.execute(
                select(Contact)
                .where(Contact.case_id == case.id)
                .order_by(Contact.received_at)
                .limit(1)
            ).scalar()
            if first is not None:
                caller_name = enc.decrypt_opt(
                    "contacts", "caller_name", first.id, first.caller_name
                )
                caller_phone = enc.decrypt_opt(
                    "contacts", "caller_phone", first.id, first.caller_phone
                )
        return Slip(
            case_number=case.number,
            body=ref.body,
            entry_name=entry.name if entry else None,
            children=children,
            concerns=concerns,
            province_code=case.province_code,
            ward_code=case.ward_code,
            narrative=enc.decrypt_opt("cases", "narrative", case.id, case.narrative) or "",
            due_spec=ref.due_spec,
            due_at=ref.due_at,
            basis=tuple(ref.basis.splitlines()),
            hotline_name=hotline.name if hotline else "Tổng đài 111",
            hotline_phones=hotline.phones if hotline else ("111",),
            written_at=self._settings.clock(),
            caller_name=caller_name,
            caller_phone=caller_phone,
            calls=calls,
            steps=steps,
        ), case.id
