"""Login, lockout, password changes and recovery (DESIGN §4, issue 2 item 4, issue 10 items 5-7).

The password check *is* the unwrapping of the user's key slot: there is no separate hash to
steal. Each attempt is admitted and counted before the key derivation (services/
login_throttle.py); an unknown name runs the same derivation at the database's cost and gets
the same answers. Failures are recorded before anyone holds the key, so every field of them is
sealed to the database's public key and chained into the audit trail by the next login.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.kdf import BURN_SALT, KdfCost, KdfParams, most_common_cost
from caseintake.crypto.keys import DataKey
from caseintake.crypto.sealing import open_sealed
from caseintake.crypto.slots import burn_time, unwrap_with_kek
from caseintake.crypto.user_certs import RECOVERY_SIGNER, unwrap_signing_key
from caseintake.crypto.user_certs import public_bytes as key_public
from caseintake.domain.errors import DomainError
from caseintake.services.access.early_login import EarlyKey
from caseintake.services.access.login_throttle import (
    SEAL_CONTEXT,
    Admission,
    Throttle,
    record_pending,
)
from caseintake.services.access.passwords import check_new_password
from caseintake.services.access.security_settings import read_policy
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trust import certified, current_anchor
from caseintake.services.core.principal import Keys, Principal
from caseintake.services.core.settings import Settings
from caseintake.services.core.standing import Standing
from caseintake.services.keys.ring import (
    MAX_KDF_JSON,
    open_recovery_slot,
    put_password_slot,
    slot_of,
)
from caseintake.store.db import Database
from caseintake.store.models import KeySlotRow, PendingAuthEvent, User

# What a sealed record may claim to be; anything else is chained as unrecognised.
PENDING_ACTIONS = frozenset(
    {
        "login_failed",
        "lockout",
        "login_refused_locked",
        "login_refused_disabled",
        "login_refused_tampered",
        "recovery_failed",
    }
)


class AuthError(DomainError):
    """A refused login: the message never says whether the user exists."""


class AuthService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._throttle = Throttle(db)
        # Told each session that logs in through this process (issue 20 items 4 and 5).
        self.on_login: Callable[[Principal], None] | None = None

    def login(self, name: str, password: str, early: EarlyKey | None = None) -> Principal:
        """``early``: this password's key derived before the services were built
        (``early_login.py``); used only once the attempt is admitted, for the very slot and
        parameters the admission read."""
        now = self._settings.clock()
        adm = self._throttle.admit(name, now)
        if adm.locked_until is not None:
            raise AuthError("auth.locked", minutes=_minutes_left(adm.locked_until, now))
        unlocked = self._unlock(adm, password, early)
        if unlocked is None or adm.account is None:
            locked = self._throttle.failed(adm, name, now)
            raise AuthError("auth.locked_now" if locked else "auth.bad_credentials")
        data_key, kek = unlocked
        account = adm.account
        signing = None
        if adm.signing_blob is not None and adm.slot_id is not None:
            try:  # bound to the slot and its owner: a slot moved to another user fails here
                signing = unwrap_signing_key(kek, adm.signing_blob, adm.slot_id, account.id)
            except CryptoError:
                signing = None
        if not self._standing_ok(account.id, signing):
            with self._db.write() as s:
                record_pending(s, "login_refused_tampered", account.id, {"name": name}, now)
            raise AuthError("auth.account_tampered")
        if account.disabled:
            with self._db.write() as s:
                Throttle.succeeded(s, adm.digest)
                record_pending(s, "login_refused_disabled", account.id, {"name": name}, now)
            raise AuthError("auth.disabled")
        principal = Principal(
            account.id,
            account.name,
            account.role,
            Keys(data_key, signing, account.id if signing is not None else None),
            account.must_change_password,
            account.language,
            Standing(self._db, account.id, account.role),
        )
        with self._db.write() as s:
            Throttle.succeeded(s, adm.digest)
            self.seal_pending(s, principal)
            self._audit.append(s, principal.keys, principal.name, "login", "user", account.id)
            self._upgrade_slot(s, adm, principal, password, now)
        if self.on_login is not None:
            self.on_login(principal)
        return principal

    def _unlock(
        self, adm: Admission, password: str, early: EarlyKey | None
    ) -> tuple[DataKey, bytes] | None:
        if adm.slot is None or adm.slot_id is None:
            # The same cost, and answer, as a known name's wrong password: the cost its slot
            # has now, which stays the old one after an admin changes it (issue 20 item 8).
            cost = self._slots_cost(adm.policy.kdf)
            if early is None or not early.burned(KdfParams(BURN_SALT, cost), password):
                burn_time(password, cost)
            return None
        derived = early.for_slot(adm.slot.kdf, password) if early is not None else None
        try:
            return unwrap_with_kek(adm.slot, password, adm.slot_id, derived)
        except CryptoError:
            return None

    def _slots_cost(self, fallback: KdfCost) -> KdfCost:
        """The cost most password slots carry (the higher on a tie); ``fallback`` if none."""
        with self._db.read() as s:
            texts = s.execute(
                select(KeySlotRow.kdf).where(KeySlotRow.kind == "password").limit(10_000)
            ).scalars()
            return most_common_cost(texts, MAX_KDF_JSON) or fallback

    def _standing_ok(self, user_id: str, signing: Ed25519PrivateKey | None) -> bool:
        """Role, disabled flag, slot and key as an admin signed them (issue 10 item 3); a
        database made before certificates (no anchor) has nothing to check."""
        with self._db.read() as s:
            anchor = current_anchor(s, self._settings.state_dir)
            if anchor is None:
                return True
            user = s.get(User, user_id)
            if user is None or signing is None or key_public(signing) != user.public_key:
                return False
            return certified(s, anchor).get(user_id, False)

    def _upgrade_slot(
        self, s: Session, adm: Admission, principal: Principal, password: str, now: datetime
    ) -> None:
        """A slot wrapped at less than the database now asks for is re-wrapped (item 7)."""
        if adm.slot is None or adm.slot.kdf is None or not adm.slot.kdf.cost.below(adm.policy.kdf):
            return
        old = adm.slot.kdf.cost
        keys = principal.keys
        put_password_slot(
            s, keys.data_key, principal.user_id, password, now, adm.policy.kdf, keys.signing
        )
        self._audit.append(
            s,
            principal.keys,
            principal.name,
            "key_slot_upgraded",
            "user",
            principal.user_id,
            {
                "from": {"memory_kib": old.memory_kib, "iterations": old.iterations},
                "to": {
                    "memory_kib": adm.policy.kdf.memory_kib,
                    "iterations": adm.policy.kdf.iterations,
                },
            },
        )

    def recover(self, recovery_key: str) -> Principal:
        """Unlock the data key with the recovery key printed at init (for a lost password)."""
        now = self._settings.clock()
        with self._db.read() as s:
            row = s.execute(select(KeySlotRow).where(KeySlotRow.kind == "recovery")).scalar_one()
            slot = slot_of(row)
        try:
            data_key, signing = open_recovery_slot(slot, row.id, row.signing_key, recovery_key)
        except CryptoError:
            with self._db.write() as s:
                record_pending(s, "recovery_failed", None, {}, now)
            raise AuthError("auth.bad_recovery_key") from None
        principal = Principal(
            "-",
            "recovery-key",
            "admin",
            Keys(data_key, signing, RECOVERY_SIGNER if signing is not None else None),
        )
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
        """Unlocking the idle-locked screen: the same check, counted like a login attempt. A
        session whose user was disabled or given another role since is refused (issue 20)."""
        principal.check_standing()
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
            cost = read_policy(s).kdf
            keys = principal.keys
            put_password_slot(s, keys.data_key, principal.user_id, new, now, cost, keys.signing)
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
            principal.standing,
        )

    def seal_pending(self, s: Session, principal: Principal) -> int:
        """Move the attempts recorded before this login into the audit chain.

        A sealed record can be written by anyone holding the file (the public key is in it), so
        it proves only that *someone* reported it: the event is dated when it is chained, by
        this session, and what the record claims (its time included) stays in its details.
        """
        pending = s.execute(select(PendingAuthEvent).order_by(PendingAuthEvent.id)).scalars().all()
        private = principal.keys.data_key.sealing_key
        for event in pending:
            try:
                claimed = json.loads(open_sealed(private, event.sealed, SEAL_CONTEXT))
                if not isinstance(claimed, dict):
                    raise ValueError
            except (CryptoError, ValueError, RecursionError):
                claimed = {"error": "sealed record damaged or not in this format"}
            claimed = _unknown_name_hashed(claimed, principal.keys.blind_key)
            action = claimed.get("action")
            user_id = claimed.get("user_id")
            details = {"claimed": claimed, "unauthenticated": True}
            self._audit.append(
                s,
                principal.keys,
                "-",
                action if action in PENDING_ACTIONS else "pending_auth_unrecognised",
                "user",
                user_id if isinstance(user_id, str) and len(user_id) <= 64 else "-",
                details,
            )
        if pending:
            s.execute(delete(PendingAuthEvent).where(PendingAuthEvent.id <= pending[-1].id))
        return len(pending)


def _unknown_name_hashed(claimed: dict[str, object], key: bytes) -> dict[str, object]:
    """A name that is not a user is often a password typed in the name field (issue 19
    item 1): the trail keeps only a keyed hash of it, equal for equal attempts."""
    typed = claimed.pop("unknown_name", None)
    if isinstance(typed, str):
        data = b"caseintake/login-name|" + typed.encode("utf-8", "surrogatepass")
        mac = hmac.new(key, data, hashlib.sha256)
        claimed["name_hash"] = mac.hexdigest()[:24]
    return claimed


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 59) // 60)
