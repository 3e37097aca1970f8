"""The hand-off desk: send, receive, accept, reject, update, take a receipt, list. Each
method checks who acts, borrows this line's keys from its identity for the one action, and
leaves the transaction to ``sending``, ``receiving`` and ``receipts``."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.basis import Consent
from caseintake.domain.handoff.header import HandoffRefused
from caseintake.services.audit.details import belongs_to_case
from caseintake.services.audit.log import AuditLog
from caseintake.services.cases.at_partner import partner_deadlines
from caseintake.services.core.new_files import database_files
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.handoffs import receipts, receiving, sending
from caseintake.services.handoffs.deadline_views import (
    PartnerReport,
    month_start,
    view_of,
    with_deadline,
)
from caseintake.services.handoffs.downloads import Download
from caseintake.services.handoffs.drop_folders import (
    configured_folders,
    package_target,
    receipt_folder,
    receipt_target,
)
from caseintake.services.handoffs.files import open_body, read_file
from caseintake.services.handoffs.matching import candidates
from caseintake.services.handoffs.partners import ThisLineKeys
from caseintake.services.handoffs.polling import PollResult, poll_folders
from caseintake.services.handoffs.views import CaseMatch, HandoffView, SentFile
from caseintake.services.line import LineService
from caseintake.services.referrals.partner_times import partner_times
from caseintake.services.referrals.service import ReferralService
from caseintake.store.db import Database, sqlite_file
from caseintake.store.models import Case, HandoffRow

PACKAGE_SUFFIX = ".cih"  # what a drop folder's packages are called; receipts ".cir"
DESK = ("supervisor",)  # hand-offs are the supervisor's, as re-referring is (issue 8)
READERS = ("operator", "supervisor")


class HandoffService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        audit: AuditLog,
        line: LineService,
        referrals: ReferralService,
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._line = line
        self._referrals = referrals
        # One poll at a time in this process (the desk's timer and the inbox opening): two
        # would read the same file, and the second find it a replay.
        self._poll_lock = threading.Lock()

    def _me(self, principal: Principal) -> ThisLineKeys:
        principal.require(*DESK)
        return ThisLineKeys(self._line.identity(principal))

    def send(
        self,
        principal: Principal,
        case_number: str,
        directory_id: str,
        basis: str,
        out: Path | Download | None,
        consent: Consent | None = None,
    ) -> SentFile:
        """``out`` None: into the partner's drop folder (one sentence when it has none)."""
        me = self._me(principal)
        file_id = None
        if out is None:
            target = package_target(self._db, me.code, directory_id)
            out, file_id = target.path, target.file_id
        return sending.send(
            self._db, self._audit, self._referrals, principal, me, case_number, directory_id,
            basis, out, self._settings.clock(), consent, file_id,
        )  # fmt: skip

    def receive(self, principal: Principal, path: Path) -> str:
        me = self._me(principal)
        data = read_file(path)
        return receiving.receive(self._db, self._audit, principal, me, data, self._settings.clock())

    def receive_folder(self, principal: Principal, folder: Path) -> list[tuple[Path, str, bool]]:
        """Every package file (``*.cih``) of a drop folder, in name order: (file, the
        hand-off's id or the sentence refusing it, taken). A refused file stays refused alone."""
        me = self._me(principal)
        results: list[tuple[Path, str, bool]] = []
        for path in sorted(folder.glob(f"*{PACKAGE_SUFFIX}")):
            try:
                data = read_file(path)
                now = self._settings.clock()
                results.append(
                    (path, receiving.receive(self._db, self._audit, principal, me, data, now), True)
                )
            except DomainError as err:
                results.append((path, err.message(principal.language), False))
        return results

    def accept(
        self,
        principal: Principal,
        handoff_id: str,
        out: Path | Download | None,
        into: str | None = None,
    ) -> SentFile:
        """A new local case linked to the sender's; or, ``into`` one of ``matches``, the
        package added to that case (any other case number is refused in one sentence).
        ``out`` None: the receipt goes into the sending line's drop folder."""
        return self._answer(principal, handoff_id, "accepted", None, out, into)

    def reject(
        self, principal: Principal, handoff_id: str, reason: str, out: Path | Download | None
    ) -> SentFile:
        return self._answer(principal, handoff_id, "rejected", reason, out)

    def update(
        self,
        principal: Principal,
        handoff_id: str,
        status: str,
        outcome: str | None,
        out: Path | Download | None,
    ) -> SentFile:
        if status not in ("in_progress", "done"):
            raise HandoffRefused("handoff.error.bad_update", status=status)
        if status == "done" and not (outcome or "").strip():
            raise HandoffRefused("handoff.error.outcome_required")
        return self._answer(principal, handoff_id, status, outcome, out)

    def _answer(
        self,
        principal: Principal,
        handoff_id: str,
        status: str,
        words: str | None,
        out: Path | Download | None,
        into: str | None = None,
    ) -> SentFile:
        """``out`` None: the receipt goes into the sending line's drop folder."""
        me = self._me(principal)
        words = (words or "").strip() or None
        line = "111" if me.code == "111" else "provincial"  # the case number's prefix
        file_id = None
        if out is None:
            target = receipt_target(self._db, me.code, handoff_id)
            out, file_id = target.path, target.file_id
        return receiving.answer(
            self._db, self._audit, principal, me, handoff_id, status, words, out,
            self._settings.clock(), line, into, file_id,
        )  # fmt: skip

    def poll(self, principal: Principal) -> PollResult:
        """Every configured drop folder once: each package and receipt addressed to this line
        received or taken, then moved to ``done/`` or ``refused/`` (``polling``). No folder
        configured: nothing is read, not even this line's keys."""
        principal.require(*DESK)
        folders = configured_folders(self._db)
        if not folders:
            return PollResult()
        me = self._me(principal)

        def handle(kind: str, data: bytes) -> str:
            now = self._settings.clock()
            if kind == "package":
                return receiving.receive(self._db, self._audit, principal, me, data, now)
            return receipts.take_receipt(
                self._db, self._audit, self._referrals, principal, me, data, now
            )[0]

        with self._poll_lock:
            return poll_folders(
                folders, me.code, read_file, handle, principal.language,
                database_files(sqlite_file(self._db.url)),
            )  # fmt: skip

    def receipt_folder(self, principal: Principal, handoff_id: str) -> Path | None:
        """The drop folder this hand-off's receipts go to without ``--out``, or None."""
        principal.require(*DESK)
        return receipt_folder(self._db, handoff_id)

    def take_receipt(self, principal: Principal, path: Path) -> tuple[str, str]:
        me = self._me(principal)
        data = read_file(path)
        return receipts.take_receipt(
            self._db, self._audit, self._referrals, principal, me, data, self._settings.clock()
        )

    def show(self, principal: Principal, handoff_id: str) -> dict[str, Any]:
        """``{"package": body, "matches": [CaseMatch.to_json()]}``: a hand-off's body as sent
        or received (what the supervisor reads before accepting: the legal basis, the routing
        decision and its deadline, the minimised case) and this line's cases the child may
        already be (``matching``), to be asked about before any merge. A view of case
        content, audited in a short write of its own."""
        principal.require(*DESK)
        with self._db.read() as s:
            row = s.get(HandoffRow, handoff_id)
            if row is None:
                raise HandoffRefused("handoff.error.not_found", id=handoff_id)
            body = open_body(principal, row.id, row.payload)
            case_id = row.case_id
            matches = _matches(s, principal, body) if row.direction == "in" else []
        with self._db.write() as s:
            if case_id is not None:
                belongs_to_case(s, "handoff", handoff_id, case_id)
            self._audit.append(
                s, principal.keys, principal.name, "handoff_viewed", "handoff", handoff_id
            )
        return {"package": body, "matches": [m.to_json() for m in matches]}

    def matches(self, principal: Principal, handoff_id: str) -> list[CaseMatch]:
        """This line's cases an incoming hand-off's child may already be (``receive --json``
        names them): a look-up by blind indexes, audited as ``handoff_matched``."""
        principal.require(*DESK)
        with self._db.read() as s:
            row = s.get(HandoffRow, handoff_id)
            if row is None or row.direction != "in":
                raise HandoffRefused("handoff.error.not_found", id=handoff_id)
            found = _matches(s, principal, open_body(principal, row.id, row.payload))
        with self._db.write() as s:
            self._audit.append(
                s, principal.keys, principal.name, "handoff_matched", "handoff", handoff_id,
                {"found": [m.case_number for m in found]},
            )  # fmt: skip
        return found

    def rows(self, principal: Principal) -> list[HandoffView]:
        principal.require(*READERS)
        now = self._settings.clock()
        with self._db.read() as s:
            rows = s.execute(
                select(HandoffRow, Case.number)
                .outerjoin(Case, Case.id == HandoffRow.case_id)
                .order_by(HandoffRow.recorded_at.desc(), HandoffRow.id)
            ).all()
            sent = {d.handoff_id: d.state for d in partner_deadlines(s, now)}
            return [with_deadline(view_of(r, number), sent.get(r.id), now) for r, number in rows]

    def partners(self, principal: Principal, since: datetime | None = None) -> PartnerReport:
        """Time to accept per partner line for the packages sent since ``since`` (default:
        the first of this month, Viet Nam time, as on the dashboard)."""
        principal.require(*DESK)
        now = self._settings.clock()
        start = since or month_start(now)
        with self._db.read() as s:
            return PartnerReport(start, now, tuple(partner_times(s, now, start)))


def _matches(s: Session, principal: Principal, body: dict[str, Any]) -> list[CaseMatch]:
    subject = body.get("subject")
    return candidates(s, principal, subject) if isinstance(subject, dict) else []
