"""Writing a referral slip for one referral, as plain text or PDF (issue 8, item 7). Every slip
is audited, with whether the caller's identity was included; only a supervisor may include it.
The file is written only where the user asks, readable by its owner alone (DESIGN §4)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.slip import Slip, SlipCall, SlipChild, SlipStep, slip_text
from caseintake.domain.referrals.states import REFERRAL_STATES
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.referrals.slip_pdf import write_pdf
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
        """Write the slip to ``out`` and audit it in the same transaction as the reading."""
        principal.require("operator", "supervisor")
        if include_caller and principal.role != "supervisor":
            raise DomainError("supervisor.slip.caller_supervisor_only")
        if fmt not in SLIP_FORMATS:
            raise DomainError("supervisor.slip.bad_format", fmt=fmt)
        hotline = next((e for e in self._routing.entries() if e.body == "hotline_111"), None)
        enc = principal.keys.cipher
        with self._db.write() as s:
            ref = s.get(Referral, referral_id)
            if ref is None:
                raise DomainError("supervisor.referral_not_found", referral=referral_id)
            case = s.get(Case, ref.case_id)
            assert case is not None  # a referral's case is a foreign key
            entry = (
                s.get(DirectoryEntryRow, ref.directory_entry_id) if ref.directory_entry_id else None
            )
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
            slip = Slip(
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
            )
            if fmt == "pdf":
                write_pdf(slip, out)
            else:
                _write_private(out, slip_text(slip).encode("utf-8"))
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "referral_slip_written",
                "referral",
                ref.id,
                {"case": case.id, "format": fmt, "caller": include_caller, "out": str(out)},
            )
        return slip


def _write_private(path: Path, data: bytes) -> None:
    """Owner-only from the first byte: a slip names a child's case."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
