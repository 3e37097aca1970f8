"""Verifying the audit trail and writing signed checkpoints outside the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from caseintake.crypto.audit_chain import ChainReport, verify_chain
from caseintake.crypto.checkpoint import Checkpoint, load_checkpoint
from caseintake.crypto.errors import CryptoError
from caseintake.services.audit_log import AuditLog
from caseintake.services.principal import Principal
from caseintake.services.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import AuditEvent

_COLUMNS = (
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.entity,
    AuditEvent.entity_id,
    AuditEvent.details,
    AuditEvent.mac,
)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    last_seq: int
    first_bad_seq: int | None
    problem: str | None  # message key
    checkpoint_seq: int | None


class AuditTrailService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def checkpoint_dir(self, db_id: str) -> Path:
        return self._settings.state_dir / "checkpoints" / db_id

    def write_checkpoint(self, principal: Principal, out: Path | None = None) -> tuple[Path, int]:
        """Sign the chain's head; kept in the state dir, and also at ``out`` when asked."""
        principal.require("admin", "supervisor", "operator")
        with self._db.write() as s:
            seq = self._audit.append(
                s,
                principal.keys,
                principal.name,
                "checkpoint_written",
                "audit",
                "-",
                {"out": str(out) if out else None},
            )
            mac = s.execute(select(AuditEvent.mac).where(AuditEvent.seq == seq)).scalar_one()
            db_id = self._audit.db_id(s)
        at = self._settings.clock().isoformat()
        text = Checkpoint(db_id, seq, mac, at).sign(principal.keys.data_key.signing_key)
        folder = self.checkpoint_dir(db_id)
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"{seq:012d}.json"
        _write_durably(kept, text)
        if out is not None:
            _write_durably(out, text)
        return out or kept, seq

    def latest_checkpoint(self, principal: Principal, db_id: str) -> Checkpoint | None:
        folder = self.checkpoint_dir(db_id)
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        for path in reversed(files):
            try:
                return load_checkpoint(path.read_text(), principal.keys.data_key.signing_key)
            except (CryptoError, OSError):
                continue
        return None

    def verify(self, principal: Principal, checkpoint_file: Path | None = None) -> VerifyResult:
        """Walk the whole chain, then hold it against the checkpoint (given, or the newest kept)."""
        principal.require("admin", "supervisor")
        signing = principal.keys.data_key.signing_key
        with self._db.read() as s:
            db_id = self._audit.db_id(s)
            rows = s.execute(
                select(*_COLUMNS).order_by(AuditEvent.seq).execution_options(yield_per=5000)
            )
            report = verify_chain(principal.keys.audit_key, db_id, (tuple(r) for r in rows))  # type: ignore[misc]
        if checkpoint_file is not None:
            try:
                text = checkpoint_file.read_text()
            except OSError:
                raise CryptoError(
                    "audit.checkpoint_unreadable", path=str(checkpoint_file)
                ) from None
            cp: Checkpoint | None = load_checkpoint(text, signing)
        else:
            cp = self.latest_checkpoint(principal, db_id)
        result = _against(report, cp, db_id)
        with self._db.write() as s:
            self._audit.append(
                s,
                principal.keys,
                principal.name,
                "audit_verified",
                "audit",
                "-",
                {"ok": result.ok, "first_bad_seq": result.first_bad_seq},
            )
        return result


def _against(report: ChainReport, cp: Checkpoint | None, db_id: str) -> VerifyResult:
    cp_seq = cp.seq if cp else None
    if not report.ok:
        return VerifyResult(
            False, report.checked, report.last_seq, report.first_bad_seq, report.problem, cp_seq
        )
    if cp is not None:
        if cp.db_id != db_id:
            raise CryptoError("audit.checkpoint_other_db")
        if report.last_seq < cp.seq:
            return VerifyResult(
                False,
                report.checked,
                report.last_seq,
                report.last_seq + 1,
                "audit.truncated",
                cp_seq,
            )
    return VerifyResult(True, report.checked, report.last_seq, None, None, cp_seq)


def _write_durably(path: Path, text: str) -> None:
    import os

    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
