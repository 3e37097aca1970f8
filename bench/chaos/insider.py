"""What an insider holds: write access to the file and the state folder, and their own password.

From their own key slot they unwrap the data key (so the audit MAC key, the field cipher and
the data-key-derived checkpoint key, crypto/keys.py) and their own Ed25519 signing key; they
hold no other user's signing key. Everything here is raw SQL on a copy of the file, the
append-only triggers dropped first, as anyone holding the file can.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseintake.crypto.audit_chain import canonical, genesis_mac, next_mac
from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.keys import DataKey

EVENT = ("seq", "at_us", "actor", "action", "entity", "entity_id", "details", "mac")


@dataclass(frozen=True)
class InsiderKeys:
    user_id: str
    name: str
    data_key: DataKey
    signing: Ed25519PrivateKey | None

    @property
    def audit_key(self) -> bytes:
        return self.data_key.audit_key()

    @property
    def cipher(self) -> FieldCipher:
        return FieldCipher(self.data_key)


def unwrap_own_slot(db_file: Path, name: str, password: str) -> InsiderKeys:
    """The insider's keys, from their own slot and password only (what login does, no event)."""
    from sqlalchemy import select

    from caseintake.crypto.slots import unwrap_with_kek
    from caseintake.crypto.user_certs import unwrap_signing_key
    from caseintake.services.keys.ring import slot_of
    from caseintake.store.db import Database
    from caseintake.store.models import KeySlotRow, User

    db = Database(f"sqlite:///{db_file}")
    with db.read() as s:
        user_id = s.execute(select(User.id).where(User.name == name)).scalar_one()
        row = s.execute(select(KeySlotRow).where(KeySlotRow.user_id == user_id)).scalar_one()
        slot, slot_id, blob = slot_of(row), row.id, row.signing_key
    db.dispose()
    data_key, kek = unwrap_with_kek(slot, password, slot_id)
    signing = None if blob is None else unwrap_signing_key(kek, blob, slot_id, user_id)
    return InsiderKeys(user_id, name, data_key, signing)


class RawFile:
    """One copy of the database, opened as a plain SQLite file with the triggers off."""

    def __init__(self, db_file: Path, keys: InsiderKeys, db_id: str) -> None:
        self.conn = sqlite3.connect(db_file, isolation_level=None)
        self.conn.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        self.conn.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        self.keys = keys
        self.db_id = db_id
        self.signed = self.one("SELECT count(*) FROM audit_events WHERE sig IS NOT NULL") > 0

    def one(self, sql: str, *params: object) -> Any:
        return self.conn.execute(sql, params).fetchone()[0]

    def run(self, sql: str, *params: object) -> None:
        self.conn.execute(sql, params)

    def events(self, lo: int = -(1 << 62)) -> list[dict[str, Any]]:
        cols = (*EVENT, "signer", "sig", "states")
        rows = self.conn.execute(
            f"SELECT {', '.join(cols)} FROM audit_events WHERE seq >= ? ORDER BY seq", (lo,)
        )
        return [dict(zip(cols, row, strict=True)) for row in rows]

    def signed_seqs(self) -> list[int]:
        return [
            r[0] for r in self.conn.execute("SELECT seq FROM audit_events WHERE sig IS NOT NULL")
        ]

    def mac_at(self, seq: int) -> bytes:
        if seq < 1:
            return genesis_mac(self.keys.audit_key, self.db_id)
        return bytes(self.one("SELECT mac FROM audit_events WHERE seq = ?", seq))

    def rewrite_from(self, start: int, rows: list[dict[str, Any]], others_too: bool = True) -> None:
        """Replace every event from ``start`` on by ``rows``, renumbered from ``start``, each
        details re-encrypted for its new seq (the cipher binds the seq), MACs recomputed with
        the audit key and, where events carry signatures, re-signed with the insider's own key
        (the only signing key they hold): every signed event, or with ``others_too=False`` only
        the insider's own, others' keeping their signatures over the old MACs."""
        prev = self.mac_at(start - 1)
        cipher = self.keys.cipher
        self.run("BEGIN")
        self.run("DELETE FROM audit_events WHERE seq >= ?", start)
        for seq, row in enumerate(rows, start):
            details = bytes(row["details"])
            if row["seq"] != seq:
                details = self._moved(cipher, row["seq"], seq, details)
            states = None if row.get("states") is None else bytes(row["states"])
            body = canonical(
                seq, row["at_us"], row["actor"], row["action"], row["entity"], row["entity_id"],
                details, states,
            )  # fmt: skip
            mac = next_mac(self.keys.audit_key, prev, body)
            signer, sig = row["signer"], row["sig"]
            if self.signed and signer == self.keys.user_id and (sig is not None or others_too):
                sig = self._sign(seq, mac)
            elif self.signed and signer is not None and others_too:
                signer, sig = self.keys.user_id, self._sign(seq, mac)
            self.run(
                "INSERT INTO audit_events (seq, at_us, actor, action, entity, entity_id, details,"
                " mac, signer, sig, states) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seq, row["at_us"], row["actor"], row["action"], row["entity"], row["entity_id"],
                details, mac, signer, sig, states,
            )  # fmt: skip
            prev = mac
        self.run("COMMIT")

    def _moved(self, cipher: FieldCipher, old: int, new: int, details: bytes) -> bytes:
        """Details re-encrypted for their new seq; left as they are when this key cannot open
        them (details sealed under a per-case key): verify reads MACs and signatures only."""
        from caseintake.crypto.errors import CryptoError

        try:
            plain = cipher.decrypt("audit_events", "details", str(old), details)
        except (CryptoError, ValueError):
            return details
        return cipher.encrypt("audit_events", "details", str(new), plain)

    def _sign(self, seq: int, mac: bytes) -> bytes:
        """The insider's own signature, as the app would make it (crypto/event_sigs.py)."""
        from caseintake.crypto.event_sigs import sign_event

        assert self.keys.signing is not None, "a signed trail, yet the insider holds no key"
        signed_from = int(self.one("SELECT audit_signed_from FROM meta"))
        return sign_event(self.keys.signing, self.db_id, signed_from, seq, self.keys.user_id, mac)

    def forged(
        self, actor: str, action: str, entity: str, entity_id: str, at_us: int
    ) -> dict[str, Any]:
        """An event in someone's name, details encrypted as the app would (fixed up on write)."""
        details = self.keys.cipher.encrypt("audit_events", "details", "0", '{"reason":"chaos"}')
        return {
            "seq": 0, "at_us": at_us, "actor": actor, "action": action, "entity": entity,
            "entity_id": entity_id, "details": details, "mac": b"", "sig": None,
            "signer": self.keys.user_id if self.signed else None,
        }  # fmt: skip

    def close(self) -> None:
        self.conn.close()
