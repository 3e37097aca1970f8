"""Rotating the recovery key (issue 10, the admin's desk): ``caseintake key rotate-recovery``.

The recovery slot is replaced by one under a new recovery key, printed once: the old key opens
nothing in this file any more. The admin must give the *current* recovery key: the recovery
slot also holds the recovery key's Ed25519 signing key, whose public half is part of the trust
anchor (services/audit/trust.py) pinned outside the database at ``init``. It is carried over to the
new slot, so the anchor, its pinned copies and fingerprint, the certificates and checkpoints
it signed and the audit events the recovery key signed all stay valid. Replacing that signing
key itself would re-anchor the trust (every pinned copy would disagree and every signature it
made would stop counting): not done. So a recovery key that leaked *together with a copy of
the file* still opens that copy and can sign as the recovery key; a rotation of the data key
(``key rotate``) afterwards keeps it away from everything written since.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.slots import new_recovery_key
from caseintake.domain.errors import DomainError
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.keys.ring import open_recovery_slot, put_recovery_slot, slot_of
from caseintake.store.db import Database
from caseintake.store.models import KeySlotRow


class RecoveryRotationService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def rotate(self, admin: Principal, current_recovery_key: str) -> str:
        """Replace the recovery key; returns the new one (show it once, never store it)."""
        admin.require("admin")
        now = self._settings.clock()
        with self._db.write() as s:
            row = s.execute(select(KeySlotRow).where(KeySlotRow.kind == "recovery")).scalar_one()
            try:
                _key, signing = open_recovery_slot(
                    slot_of(row), row.id, row.signing_key, current_recovery_key
                )
            except CryptoError:
                raise DomainError("keys.recovery_wrong") from None
            fresh = new_recovery_key()
            s.execute(delete(KeySlotRow).where(KeySlotRow.id == row.id))
            put_recovery_slot(s, admin.keys.data_key, fresh, now, signing)
            self._audit.append(
                s, admin.keys, admin.name, "recovery_key_rotated", "database", "-",
                {"signing_key_kept": signing is not None},
            )  # fmt: skip
        return fresh
