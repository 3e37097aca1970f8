"""AES-256-GCM for encrypted columns, bound to their place (DESIGN §4).

Blob layout: format byte | key version (2 bytes, big-endian) | 96-bit nonce | ciphertext+tag.
Associated data: ``v1|table|column|row uuid|key version``, so a ciphertext copied to another
row or column, or under another key version, fails to decrypt instead of lying.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.keys import DataKey

FORMAT = 1
_HEADER = struct.Struct(">BH")
NONCE_BYTES = 12


def associated_data(table: str, column: str, row_id: str, key_version: int) -> bytes:
    return f"v{FORMAT}|{table}|{column}|{row_id}|{key_version}".encode()


class FieldCipher:
    """Encrypts and decrypts one column value at a time; keys stay in memory only.

    With a key ring (after a rotation) it encrypts under the ring's newest version at the time
    of each call and decrypts any version the ring holds, asking the ring to refresh itself
    when a value is under a version newer than it knows (a rotation since the login)."""

    def __init__(self, data_key: DataKey, older: tuple[DataKey, ...] = ()) -> None:
        self._ring = data_key.ring
        self._fixed = data_key.version
        self._aead = {k.version: AESGCM(k.field_key()) for k in (*older, data_key)}

    @property
    def version(self) -> int:
        return self._ring.current.version if self._ring is not None else self._fixed

    def _aead_of(self, version: int) -> AESGCM | None:
        aead = self._aead.get(version)
        if aead is None and self._ring is not None:
            key = self._ring.get(version)
            if key is not None:
                aead = self._aead[version] = AESGCM(key.field_key())
        return aead

    def encrypt(self, table: str, column: str, row_id: str, plaintext: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        if self._ring is not None:
            self._ring.maybe_refresh()
            self._ring.written_since_check = True
        version = self.version
        aead = self._aead_of(version)
        assert aead is not None  # the ring always holds its newest version
        aad = associated_data(table, column, row_id, version)
        body = aead.encrypt(nonce, plaintext.encode("utf-8"), aad)
        return _HEADER.pack(FORMAT, version) + nonce + body

    def decrypt(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        where = f"{table}.{column}"
        if len(blob) < _HEADER.size + NONCE_BYTES + 16:
            raise CryptoError("crypto.field_corrupt", where=where, row=row_id)
        fmt, version = _HEADER.unpack_from(blob)
        aead = self._aead_of(version) if fmt == FORMAT else None
        if aead is None:
            raise CryptoError("crypto.field_unknown_key", where=where, row=row_id)
        nonce = blob[_HEADER.size : _HEADER.size + NONCE_BYTES]
        aad = associated_data(table, column, row_id, version)
        try:
            plain = aead.decrypt(nonce, blob[_HEADER.size + NONCE_BYTES :], aad)
        except InvalidTag:
            raise CryptoError("crypto.field_corrupt", where=where, row=row_id) from None
        return plain.decode("utf-8")

    @staticmethod
    def version_of(blob: bytes) -> int | None:
        """The key version in a field blob's header; None when it is not a field blob."""
        if len(blob) < _HEADER.size + NONCE_BYTES + 16:
            return None
        fmt, version = _HEADER.unpack_from(blob)
        return int(version) if fmt == FORMAT else None

    def encrypt_opt(self, table: str, column: str, row_id: str, text: str | None) -> bytes | None:
        return None if text is None else self.encrypt(table, column, row_id, text)

    def decrypt_opt(self, table: str, column: str, row_id: str, blob: bytes | None) -> str | None:
        return None if blob is None else self.decrypt(table, column, row_id, blob)
