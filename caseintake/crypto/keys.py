"""The data key and the sub-keys derived from it with HKDF (DESIGN §4).

After a key rotation a session holds several versions (a ``KeyVersions``, the key ring): fields use the newest,
while the keys that must never change with a rotation (the audit MAC, the blind index, the
sealing and checkpoint keys) stay derived from the *first* version, the ring's base: the audit
chain covers MACs made with it and pending records are sealed to its public key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DATA_KEY_BYTES = 32


class KeyVersions(Protocol):
    """What a data key and a field cipher need of the session's key ring (``key_ring.KeyRing``):
    the first version (the rotation-stable sub-keys), the newest, and any by number."""

    written_since_check: bool

    @property
    def base(self) -> DataKey: ...

    @property
    def current(self) -> DataKey: ...

    def get(self, version: int) -> DataKey | None: ...

    def maybe_refresh(self) -> None: ...


def _hkdf(key: bytes, info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info.encode()).derive(key)


@dataclass(frozen=True)
class DataKey:
    """One random 256-bit key per database; it never touches disk in the clear."""

    secret: bytes = field(repr=False)
    version: int = 1
    # The versions this session holds (key rotation); None: this key alone, as before.
    ring: KeyVersions | None = field(default=None, repr=False, compare=False)

    @classmethod
    def generate(cls, version: int = 1) -> DataKey:
        return cls(os.urandom(DATA_KEY_BYTES), version)

    def __post_init__(self) -> None:
        if len(self.secret) != DATA_KEY_BYTES:
            raise ValueError("a data key is 32 bytes")

    def field_key(self) -> bytes:
        return _hkdf(self.secret, f"caseintake/field/v{self.version}")

    @property
    def _base_secret(self) -> bytes:
        """The first version's secret: what the rotation-stable sub-keys derive from."""
        return self.ring.base.secret if self.ring is not None else self.secret

    def blind_index_key(self) -> bytes:
        # Not versioned: a blind index must stay comparable across key rotations.
        return _hkdf(self._base_secret, "caseintake/blind-index")

    def audit_key(self) -> bytes:
        return _hkdf(self._base_secret, "caseintake/audit-mac")

    @cached_property
    def signing_key(self) -> Ed25519PrivateKey:
        """Ed25519 key for checkpoints, deterministic so every session signs alike."""
        return Ed25519PrivateKey.from_private_bytes(
            _hkdf(self._base_secret, "caseintake/checkpoint")
        )

    @cached_property
    def sealing_key(self) -> X25519PrivateKey:
        """X25519 key whose public half lets pre-login code seal audit details."""
        return X25519PrivateKey.from_private_bytes(_hkdf(self._base_secret, "caseintake/sealing"))
