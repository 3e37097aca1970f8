"""The versions of the data key a session holds, and how older versions are kept.

A rotation makes a new version; every older version is kept wrapped under the newest (one
``data_keys`` row each, a field blob bound to ``data_keys|wrapped|<version>``), so whoever opens
the newest opens them all, and no one holding only an old version can climb to a newer one.
Old versions are kept for ever: audit details written before per-case keys existed, and the
rotation-stable sub-keys (audit MAC, blind index, sealing), derive from them.

A session that logged in before a rotation holds an older ring; ``refresh`` re-reads its own
key slot (which the rotation sealed to the slot's grant key) and installs the new version.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.keys import DATA_KEY_BYTES, DataKey
from caseintake.domain.errors import DomainError


class KeyRingError(DomainError):
    """The ring does not open, or a slot lags the newest version: one sentence, not a
    wrong-password answer (the password was right)."""


@dataclass(frozen=True)
class RingBlob:
    """One ``data_keys`` row as read from the file."""

    version: int
    wrapped: bytes


# Re-reads the holder's slot and the ring rows; returns (newest, all keys) or None.
Refresher = Callable[["KeyRing"], "tuple[DataKey, list[DataKey]] | None"]
CHECK_EVERY_S = 1.0  # how often a session writing fields looks for a newer version


class KeyRing:
    """Every data key version of this session; the newest encrypts, any opens."""

    def __init__(
        self,
        keys: Iterable[DataKey],
        grant: X25519PrivateKey | None = None,
        refresher: Refresher | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._keys: dict[int, DataKey] = {}
        self.grant = grant  # the slot's X25519 key, to open what a rotation sealed to it
        self._refresher = refresher
        self._checked = time.monotonic()
        # A field was encrypted since the last look for a newer version: if one is found now,
        # that write may be under the old version (services/audit/details.py refuses it).
        self.written_since_check = False
        self._install(list(keys))

    def _install(self, keys: list[DataKey]) -> None:
        if not keys:
            raise KeyRingError("keys.ring_incomplete")
        attached = {k.version: DataKey(k.secret, k.version, self) for k in keys}
        if sorted(attached) != list(range(1, max(attached) + 1)):
            raise KeyRingError("keys.ring_incomplete")
        self._keys = attached

    @property
    def current(self) -> DataKey:
        return self._keys[max(self._keys)]

    @property
    def base(self) -> DataKey:
        return self._keys[min(self._keys)]

    @property
    def versions(self) -> list[int]:
        return sorted(self._keys)

    def get(self, version: int) -> DataKey | None:
        found = self._keys.get(version)
        if found is None and version > self.current.version and self.refresh():
            found = self._keys.get(version)
        return found

    def install(self, keys: Iterable[DataKey]) -> None:
        """A rotation (or a refresh) hands this ring its new versions."""
        with self._lock:
            merged = {k.version: k for k in (*self._keys.values(), *keys)}
            self._install(list(merged.values()))

    def discard(self, version: int) -> None:
        """Forget a version whose rotation did not commit."""
        with self._lock:
            if version in self._keys and len(self._keys) > 1:
                self._install([k for v, k in self._keys.items() if v != version])

    def maybe_refresh(self) -> None:
        """Before encrypting: look for a newer version at most once a second."""
        if self._refresher is not None and time.monotonic() - self._checked > CHECK_EVERY_S:
            self.refresh()

    def refresh(self) -> bool:
        """Pick up a version a rotation made after this session logged in; False if none."""
        self._checked = time.monotonic()
        self.written_since_check = False
        if self._refresher is None:
            return False
        found = self._refresher(self)
        if found is None:
            return False
        newest, keys = found
        if newest.version <= self.current.version:
            return False
        self.install(keys)
        return True


def open_ring(newest: DataKey, blobs: Iterable[RingBlob]) -> list[DataKey]:
    """The newest key and every older one the ``data_keys`` rows wrap under it; a row that does
    not open under it (forged, or wrapped under another key) refuses the whole ring."""
    cipher = FieldCipher(DataKey(newest.secret, newest.version))
    keys = [DataKey(newest.secret, newest.version)]
    for blob in blobs:
        if blob.version >= newest.version:
            continue  # left by an unfinished start; never above the newest
        try:
            text = cipher.decrypt("data_keys", "wrapped", str(blob.version), blob.wrapped)
            secret = bytes.fromhex(text)
        except (CryptoError, ValueError):
            raise KeyRingError("keys.ring_incomplete") from None
        if len(secret) != DATA_KEY_BYTES:
            raise KeyRingError("keys.ring_incomplete")
        keys.append(DataKey(secret, blob.version))
    if sorted(k.version for k in keys) != list(range(1, newest.version + 1)):
        raise KeyRingError("keys.ring_incomplete")
    return keys


def wrap_older(newest: DataKey, older: DataKey) -> bytes:
    """One ``data_keys.wrapped`` value: an older version under the newest."""
    cipher = FieldCipher(DataKey(newest.secret, newest.version))
    return cipher.encrypt("data_keys", "wrapped", str(older.version), older.secret.hex())
