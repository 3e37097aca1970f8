"""Counting login attempts so that lockout holds under concurrency (issue 10 item 6).

Each attempt is admitted in one write transaction that checks the lock *and* counts the
attempt before the slow key derivation runs: forty attempts started together queue for the
write lock, the first ``lockout_failures`` are let through and the rest are refused, whatever
their password. A success refunds the count. Known and unknown names share one table keyed
by a salted digest of the typed name, so an unknown name is counted, locked and answered
exactly as a real one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseintake.crypto.sealing import seal
from caseintake.crypto.slots import KeySlot
from caseintake.services.access.security_settings import SecurityPolicy, read_policy
from caseintake.services.keys.ring import slot_of
from caseintake.store.db import Database
from caseintake.store.models import KeySlotRow, LoginThrottle, Meta, PendingAuthEvent, User

SEAL_CONTEXT = "caseintake/pending-auth/2"
_PG_THROTTLE_LOCK = 0x111D  # serialises admissions on PostgreSQL, as BEGIN IMMEDIATE does on SQLite


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    role: str
    disabled: bool
    must_change_password: bool
    language: str


@dataclass(frozen=True)
class Admission:
    digest: str
    policy: SecurityPolicy
    locked_until: datetime | None = None  # set when the attempt is refused
    account: Account | None = None
    slot: KeySlot | None = None
    slot_id: str | None = None
    signing_blob: bytes | None = None  # the holder's signing key, wrapped like the data key


def name_digest(db_id: str, name: str) -> str:
    data = f"caseintake/login-name|{db_id}|{name}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def typed_name(account: Account | None, name: str) -> dict[str, str]:
    """What a pending record says about the typed name: a user's name as it is; anything else
    (often a password typed in the wrong field) only until the next login, which replaces it
    with a keyed hash (``AuthService.seal_pending``), so repeated attempts still count alike."""
    return {"name": name} if account is not None else {"unknown_name": name}


def record_pending(
    s: Session, action: str, user_id: str | None, details: dict[str, str], now: datetime
) -> None:
    """Seal what happened, to whom and when, all of it (issue 10 item 5)."""
    public = s.execute(select(Meta.sealing_public_key)).scalar_one()
    body = {"action": action, "user_id": user_id, "at": now.isoformat(), **details}
    sealed = seal(public, json.dumps(body, ensure_ascii=False).encode(), SEAL_CONTEXT)
    s.add(PendingAuthEvent(sealed=sealed))


class Throttle:
    def __init__(self, db: Database) -> None:
        self._db = db

    def admit(self, name: str, now: datetime) -> Admission:
        with self._db.write() as s:
            if not self._db.is_sqlite:
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_THROTTLE_LOCK})
            policy = read_policy(s)
            db_id = s.execute(select(Meta.db_id)).scalar_one()
            digest = name_digest(str(db_id), name)
            user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
            row = None
            if user is not None:
                row = s.execute(
                    select(KeySlotRow).where(KeySlotRow.user_id == user.id)
                ).scalar_one_or_none()
            slot = slot_of(row) if row is not None else None  # a damaged slot: one sentence
            account = None
            if user is not None and row is not None:
                account = Account(
                    user.id,
                    user.name,
                    user.role,
                    bool(user.disabled),
                    bool(user.must_change_password),
                    user.language,
                )
            user_id = account.id if account else None
            count = s.get(LoginThrottle, digest)
            if count is None:
                count = LoginThrottle(name_digest=digest, failed_count=0)
                s.add(count)
            if count.locked_until is not None and count.locked_until > now:
                record_pending(s, "login_refused_locked", user_id, typed_name(account, name), now)
                return Admission(digest, policy, count.locked_until)
            window_over = (
                count.first_failed_at is None
                or now - count.first_failed_at > policy.lockout_window
                or count.locked_until is not None
            )
            if window_over:
                count.failed_count, count.first_failed_at, count.locked_until = 0, now, None
            if count.failed_count >= policy.lockout_failures:  # attempts in flight spent it
                count.locked_until = now + policy.lockout_duration
                record_pending(s, "lockout", user_id, typed_name(account, name), now)
                return Admission(digest, policy, count.locked_until)
            count.failed_count += 1
            if row is None:
                return Admission(digest, policy, None, account, slot)
            return Admission(digest, policy, None, account, slot, row.id, row.signing_key)

    def failed(self, adm: Admission, name: str, now: datetime) -> bool:
        """The attempt was wrong: it stays counted; True when it locks the name now."""
        user_id = adm.account.id if adm.account else None
        said = typed_name(adm.account, name)
        with self._db.write() as s:
            record_pending(s, "login_failed", user_id, said, now)
            count = s.get(LoginThrottle, adm.digest)
            if count is None or count.failed_count < adm.policy.lockout_failures:
                return False
            if count.locked_until is None or count.locked_until <= now:
                count.locked_until = now + adm.policy.lockout_duration
                record_pending(s, "lockout", user_id, said, now)
            return True

    @staticmethod
    def succeeded(s: Session, digest: str) -> None:
        count = s.get(LoginThrottle, digest)
        if count is not None:
            count.failed_count, count.first_failed_at, count.locked_until = 0, None, None

    @staticmethod
    def locked_names(s: Session, db_id: str, names: list[str], now: datetime) -> set[str]:
        digests = {name_digest(db_id, n): n for n in names}
        rows = s.execute(
            select(LoginThrottle.name_digest).where(
                LoginThrottle.name_digest.in_(list(digests)), LoginThrottle.locked_until > now
            )
        ).scalars()
        return {digests[d] for d in rows}
