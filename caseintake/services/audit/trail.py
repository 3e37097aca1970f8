"""Verifying the audit trail, writing signed checkpoints outside the database, and an admin's
acknowledgement of a failed trail (issue 10 items 1, 4, 10).

Every kept checkpoint must match the event at its seq byte for byte, for ever: a tail deleted
and then grown again, or an older copy of the file restored, shows as a mismatch however many
events follow. A failed verification leaves a signed mark beside the checkpoints, so the trail
stays failed, whatever is appended, until an admin acknowledges it (audited).
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseintake.crypto.audit_chain import verify_chain
from caseintake.crypto.checkpoint import Checkpoint, FailureMark
from caseintake.crypto.errors import CryptoError
from caseintake.crypto.event_sigs import SignatureCheck
from caseintake.crypto.user_certs import RECOVERY_SIGNER
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.field_checks import FieldRejected, check_text
from caseintake.services.audit.chain_reader import PARALLEL_FROM, stream, verify_parallel
from caseintake.services.audit.checkpoints import CheckpointStore, Signers, read_checkpoint
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.order import NumberGaps, number_gaps, time_goes_back
from caseintake.services.audit.record_names import describe
from caseintake.services.audit.records import check_records
from caseintake.services.audit.signatures import check_signatures, signed_era
from caseintake.services.audit.verdict import VerifyResult, judge, with_order, with_records
from caseintake.services.core.new_files import new_file
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.compaction import finish_pending
from caseintake.store.db import Database, sqlite_file
from caseintake.store.models import AuditEvent, Meta

MAX_REASON = 500


class AuditTrailService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        audit: AuditLog,
        parallel_from: int = PARALLEL_FROM,
    ) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self.parallel_from = parallel_from  # injectable so tests force the parallel path

    def store(self, db_id: str) -> CheckpointStore:
        """The checkpoints of this database; a restored copy's own ones (issue 20 item 5)."""
        return CheckpointStore(self._settings.state_dir, db_id).for_path(self._file())

    def register_copy(self, db_id: str) -> None:
        """This database is a backup restored under a new path: it keeps its checkpoints and
        failure marks apart and never touches the live database's."""
        path = self._file()
        if path is not None:
            CheckpointStore(self._settings.state_dir, db_id).register_copy(path)

    def _file(self) -> Path | None:
        path = sqlite_file(self._db.url)
        return None if path is None else Path(os.path.realpath(path))

    def checkpoint_dir(self, db_id: str) -> Path:
        return self.store(db_id).folder

    def write_checkpoint(self, principal: Principal, out: Path | None = None) -> tuple[Path, int]:
        """Sign the chain's head as it is, keep it in the state dir (and at ``out`` when asked),
        then audit what was written. A failed write leaves no ``checkpoint_written`` event."""
        principal.require("admin", "supervisor", "operator")
        target = new_file(out, self._db) if out is not None else None
        counted = self._audit.since_checkpoint  # committed before the head is read
        with self._db.read() as s:
            store = self.store(self._audit.db_id(s))
            seq, mac = s.execute(
                select(AuditEvent.seq, AuditEvent.mac).order_by(AuditEvent.seq.desc()).limit(1)
            ).one()
            per_user = s.execute(select(Meta.trust_anchor)).scalar_one() is not None
        at = self._settings.clock().isoformat()
        own = principal.keys.signing
        if per_user and own is not None:  # signed with the writer's own key (issue 10 item 2)
            signer = RECOVERY_SIGNER if principal.user_id == "-" else principal.user_id
            text = Checkpoint(store.db_id, seq, mac, at, signer).sign(own)
        else:
            text = Checkpoint(store.db_id, seq, mac, at).sign(principal.keys.data_key.signing_key)
        kept = store.keep(seq, text)
        with target or nullcontext(), self._db.write() as s:
            if target is not None:
                target.place(text.encode("utf-8"))
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "checkpoint_written",
                "audit",
                "-",
                {"seq": seq, "out": str(out) if out else None},
            )
        # This process's window starts again (issue 20 item 4), from the events the head covers
        # and this checkpoint's own event (a save on another thread may have added some).
        self._audit.checkpointed(counted + 1)
        finish_pending(self._db, self._settings.clock())  # an erasure a reader held up (#20)
        return out or kept, seq

    def latest_checkpoint(self, principal: Principal, db_id: str) -> Checkpoint | None:
        principal.check_standing()
        with self._db.read() as s:
            signers = _signers(s, self._settings.state_dir)
        signing = principal.keys.data_key.signing_key
        kept = self.store(db_id).read(signing, signers).checkpoints
        return max(kept, key=lambda cp: cp.seq, default=None)

    def verify(
        self, principal: Principal, checkpoint_file: Path | None = None, workers: int = 1
    ) -> VerifyResult:
        """Walk the whole chain, hold it against every kept checkpoint (and the given one), and
        remember a failure until an admin acknowledges it."""
        principal.require("admin", "supervisor")
        result, store = self._inspect(principal, checkpoint_file, workers)
        if not result.ok and result.problem != "audit.still_failed":
            mark = FailureMark(
                store.db_id,
                result.first_bad_seq if result.first_bad_seq is not None else 0,
                result.problem or "audit.modified",
                self._settings.clock().isoformat(),
            )
            store.mark_failed(mark, principal.keys.data_key.signing_key)
        with self._db.write() as s:
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "audit_verified",
                "audit",
                "-",
                {"ok": result.ok, "first_bad_seq": result.first_bad_seq, "problem": result.problem},
            )
        if result.ok:  # the head just proved is signed at once (issue 20 item 4)
            self.write_checkpoint(principal)
        return result

    def acknowledge(self, admin: Principal, reason: str) -> VerifyResult:
        """An admin accepts a failed trail as it now stands (audited, with the reason): failure
        marks and the checkpoints it no longer matches are set aside and a new checkpoint is
        signed. A chain broken inside cannot be accepted: restore a good copy first."""
        admin.require("admin")
        try:
            reason = check_text(reason, max_length=MAX_REASON, multiline=False)
        except FieldRejected:
            raise DomainError("security.bad_reason", n=MAX_REASON) from None
        if not reason:
            raise DomainError("security.bad_reason", n=MAX_REASON)
        result, store = self._inspect(admin, None, 1)
        if result.ok:
            raise DomainError("audit.nothing_to_acknowledge")
        if not result.chain_ok:
            raise DomainError("audit.cannot_acknowledge", seq=result.first_bad_seq)
        with self._db.write() as s:
            self._audit.append(
                s,
                admin.keys,
                admin.name,
                "audit_failure_acknowledged",
                "audit",
                "-",
                {
                    "reason": reason,
                    "problem": result.problem,
                    "first_bad_seq": result.first_bad_seq,
                    "set_aside_checkpoints": list(result.stale_checkpoints),
                },
            )
        store.set_aside(list(result.stale_checkpoints))
        self.write_checkpoint(admin)
        return result

    def _inspect(
        self, principal: Principal, checkpoint_file: Path | None, workers: int
    ) -> tuple[VerifyResult, CheckpointStore]:
        signing = principal.keys.data_key.signing_key
        key = principal.keys.audit_key
        given: Checkpoint | None = None
        if checkpoint_file is not None:
            try:
                text = checkpoint_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                raise CryptoError(
                    "audit.checkpoint_unreadable", path=str(checkpoint_file)
                ) from None
        with self._db.read() as s:
            store = self.store(self._audit.db_id(s))
            signers = _signers(s, self._settings.state_dir)
            if checkpoint_file is not None:
                given = read_checkpoint(text, signing, signers)
                if given is None:
                    raise CryptoError("audit.checkpoint_untrusted")
            if given is not None and given.db_id != store.db_id:
                raise CryptoError("audit.checkpoint_other_db")
            last = s.execute(select(func.max(AuditEvent.seq))).scalar_one() or 0
            if workers > 1 and isinstance(last, int) and last >= self.parallel_from:
                report = verify_parallel(
                    self._db.url, self._db.is_sqlite, key, store.db_id, last, workers
                )
            else:
                driver = s.connection().connection.driver_connection
                report = verify_chain(key, store.db_id, stream(driver, self._db.is_sqlite))
            sigs = records = None
            named: tuple[tuple[Any, ...], ...] = ()
            backwards: int | None = None
            gaps = NumberGaps((), 0)
            if report.ok:
                sigs = self._signatures(s, signers, last, workers)
                driver = s.connection().connection.driver_connection
                bound_from = s.execute(select(Meta.records_bound_from)).scalar()
                if bound_from and bound_from > 1 and _adopted(s):
                    bound_from = 1  # an admin adopted the older rows: all must be bound
                records = check_records(driver, self._db.is_sqlite, last, bound_from)
                named = tuple(
                    (p.kind, *describe(s, p), p.seq)  # type: ignore[misc]
                    for p in records.problems
                )
                # None: a database made since 0015 (its meta row came after the migration).
                ordered_from = s.execute(select(Meta.times_ordered_from)).scalar() or 1
                backwards = time_goes_back(driver, self._db.is_sqlite, ordered_from, last)
                gaps = number_gaps(driver)
            kept = store.read(signing, signers)
            if given is not None:
                kept.checkpoints.append(given)
            stored = _stored_macs(s, sorted({cp.seq for cp in kept.checkpoints}))
            standing = _standing(s, self._settings.state_dir)
        result = judge(report, kept, stored, sigs)
        if records is not None:
            result = with_order(with_records(result, records, named), backwards, gaps)
        # A user's row changed in the file is the cause of their signatures no longer counting:
        # name the cause.
        if standing is not None and (result.ok or result.problem == "audit.unknown_signer"):
            problem, detail = standing
            result = VerifyResult(
                False,
                result.checked,
                result.last_seq,
                None,
                problem,
                result.checkpoint_seq,
                detail=detail,
            )
        return result, store

    def _signatures(
        self, s: Session, signers: Signers, last: int, workers: int
    ) -> tuple[SignatureCheck, int] | None:
        """Each user's signatures over their events (issue 10 item 2), with the number of
        events from before signatures; None for a database made before per-user keys."""
        from caseintake.services.audit.trust import current_anchor

        try:
            anchor = current_anchor(s, self._settings.state_dir)
        except DomainError:
            return None  # a damaged or swapped anchor: ``_standing`` names it
        if anchor is None:
            return None
        era = signed_era(s, anchor, signers.every or {})
        if isinstance(era, SignatureCheck):
            return era, 0
        driver = s.connection().connection.driver_connection
        parallel = workers > 1 and last >= self.parallel_from
        url = self._db.url if parallel else None
        check = check_signatures(driver, self._db.is_sqlite, era, last, url, workers)
        if check.detail is not None and check.problem != "audit.signed_from_moved":
            names = {uid: name for name, uid in era.actor_ids.items()}
            check = replace(check, detail=names.get(check.detail, check.detail))
        legacy = min(last, (era.signed_from or last + 1) - 1)
        return check, max(legacy, 0)


