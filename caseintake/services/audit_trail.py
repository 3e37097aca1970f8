"""Verifying the audit trail and writing signed checkpoints outside the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from caseintake.crypto.audit_chain import ChainReport, verify_chain
from caseintake.crypto.checkpoint import Checkpoint, load_checkpoint
from caseintake.crypto.errors import CryptoError
from caseintake.services.audit_log import AuditLog
from caseintake.services.chain_reader import PARALLEL_FROM, stream, verify_parallel
from caseintake.services.principal import Principal
from caseintake.services.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import AuditEvent


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

    def verify(
        self, principal: Principal, checkpoint_file: Path | None = None, workers: int = 1
    ) -> VerifyResult:
        """Walk the whole chain, then hold it against the checkpoint (given, or the newest kept)."""
        principal.require("admin", "supervisor")
        signing = principal.keys.data_key.signing_key
        key = principal.keys.audit_key
        with self._db.read() as s:
            db_id = self._audit.db_id(s)
            last = s.execute(select(func.max(AuditEvent.seq))).scalar_one() or 0
            if workers > 1 and last >= PARALLEL_FROM and isinstance(last, int):
                report = verify_parallel(
                    self._db.url, self._db.is_sqlite, key, db_id, last, workers
                )
            else:
                driver = s.connection().connection.driver_connection
                report = verify_chain(key, db_id, stream(driver, self._db.is_sqlite))
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
