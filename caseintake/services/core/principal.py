"""Who is acting, with the keys their login unwrapped. Lives in memory only."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.keys import DataKey
from caseintake.domain.errors import DomainError

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

    def require(self, *roles: str) -> None:
        """Role checks live in the services, not only in the UI (issue 2, item 4)."""
        if self.role not in roles:
            raise DomainError("auth.forbidden", role=self.role)