def _signers(s: Session, state_dir: Path) -> Signers:
    """Whose checkpoints prove anything; a damaged anchor leaves none (verify reports it)."""
    from caseintake.services.audit.trust import checkpoint_signers, current_anchor

    try:
        anchor = current_anchor(s, state_dir)
    except DomainError:
        return Signers({}, {})
    if anchor is None:
        return Signers()
    every, trusted = checkpoint_signers(s, anchor)
    return Signers(every, trusted)


def _standing(s: object, state_dir: Path) -> tuple[str, str] | None:
    """Users whose role, disabled flag, slot or key no admin signed (issue 10 item 3), or a
    trust anchor that differs from the one pinned on this machine."""
    from sqlalchemy.orm import Session

    from caseintake.services.audit.trust import certified, current_anchor
    from caseintake.store.models import User

    assert isinstance(s, Session)
    try:
        anchor = current_anchor(s, state_dir)
    except DomainError as err:
        return "security.anchor_mismatch", str(err.params.get("path"))
    if anchor is None:
        return None
    bad = sorted(
        str(s.get(User, uid).name)  # type: ignore[union-attr]
        for uid, ok in certified(s, anchor).items()
        if not ok
    )
    return ("audit.user_tampered", ", ".join(bad)) if bad else None


def _adopted(s: Session) -> bool:
    """``audit adopt`` ran (services/admin/adopt.py, which sits above this package): found
    by the entity index, as that service writes it."""
    found = s.execute(
        select(AuditEvent.seq)
        .where(AuditEvent.entity == "database", AuditEvent.entity_id == "records")
        .where(AuditEvent.action == "records_adopted")
        .limit(1)
    ).scalar()
    return found is not None


def _stored_macs(s: object, seqs: list[int]) -> dict[int, object]:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    found: dict[int, object] = {}
    for i in range(0, len(seqs), 500):
        chunk = seqs[i : i + 500]
        for seq, mac in s.execute(
            select(AuditEvent.seq, AuditEvent.mac).where(AuditEvent.seq.in_(chunk))
        ):
            found[seq] = mac
    return found
