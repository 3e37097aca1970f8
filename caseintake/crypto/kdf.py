"""Password-based key derivation for key slots: Argon2id, every parameter bounded.

The cost of new slots is a database setting chosen at ``init`` and changed by an admin
(services/access/security_settings.py); each slot stores its own parameters and is re-wrapped at the
next login when the database asks for more (issue 10 item 7). ``STRONG`` is the default:
64 MiB and 14 passes, about 0.6 s of CPU per derivation on the 2-core reference machine (bench
figure in the README), inside DESIGN §4's 1 s bar and far above OWASP's minimum
(m = 19 MiB, t = 2). Parameters read back from the file are checked before use: a tampered
slot asking for 4 TiB or 100,000 passes is refused in one sentence, never run (item 9).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from caseintake.crypto.errors import CryptoError

KEY_BYTES = 32
ALGORITHM = "argon2id"
SALT_BYTES = 16
MIN_SALT, MAX_SALT = 16, 64
MAX_MEMORY_KIB = 1 << 20  # 1 GiB
MAX_ITERATIONS = 64
MAX_LANES = 16
BURN_SALT = b"\0" * 16  # an unknown name's derivation (slots.burn_time, early_login.py)
MAX_KDF_JSON = 1000  # a slot's stored parameters: a longer text is a damaged slot
MAX_WORK = 8 << 20  # memory x passes, KiB: eight times STRONG, a few seconds here


@dataclass(frozen=True)
class KdfCost:
    memory_kib: int
    iterations: int
    lanes: int = 1

    def __post_init__(self) -> None:
        values = (self.memory_kib, self.iterations, self.lanes)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise CryptoError("crypto.kdf_out_of_bounds")
        if not (
            1 <= self.lanes <= MAX_LANES
            and 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB
            and 1 <= self.iterations <= MAX_ITERATIONS
            and self.memory_kib * self.iterations <= MAX_WORK
        ):
            raise CryptoError("crypto.kdf_out_of_bounds")

    def below(self, other: KdfCost) -> bool:
        """True when a slot at this cost is cheaper to attack than ``other`` asks for."""
        return self.memory_kib < other.memory_kib or self.iterations < other.iterations


STRONG = KdfCost(memory_kib=65536, iterations=14, lanes=1)


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    cost: KdfCost = STRONG
    algorithm: str = ALGORITHM

    @classmethod
    def fresh(cls, cost: KdfCost = STRONG) -> KdfParams:
        return cls(salt=os.urandom(SALT_BYTES), cost=cost)

    def to_json(self) -> dict[str, object]:
        return {
            "algorithm": self.algorithm,
            "salt": self.salt.hex(),
            "memory_kib": self.cost.memory_kib,
            "iterations": self.cost.iterations,
            "lanes": self.cost.lanes,
        }

    @classmethod
    def from_json(cls, data: object) -> KdfParams:
        """Parameters as stored in a slot, each checked: anything else is a damaged slot."""
        try:
            if not isinstance(data, dict) or data.get("algorithm") != ALGORITHM:
                raise CryptoError("crypto.slot_damaged")
            salt_hex = data["salt"]
            if not isinstance(salt_hex, str) or len(salt_hex) > 2 * MAX_SALT:
                raise CryptoError("crypto.slot_damaged")
            salt = bytes.fromhex(salt_hex)
            if not MIN_SALT <= len(salt) <= MAX_SALT:
                raise CryptoError("crypto.slot_damaged")
            cost = KdfCost(data["memory_kib"], data["iterations"], data["lanes"])
        except CryptoError:
            raise CryptoError("crypto.slot_damaged") from None
        except (KeyError, ValueError, TypeError):
            raise CryptoError("crypto.slot_damaged") from None
        return cls(salt, cost)


def derive_key(password: str, params: KdfParams) -> bytes:
    """The key-encryption key for a password (NFC-normalised so Vietnamese input is stable)."""
    if params.algorithm != ALGORITHM:
        raise CryptoError("crypto.slot_damaged")
    # surrogatepass: a password smuggled in as undecodable bytes fails to unlock, never crashes.
    secret = unicodedata.normalize("NFC", password).encode("utf-8", "surrogatepass")
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_BYTES,
        iterations=params.cost.iterations,
        lanes=params.cost.lanes,
        memory_cost=params.cost.memory_kib,
    )
    return kdf.derive(secret)


def most_common_cost(texts: Iterable[object], max_json: int) -> KdfCost | None:
    """The cost most of these slots' stored parameters carry (the higher on a tie), None when
    none reads: what an unknown name's derivation costs (``AuthService._slots_cost``)."""
    counts = Counter(t for t in texts if isinstance(t, str) and len(t) <= max_json)
    costs: Counter[KdfCost] = Counter()
    for text, n in counts.items():
        try:
            costs[KdfParams.from_json(json.loads(text)).cost] += n
        except (ValueError, TypeError, KeyError, RecursionError):
            continue
    if not costs:
        return None
    return max(costs, key=lambda c: (costs[c], c.memory_kib * c.iterations * c.lanes))
