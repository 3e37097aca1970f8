"""Who is acting, with the keys their login unwrapped. Lives in memory only."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.keys import DataKey
from caseintake.domain.errors import DomainError

if TYPE_CHECKING:
    from caseintake.services.core.standing import Standing

ROLES = ("operator", "supervisor", "admin")


@dataclass(frozen=True)
class Keys:
    data_key: DataKey = field(repr=False)
    # The holder's own Ed25519 key (from their slot, never from the shared data key).
    signing: Ed25519PrivateKey | None = field(default=None, repr=False, compare=False)
    # Whose key ``signing`` is: a user id, or "recovery"; it signs the audit events this
    # session appends (issue 10 item 2).
    signer: str | None = None

    @cached_property
    def cipher(self) -> FieldCipher:
        return FieldCipher(self.data_key)

    @cached_property
    def blind_key(self) -> bytes:
        return self.data_key.blind_index_key()

    @cached_property
    def audit_key(self) -> bytes:
        return self.data_key.audit_key()


@dataclass(frozen=True)
class Principal:
    user_id: str
    name: str
    role: str
    keys: Keys = field(repr=False)
    must_change_password: bool = False
    language: str = "vi"
    # Re-read from the users row at each service call, cached a few seconds (issue 20 item 7);
    # None for the recovery key, which is no user.
    standing: Standing | None = field(default=None, repr=False, compare=False)

    def check_standing(self) -> None:
        """Refuse a session whose user was disabled or given another role since login."""
        if self.standing is not None:
            self.standing.check()

    def require(self, *roles: str) -> None:
        """Role checks live in the services, not only in the UI (issue 2, item 4)."""
        self.check_standing()
        if self.role not in roles:
            raise DomainError("auth.forbidden", role=self.role)
