"""Rotating the data key (issue 10, the admin's desk): ``caseintake key rotate``.

How it works, and why:

- **Start** (one short write transaction): a new random version N+1; every older version is
  wrapped under it in ``data_keys`` (the ring, crypto/key_ring.py); every key slot of an
  enabled user and the recovery slot is *sealed* to the slot's grant key (crypto/slots.py) and
  signed by the rotating admin; ``meta.key_version`` becomes N+1 and a ``key_rotations`` row
  holds the cursor. A rotation cannot derive a slot's key-encryption key (it does not know the
  passwords), so slots cannot simply be re-wrapped; and a ring that let old versions climb to
  new ones would let whoever kept an old key read what is written after the rotation. Sealing
  to a public key derived from each slot's key-encryption key gives every slot the new key at
  once, and only to its holder. A disabled user's slot is left at the old version: it opens
  nothing written since, and their login is refused anyway.
- **Batches** (short write transactions of ``BATCH`` rows): every encrypted column of every
  table is read in primary-key order from the cursor, each value under an older version is
  re-encrypted under N+1, and the cursor moves in the same transaction; a killed rotation
  resumes from the last committed batch (``key rotate`` again, or any admin's). Operators keep
  working between batches; from the start on, sessions write under N+1 (a session that logged
  in before refreshes its ring from its own sealed slot, and its first save is refused once,
  see services/audit/details.py).
- **Finish**: a read-only sweep checks every column again (re-encrypting any straggler), then
  the rotation is marked finished and audited. The sweep starts at least two of a session's
  look-ups for a newer version (``CHECK_EVERY_S``) after the start, so even a write that is not
  audited (a draft) by a session that logged in before is either caught by it or made under
  the new version. Per-case audit keys (``case_keys``) are
  re-wrapped like any field; audit events themselves are never touched: the MAC chain and the
  signatures cover their ciphertext.

What stays: the audit MAC, blind-index, sealing and checkpoint keys derive from the first
version (crypto/keys.py), so the chain keeps verifying and phone search keeps matching; whoever
kept the first version can still compute those (but reads no field written since). Audit
details written before per-case keys (format 1) stay under the version they were written with.
Backups taken before the rotation still open with the old keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Table, delete, select, update
from sqlalchemy.orm import Session

from caseintake.crypto import key_ring
from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.key_ring import KeyRing, KeyRingError, wrap_older
from caseintake.crypto.keys import DataKey
from caseintake.crypto.user_certs import RECOVERY_SIGNER
from caseintake.domain.errors import DomainError
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trail import AuditTrailService
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.keys.ring import seal_slot_row
from caseintake.store.db import Database
from caseintake.store.models import Base, DataKeyRow, KeyRotation, KeySlotRow, Meta, User
from caseintake.store.records import CODE, touch

# Every encrypted column, table by table; tests check no LargeBinary column is missing.
ROTATED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cases", ("narrative",)),
    ("children", ("name", "address")),
    ("perpetrators", ("name",)),
    ("case_notes", ("body",)),
    ("contacts", ("caller_name", "caller_phone", "narrative", "notes")),
    ("contact_children", ("name", "address")),
    ("referrals", ("reason", "outcome_note")),
    ("referral_updates", ("contacted", "note")),
    ("escalations", ("reason",)),
    ("drafts", ("payload",)),
    ("case_keys", ("wrapped",)),
    ("line_identity", ("private_keys",)),  # the line's signing and HPKE keys (issue 24)
    ("child_pins", ("pin",)),
    ("handoffs", ("payload",)),  # a hand-off's body as sent or opened (issue 24)
    ("handoff_receipts", ("words",)),
)
BATCH = 200

Progress = Callable[[int], None]  # fields re-encrypted so far, after each committed batch


@dataclass(frozen=True)
class RotationResult:
    from_version: int
    to_version: int
    fields: int
    resumed: bool
    slots_sealed: int
    disabled_left: tuple[str, ...]


class KeyRotationService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def rotate(self, admin: Principal, progress: Progress | None = None) -> RotationResult:
        """Start a rotation, or resume the unfinished one, and run it to the end."""
        admin.require("admin")
        ring = self._fresh_ring(admin)
        started = self._start_or_resume(admin, ring)
        grace_until = time.monotonic() + 2 * key_ring.CHECK_EVERY_S
        if ring.current.version != started.to_version:
            raise DomainError("keys.log_in_again")
        cipher = admin.keys.cipher
        fields = started.fields
        while (done := self._batch(admin, cipher, started.to_version)) is not None:
            fields += done
            if progress is not None:
                progress(fields)
        if not started.resumed:
            time.sleep(max(0.0, grace_until - time.monotonic()))
        fields += self._sweep(admin, cipher, started.to_version)
        self._finish(admin, started.to_version, fields)
        self._sign(admin)
        return RotationResult(
            started.from_version,
            started.to_version,
            fields,
            started.resumed,
            started.slots_sealed,
            started.disabled_left,
        )

    def _sign(self, admin: Principal) -> None:
        """A finished rotation is signed at once (issue 20 item 4): its batches rebound every
        re-encrypted row, and a checkpoint now keeps anyone from rewriting them unseen."""
        AuditTrailService(self._db, self._settings, self._audit).write_checkpoint(admin)

    def unfinished(self) -> tuple[int, int] | None:
        """(from, to) of a rotation that was started and not finished, if any."""
        with self._db.read() as s:
            row = s.execute(
                select(KeyRotation.from_version, KeyRotation.to_version).where(
                    KeyRotation.finished_at.is_(None)
                )
            ).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def _fresh_ring(self, admin: Principal) -> KeyRing:
        ring = admin.keys.data_key.ring
        if ring is None:
            raise DomainError("keys.log_in_again")
        with self._db.read() as s:
            newest = int(s.execute(select(Meta.key_version)).scalar_one())
        if ring.current.version < newest:
            ring.refresh()
        if ring.current.version != newest:
            raise DomainError("keys.log_in_again")
        return ring

    def _start_or_resume(self, admin: Principal, ring: KeyRing) -> RotationResult:
        now = self._settings.clock()
        new: DataKey | None = None
        try:
            with self._db.write() as s:
                open_row = s.execute(
                    select(KeyRotation).where(KeyRotation.finished_at.is_(None))
                ).scalar_one_or_none()
                if open_row is not None:
                    return RotationResult(
                        open_row.from_version, open_row.to_version, open_row.fields, True, 0, ()
                    )
                if admin.keys.signing is None:
                    raise DomainError("security.no_signing_key")
                old = ring.current
                new = DataKey.generate(old.version + 1)
                sealed, disabled = self._seal_slots(s, admin, new)
                s.execute(delete(DataKeyRow))
                for version in ring.versions:
                    older = ring.get(version)
                    assert older is not None
                    s.add(
                        DataKeyRow(version=version, wrapped=wrap_older(new, older), created_at=now)
                    )
                meta = s.get(Meta, 1)
                assert meta is not None
                meta.key_version = new.version
                s.add(
                    KeyRotation(
                        to_version=new.version,
                        from_version=old.version,
                        started_at=now,
                        started_by=admin.name,
                        cursor_table=ROTATED[0][0],
                        cursor_id="",
                        fields=0,
                    )
                )
                ring.install([new])  # from here on this session writes under the new version
                self._audit.append(
                    s, admin.keys, admin.name, "key_rotation_started", "database", "-",
                    {"from": old.version, "to": new.version, "slots_sealed": sealed,
                     "disabled_left": list(disabled)},
                )  # fmt: skip
                return RotationResult(old.version, new.version, 0, False, sealed, disabled)
        except BaseException:
            if new is not None:
                ring.discard(new.version)
            raise

    def _seal_slots(
        self, s: Session, admin: Principal, new: DataKey
    ) -> tuple[int, tuple[str, ...]]:
        rows = s.execute(
            select(KeySlotRow, User.name, User.disabled).outerjoin(
                User, KeySlotRow.user_id == User.id
            )
        ).all()
        not_ready = [
            str(name or "recovery")
            for row, name, disabled in rows
            if not disabled and row.grant_public is None
        ]
        if not_ready:
            raise DomainError("keys.slots_not_ready", names=", ".join(sorted(not_ready)))
        signer = RECOVERY_SIGNER if admin.user_id == "-" else admin.user_id
        assert admin.keys.signing is not None
        disabled_left = tuple(sorted(str(name) for _row, name, disabled in rows if disabled))
        count = 0
        for row, _name, disabled in rows:
            if not disabled:
                seal_slot_row(s, row, new, signer, admin.keys.signing)
                count += 1
        return count, disabled_left

    def _batch(self, admin: Principal, cipher: FieldCipher, to_version: int) -> int | None:
        """Re-encrypt one batch and move the cursor; None once every table is done."""
        with self._db.write() as s:
            rot = s.get(KeyRotation, to_version)
            if rot is None or rot.cursor_table is None:
                return None
            names = [name for name, _cols in ROTATED]
            if rot.cursor_table not in names:
                raise KeyRingError("keys.rotation_damaged")
            table = Base.metadata.tables[rot.cursor_table]
            columns = dict(ROTATED)[rot.cursor_table]
            pk = _pk(table)
            rows = s.execute(
                select(pk, *(table.c[c] for c in columns))
                .where(pk > (rot.cursor_id or ""))
                .order_by(pk)
                .limit(BATCH)
                .with_for_update()
            ).all()
            done = _reencrypt(s, cipher, table, columns, rows, to_version)
            self._bind(s, admin, table.name, done)
            if len(rows) < BATCH:
                index = names.index(rot.cursor_table) + 1
                rot.cursor_table = names[index] if index < len(names) else None
                rot.cursor_id = ""
            else:
                rot.cursor_id = str(rows[-1][0])
            rot.fields += done
            return done

    def _sweep(self, admin: Principal, cipher: FieldCipher, to_version: int) -> int:
        """Read every column once more; re-encrypt anything still under an older version."""
        fixed = 0
        for name, columns in ROTATED:
            table = Base.metadata.tables[name]
            pk = _pk(table)
            after = ""
            while True:
                with self._db.read() as s:
                    rows = s.execute(
                        select(pk, *(table.c[c] for c in columns))
                        .where(pk > after)
                        .order_by(pk)
                        .limit(BATCH * 5)
                    ).all()
                if not rows:
                    break
                after = str(rows[-1][0])
                stale = [r[0] for r in rows if _needs(r[1:], to_version)]
                if stale:
                    with self._db.write() as s:
                        again = s.execute(
                            select(pk, *(table.c[c] for c in columns)).where(pk.in_(stale))
                        ).all()
                        done = _reencrypt(s, cipher, table, columns, again, to_version)
                        self._bind(s, admin, table.name, done)
                        fixed += done
        return fixed

    def _bind(self, s: Session, admin: Principal, table: str, fields: int) -> None:
        """Re-encrypted rows of a record table are bound to the trail anew (issue 20)."""
        if fields and table in CODE:
            self._audit.append(
                s, admin.keys, admin.name, "key_rotation_batch", "database", "-",
                {"table": table, "fields": fields},
            )  # fmt: skip

    def _finish(self, admin: Principal, to_version: int, fields: int) -> None:
        with self._db.write() as s:
            rot = s.get(KeyRotation, to_version)
            if rot is None or rot.finished_at is not None:
                return  # another admin's resumed run finished it first
            rot.finished_at = self._settings.clock()
            rot.fields = fields
            self._audit.append(
                s, admin.keys, admin.name, "key_rotation_finished", "database", "-",
                {"from": rot.from_version, "to": to_version, "fields": fields},
            )  # fmt: skip


def _pk(table: Table):  # type: ignore[no-untyped-def]
    (column,) = table.primary_key.columns
    return column


def _needs(blobs: tuple[object, ...], to_version: int) -> bool:
    return any(isinstance(b, bytes) and FieldCipher.version_of(b) != to_version for b in blobs)


def _reencrypt(
    s: Session,
    cipher: FieldCipher,
    table: Table,
    columns: tuple[str, ...],
    rows: Sequence[Row[Any]],
    to_version: int,
) -> int:
    pk = _pk(table)
    done = 0
    for row in rows:
        row_id = str(row[0])
        changed: dict[str, bytes] = {}
        blobs: tuple[object, ...] = tuple(row[1:])
        for column, blob in zip(columns, blobs, strict=True):
            if not isinstance(blob, bytes) or FieldCipher.version_of(blob) == to_version:
                continue
            text = cipher.decrypt(table.name, column, row_id, blob)
            changed[column] = cipher.encrypt(table.name, column, row_id, text)
        if changed:
            s.execute(update(table).where(pk == row[0]).values(**changed))
            touch(s.connection(), table.name, [row_id])
            done += len(changed)
    return done
