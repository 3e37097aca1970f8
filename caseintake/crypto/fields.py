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
    """Encrypts and decrypts one column value at a time; keys stay in memory only."""

    def __init__(self, data_key: DataKey, older: tuple[DataKey, ...] = ()) -> None:
        self.version = data_key.version
        self._aead = {k.version: AESGCM(k.field_key()) for k in (*older, data_key)}

    def encrypt(self, table: str, column: str, row_id: str, plaintext: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        aad = associated_data(table, column, row_id, self.version)
        body = self._aead[self.version].encrypt(nonce, plaintext.encode("utf-8"), aad)
        return _HEADER.pack(FORMAT, self.version) + nonce + body

    def decrypt(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        where = f"{table}.{column}"
        if len(blob) < _HEADER.size + NONCE_BYTES + 16:
            raise CryptoError("crypto.field_corrupt", where=where, row=row_id)
        fmt, version = _HEADER.unpack_from(blob)
        aead = self._aead.get(version)
        if fmt != FORMAT or aead is None:
            raise CryptoError("crypto.field_unknown_key", where=where, row=row_id)
        nonce = blob[_HEADER.size : _HEADER.size + NONCE_BYTES]
        aad = associated_data(table, column, row_id, version)
        try:
            plain = aead.decrypt(nonce, blob[_HEADER.size + NONCE_BYTES :], aad)
        except InvalidTag:
            raise CryptoError("crypto.field_corrupt", where=where, row=row_id) from None
        return plain.decode("utf-8")

    def encrypt_opt(self, table: str, column: str, row_id: str, text: str | None) -> bytes | None:
        return None if text is None else self.encrypt(table, column, row_id, text)

    def decrypt_opt(self, table: str, column: str, row_id: str, blob: bytes | None) -> str | None:
        return None if blob is None else self.decrypt(table, column, row_id, blob)
