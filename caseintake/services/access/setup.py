"""Creating a database: schema by migrations, the data key, the first admin, the recovery key."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import inspect, select

from caseintake.crypto.kdf import STRONG, KdfCost
from caseintake.crypto.keys import DataKey
from caseintake.crypto.line_identity import DEFAULT_CODE, DEFAULT_NAME, check_code, check_name
from caseintake.crypto.sealing import public_bytes
from caseintake.crypto.slots import new_recovery_key
from caseintake.crypto.user_certs import public_bytes as key_public
from caseintake.domain.errors import DomainError
from caseintake.domain.intake.field_checks import echo
from caseintake.services.access.passwords import check_new_password
from caseintake.services.access.security_settings import DEFAULT_POLICY, write_policy
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trust import Anchor, new_signing_key, pin_anchor, sign_user
from caseintake.services.core.principal import Keys, Principal
from caseintake.services.core.settings import Settings
from caseintake.services.core.standing import Standing
from caseintake.services.keys.ring import put_password_slot, put_recovery_slot
from caseintake.services.line.identity import create_identity
from caseintake.services.routing.directory import seed_directory
from caseintake.store import migrate
from caseintake.store.db import Database
from caseintake.store.models import Meta, User


class SetupService:
    default_kdf: KdfCost = STRONG
    anchor_fingerprint: str | None = None  # set by init: printed for the admin to write down

    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def is_initialised(self) -> bool:
        if "meta" not in inspect(self._db.engine).get_table_names():
            return False
        with self._db.read() as s:
            return s.execute(select(Meta.id)).first() is not None

    def init(
        self,
        admin_name: str,
        password: str,
        line: str = DEFAULT_CODE,
        kdf: KdfCost | None = None,
        line_name: str | None = None,
    ) -> tuple[Principal, str]:
        """Returns the admin's principal and the recovery key, shown once and never stored.

        ``kdf`` is the key derivation cost of every password slot of this database (default
        ``STRONG``; test fixtures choose a cheap one), kept in the database, never in the
        environment; an admin may raise it later and slots follow at their next login."""
        if self.is_initialised():
            raise DomainError("db.already_initialised")
        check_user_name(admin_name)
        check_new_password(admin_name, password)
        line = check_code(line)
        if line_name is None and line != DEFAULT_CODE:
            raise DomainError("line.name_required", code=line)
        line_name = check_name(line_name if line_name is not None else DEFAULT_NAME)
        migrate.upgrade(self._db.engine)
        now = self._settings.clock()
        data_key = DataKey.generate()
        recovery = new_recovery_key()
        admin_id, db_id = str(uuid.uuid4()), str(uuid.uuid4())
        admin_key, recovery_key = new_signing_key(), new_signing_key()
        # A new database signs every audit event from the first (issue 10 item 2).
        anchor = Anchor(admin_id, key_public(admin_key), key_public(recovery_key), 1)
        keys = Keys(data_key, admin_key, admin_id)
        standing = Standing(self._db, admin_id, "admin")
        principal = Principal(admin_id, admin_name, "admin", keys, standing=standing)
        with self._db.write() as s:
            s.add(
                Meta(
                    id=1,
                    db_id=db_id,
                    created_at=now,
                    key_version=data_key.version,
                    sealing_public_key=public_bytes(data_key.sealing_key),
                    line=line,
                    trust_anchor=anchor.to_json(),
                    audit_signed_from=anchor.audit_signed_from,
                )
            )
            admin = User(
                id=admin_id,
                name=admin_name,
                role="admin",
                must_change_password=False,
                disabled=False,
                created_at=now,
                public_key=anchor.admin_public,
            )
            s.add(admin)
            s.flush()
            cost = kdf or self.default_kdf
            write_policy(s, replace(DEFAULT_POLICY, kdf=cost), now)
            slot_id = put_password_slot(s, data_key, admin_id, password, now, cost, admin_key)
            sign_user(s, principal, admin, slot_id)
            put_recovery_slot(s, data_key, recovery, now, recovery_key)
            seeded = seed_directory(s)
            card, _line_keys = create_identity(s, keys, line, line_name, now)
            self._audit.append(
                s,
                principal.keys,
                admin_name,
                "db_initialised",
                "database",
                "-",
                {
                    "anchor_fingerprint": anchor.fingerprint,
                    "directory_entries": seeded,
                    "line": {"code": card.code, "name": card.name, "fingerprint": card.fingerprint},
                    "kdf": {"memory_kib": cost.memory_kib, "iterations": cost.iterations},
                },
            )
            self._audit.append(
                s,
                principal.keys,
                admin_name,
                "user_added",
                "user",
                admin_id,
                {"name": admin_name, "role": "admin"},
            )
        pin_anchor(self._settings.state_dir, db_id, anchor)
        self.anchor_fingerprint = anchor.fingerprint
        return principal, recovery


def check_user_name(name: str) -> None:
    """Letters, digits and ``._-``: no control character, space or markup ever in a name."""
    if not (1 <= len(name) <= 64) or not all(c.isalnum() or c in "._-" for c in name):
        raise DomainError("auth.bad_user_name", name=echo(name))  # echo: printable only
