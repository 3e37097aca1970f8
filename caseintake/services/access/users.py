"""Users and roles: added by an admin with a one-time password, changed at first login."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.user_certs import public_bytes as key_public
from caseintake.domain.errors import DomainError
from caseintake.domain.user_names import name_skeleton
from caseintake.services.access.login_throttle import Throttle, name_digest
from caseintake.services.access.passwords import check_new_password, one_time_password
from caseintake.services.access.security_settings import read_policy
from caseintake.services.access.setup import check_user_name
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trust import new_signing_key, sign_user
from caseintake.services.core.principal import ROLES, Principal
from caseintake.services.core.settings import Settings
from caseintake.services.keys.ring import put_password_slot
from caseintake.store.db import Database
from caseintake.store.models import KeySlotRow, User


def check_name_free(s: Session, name: str) -> None:
    """No name that looks like a user's (issue 20 item 3); the users table is small."""
    wanted = name_skeleton(name)
    for (other,) in s.execute(select(User.name)):
        if name_skeleton(other) == wanted:
            raise DomainError("access_checks.name_look_alike", name=name, other=other)


def _slot_id(s: Session, user_id: str) -> str:
    return str(s.execute(select(KeySlotRow.id).where(KeySlotRow.user_id == user_id)).scalar_one())


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    disabled: bool
    must_change_password: bool
    locked: bool


class UserService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def add(self, admin: Principal, name: str, role: str, password: str | None = None) -> str:
        """Create a user; returns the one-time password (given, or generated here)."""
        admin.require("admin")
        check_user_name(name)
        if role not in ROLES:
            raise DomainError("auth.bad_role", role=role, roles=", ".join(ROLES))
        otp = password or one_time_password()
        check_new_password(name, otp)
        now = self._settings.clock()
        with self._db.write() as s:
            if s.execute(select(User.id).where(User.name == name)).first():
                raise DomainError("auth.user_exists", name=name)
            check_name_free(s, name)
            user_id = str(uuid.uuid4())
            key = new_signing_key()
            user = User(
                id=user_id,
                name=name,
                role=role,
                must_change_password=True,
                disabled=False,
                created_at=now,
                public_key=key_public(key),
            )
            s.add(user)
            s.flush()
            cost = read_policy(s).kdf
            slot_id = put_password_slot(s, admin.keys.data_key, user_id, otp, now, cost, key)
            sign_user(s, admin, user, slot_id)
            self._audit.append(
                s,
                admin.keys,
                admin.name,
                "user_added",
                "user",
                user_id,
                {"name": name, "role": role},
            )
        return otp

    def list(self, actor: Principal) -> list[UserInfo]:
        actor.require("admin", "supervisor")
        now = self._settings.clock()
        with self._db.read() as s:
            rows = s.execute(select(User).order_by(User.name)).scalars().all()
            locked = Throttle.locked_names(s, self._audit.db_id(s), [u.name for u in rows], now)
            return [
                UserInfo(u.name, u.role, u.disabled, u.must_change_password, u.name in locked)
                for u in rows
            ]

    def disable(self, admin: Principal, name: str) -> None:
        admin.require("admin")
        if name == admin.name:
            raise DomainError("auth.cannot_disable_self")
        with self._db.write() as s:
            user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
            if user is None:
                raise DomainError("auth.no_such_user", name=name)
            user.disabled = True
            sign_user(s, admin, user, _slot_id(s, user.id))
            self._audit.append(
                s, admin.keys, admin.name, "user_disabled", "user", user.id, {"name": name}
            )

    def enable(self, admin: Principal, name: str) -> None:
        """Undo a disable (the admin desk, issue 10): signed like every change of standing."""
        self._set_standing(admin, name, "user_enabled", disabled=False)

    def change_role(self, admin: Principal, name: str, role: str) -> None:
        """Give a user another role (the admin desk, issue 10); never one's own."""
        if role not in ROLES:
            raise DomainError("auth.bad_role", role=role, roles=", ".join(ROLES))
        self._set_standing(admin, name, "user_role_changed", role=role)

    def _set_standing(
        self, admin: Principal, name: str, action: str, *, disabled: bool | None = None,
        role: str | None = None,
    ) -> None:  # fmt: skip
        admin.require("admin")
        if name == admin.name:
            raise DomainError("admin.users.not_self")
        with self._db.write() as s:
            user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
            if user is None:
                raise DomainError("auth.no_such_user", name=name)
            details: dict[str, object] = {"name": name}
            if disabled is not None:
                if user.disabled == disabled:
                    raise DomainError("admin.users.no_change", name=name)
                user.disabled = disabled
            if role is not None:
                if user.role == role:
                    raise DomainError("admin.users.no_change", name=name)
                details.update({"from": user.role, "to": role})
                user.role = role
            sign_user(s, admin, user, _slot_id(s, user.id))
            self._audit.append(s, admin.keys, admin.name, action, "user", user.id, details)

    def reset_with_recovery(self, recovery_principal: Principal, name: str) -> str:
        """A lost password: the recovery key re-wraps the data key under a new one-time password."""
        otp = one_time_password()
        now = self._settings.clock()
        with self._db.write() as s:
            user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
            if user is None:
                raise DomainError("auth.no_such_user", name=name)
            cost = read_policy(s).kdf
            key = new_signing_key()  # the old one is wrapped under the lost password
            user.public_key = key_public(key)
            slot_id = put_password_slot(
                s, recovery_principal.keys.data_key, user.id, otp, now, cost, key
            )
            sign_user(s, recovery_principal, user, slot_id)
            user.must_change_password = True
            Throttle.succeeded(s, name_digest(self._audit.db_id(s), name))
            self._audit.append(
                s,
                recovery_principal.keys,
                "recovery-key",
                "password_reset",
                "user",
                user.id,
                {"name": name},
            )
        return otp
