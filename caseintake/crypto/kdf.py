"""Password-based key derivation for key slots: Argon2id at OWASP-recommended cost.

OWASP Password Storage Cheat Sheet, first Argon2id option: m = 46 MiB, t = 1, p = 1
(about 60 ms here, well under the 1 s bar of DESIGN §4).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    memory_kib: int = 47104
    iterations: int = 1
    lanes: int = 1
    algorithm: str = "argon2id"

    @classmethod
    def fresh(cls) -> KdfParams:
        return cls(salt=os.urandom(16))

    def to_json(self) -> dict[str, object]:
        return {
            "algorithm": self.algorithm,
            "salt": self.salt.hex(),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> KdfParams:
        return cls(
            salt=bytes.fromhex(str(data["salt"])),
            memory_kib=int(str(data["memory_kib"])),
            iterations=int(str(data["iterations"])),
            lanes=int(str(data["lanes"])),
            algorithm=str(data["algorithm"]),
        )


def derive_key(password: str, params: KdfParams) -> bytes:
    """The key-encryption key for a password (NFC-normalised so Vietnamese input is stable)."""
    import unicodedata

    if params.algorithm != "argon2id":
        raise ValueError(f"unsupported key derivation {params.algorithm!r}")
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)
