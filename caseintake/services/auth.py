"""Login, lockout, password changes and recovery (DESIGN §4, issue 2 item 4).

The password check *is* the unwrapping of the user's key slot: there is no separate hash to
steal. Failures are recorded before anyone holds the key, so their details are sealed to the
database's public key and chained into the audit trail by the next successful login.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.sealing import open_sealed, seal
from caseintake.crypto.slots import burn_time, unwrap
from caseintake.domain.errors import DomainError
from caseintake.services.audit_log import AuditLog
from caseintake.services.keyring import put_password_slot, slot_of
from caseintake.services.passwords import check_new_password
from caseintake.services.principal import Keys, Principal
from caseintake.services.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import KeySlotRow, Meta, PendingAuthEvent, User

SEAL_CONTEXT = "caseintake/pending-auth"


class AuthError(DomainError):
    """A refused login: the message never says whether the user exists."""


class AuthService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def login(self, name: str, password: str) -> Principal:
        now = self._settings.clock()
        with self._db.read() as s:
            user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
            row = (
                None
                if user is None
                else s.execute(
                    select(KeySlotRow).where(KeySlotRow.user_id == user.id)
                ).scalar_one_or_none()
            )
        if user is None or row is None:
            burn_time(password)  # the same cost, and below the same answer, as a wrong password
            self._record_failure(None, name, now)
            raise AuthError("auth.bad_credentials")
        if user.locked_until is not None and user.locked_until > now:
            self._record_pending(user.id, "login_refused_locked", {"name": name}, now)
            raise AuthError("auth.locked", minutes=_minutes_left(user.locked_until, now))
        try:
            data_key = unwrap(slot_of(row), password, row.id)
        except CryptoError:
            locked = self._record_failure(user.id, name, now)
            raise AuthError("auth.locked_now" if locked else "auth.bad_credentials") from None
        if user.disabled:
            self._record_pending(user.id, "login_refused_disabled", {"name": name}, now)
            raise AuthError("auth.disabled")
        principal = Principal(
            user.id, user.name, user.role, Keys(data_key), user.must_change_password, user.language
        )
        with self._db.write() as s:
            fresh = s.get(User, user.id)
            assert fresh is not None
            fresh.failed_count, fresh.first_failed_at, fresh.locked_until = 0, None, None
            self.seal_pending(s, principal)
            self._audit.append(s, principal.keys, principal.name, "login", "user", user.id)
        return principal

    def recover(self, recovery_key: str) -> Principal:
        """Unlock the data key with the recovery key printed at init (for a lost password)."""
        now = self._settings.clock()
        with self._db.read() as s:
            row = s.execute(select(KeySlotRow).where(KeySlotRow.kind == "recovery")).scalar_one()
        try:
            data_key = unwrap(slot_of(row), recovery_key, row.id)
        except CryptoError:
            self._record_pending(None, "recovery_failed", {}, now)
            raise AuthError("auth.bad_recovery_key") from None
        principal = Principal("-", "recovery-key", "admin", Keys(data_key))
        with self._db.write() as s:
            self.seal_pending(s, principal)
            self._audit.append(s, principal.keys, principal.name, "recovery_used", "database", "-")
        return principal

    def logout(self, principal: Principal) -> None:
        with self._db.write() as s:
            self._audit.append(
                s, principal.keys, principal.name, "logout", "user", principal.user_id
            )

    def verify_password(self, principal: Principal, password: str) -> bool:
        """Unlocking the idle-locked screen: the same check, counted like a login attempt."""
        try:
            self.login(principal.name, password)
        except AuthError:
            return False
        return True

    def change_password(self, name: str, current: str, new: str) -> Principal:
        principal = self.login(name, current)
        check_new_password(name, new, current)
        now = self._settings.clock()
        with self._db.write() as s:
            put_password_slot(s, principal.keys.data_key, principal.user_id, new, now)
            user = s.get(User, principal.user_id)
            assert user is not None
            user.must_change_password = False
            self._audit.append(s, principal.keys, name, "password_changed", "user", user.id)
        return Principal(
            principal.user_id,
            principal.name,
            principal.role,
            principal.keys,
            False,
            principal.language,
        )

    def seal_pending(self, s: Session, principal: Principal) -> int:
        """Move the failed attempts recorded before this login into the audit chain."""
        pending = s.execute(select(PendingAuthEvent).order_by(PendingAuthEvent.id)).scalars().all()
        private = principal.keys.data_key.sealing_key
        for event in pending:
            try:
                details = json.loads(open_sealed(private, event.sealed, SEAL_CONTEXT))
            except CryptoError:
                details = {"error": "sealed details damaged"}
            details["recorded_at"] = event.at.isoformat()
            self._audit.append(
                s,
                principal.keys,
                "-",
                event.action,
                "user",
                event.user_id or "-",
                details,
                at=event.at,
            )
        if pending:
            s.execute(delete(PendingAuthEvent).where(PendingAuthEvent.id <= pending[-1].id))
        return len(pending)

    def _record_failure(self, user_id: str | None, name: str, now: datetime) -> bool:
        """Count a failure; returns True when this one locks the account."""
        locked = False
        with self._db.write() as s:
            self._pending(s, user_id, "login_failed", {"name": name}, now)
            user = s.get(User, user_id) if user_id else None
            if user is not None:
                window_open = (
                    user.first_failed_at
                    and now - user.first_failed_at <= self._settings.lockout_window
                )
                if window_open:
                    user.failed_count += 1
                else:
                    user.failed_count, user.first_failed_at = 1, now
                if user.failed_count >= self._settings.lockout_failures:
                    user.locked_until = now + self._settings.lockout_duration
                    user.failed_count, user.first_failed_at = 0, None
                    self._pending(s, user_id, "lockout", {"name": name}, now)
                    locked = True
        return locked

    def _record_pending(
        self, user_id: str | None, action: str, details: dict[str, str], now: datetime
    ) -> None:
        with self._db.write() as s:
            self._pending(s, user_id, action, details, now)

    @staticmethod
    def _pending(
        s: Session, user_id: str | None, action: str, details: dict[str, str], now: datetime
    ) -> None:
        public = s.execute(select(Meta.sealing_public_key)).scalar_one()
        sealed = seal(public, json.dumps(details, ensure_ascii=False).encode(), SEAL_CONTEXT)
        s.add(PendingAuthEvent(at=now, action=action, user_id=user_id, sealed=sealed))


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 59) // 60)
