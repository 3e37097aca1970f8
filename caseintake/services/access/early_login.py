"""A login that accepts a password before the services are built (issue 23 item 3).

The services (SQLAlchemy, the models, every service) take a launch about a second more than a
bare app needs to check a password. A password typed before they are ready starts its key
derivation at once (64 MiB, 14 passes: most of a login's time, and Argon2id lets the imports
run beside it) from what this module reads with the driver alone: the schema's revision
(the same check as ``Services.check_ready``: nothing is derived on a file this program does not
know) and the typed name's slot parameters, or, for a name without a slot, the cost an unknown
name burns (``AuthService._slots_cost``). The login itself is unchanged: the attempt is
admitted and counted by the throttle, then the slot the admission read is opened with this
derived key only when its parameters are the ones derived with (else derived again), and a
refused attempt's key is dropped unused. Nothing here writes, and nothing of the database's
data is read but the slots' public parameters. Imports no SQLAlchemy; it does import what
bench/bench_startup.py's bare app imports for a password check (Argon2id, AES-GCM), so the
launch is usable here by the same measure; the rest of the unwrap (crypto/slots.py: a sealed
slot's X25519, the key ring) loads with the services, beside the derivation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401  the unwrap's

from caseintake.crypto.kdf import BURN_SALT, MAX_KDF_JSON, KdfParams, derive_key, most_common_cost
from caseintake.store import schema_version


@dataclass(frozen=True)
class EarlyKey:
    """A key derived from one password with ``params``; ``proof`` binds it to that password."""

    params: KdfParams
    kek: bytes
    proof: bytes

    def for_slot(self, params: KdfParams | None, password: str) -> bytes | None:
        """The key, when derived from this password with exactly these parameters."""
        if params != self.params or not hmac.compare_digest(_proof(self.kek, password), self.proof):
            return None
        return self.kek

    def burned(self, params: KdfParams, password: str) -> bool:
        return self.for_slot(params, password) is not None


def _proof(kek: bytes, password: str) -> bytes:
    return hmac.digest(kek, password.encode("utf-8", "surrogatepass"), hashlib.sha256)


class LoginGate:
    """An SQLite file at this program's schema head, read through the driver, read-only."""

    def __init__(self, path: Path) -> None:
        self._uri = f"file:{quote(str(path))}?mode=ro"

    @classmethod
    def open(cls, url: str) -> LoginGate | None:
        """The gate of a plain SQLite URL at the head revision; None otherwise (the services,
        once built, say why in one sentence)."""
        path = _sqlite_path(url)
        if path is None or not path.is_file():
            return None
        gate = cls(path)
        try:
            with gate._connect() as conn:
                rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:
            return None
        if [r[0] for r in rows] != [schema_version.head_revision()]:
            return None
        return gate

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._uri, uri=True, timeout=5, check_same_thread=False)

    def params_for(self, name: str) -> KdfParams | None:
        """What the login will derive with for this name, or None when unsure."""
        try:
            with self._connect() as conn:
                found = conn.execute(
                    "SELECT k.kdf FROM users u JOIN key_slots k ON k.user_id = u.id "
                    "WHERE u.name = ? AND k.kind = 'password'",
                    (name,),
                ).fetchall()
                if len(found) > 1:
                    return None
                if found:
                    text = found[0][0]
                    if not isinstance(text, str) or len(text) > MAX_KDF_JSON:
                        return None
                    return KdfParams.from_json(json.loads(text))
                texts = conn.execute(
                    "SELECT kdf FROM key_slots WHERE kind = 'password' LIMIT 10000"
                ).fetchall()
        except (sqlite3.Error, ValueError, TypeError, KeyError, RecursionError):
            return None  # a damaged slot: the login's own reading says so
        cost = most_common_cost((t for (t,) in texts), MAX_KDF_JSON)
        return KdfParams(salt=BURN_SALT, cost=cost) if cost is not None else None

    def derive(self, name: str, password: str) -> EarlyKey | None:
        params = self.params_for(name)
        if params is None:
            return None
        kek = derive_key(password, params)
        return EarlyKey(params, kek, _proof(kek, password))


def _sqlite_path(url: str) -> Path | None:
    """The file of a plain ``sqlite:///path`` URL; None for anything else (query, memory)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    rest = url.removeprefix(prefix)
    return Path(rest) if rest and rest != ":memory:" else None
