"""The audit events of a bulk build (issue 11 item 1), chained as ``AuditLog.append`` chains them.

The same bytes as the services write: the details JSON sealed under the key of the case the
event is about (``crypto.scoped_details``; events about no case under the general key ``-``),
the canonical event and its MAC (``crypto.audit_chain``), and at the end of each run of one
user's events, and at the end of each transaction, that user's Ed25519 signature
(``crypto.event_sigs``). What ``audit_details`` looks up per event the builder knows already
(which case an event is about; that a new case has no key yet), so nothing is read back per
event: each new case's key is made once and inserted with its batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseintake.crypto.audit_chain import ChainKey, canonical, genesis_mac, to_micros
from caseintake.crypto.event_sigs import payload as sig_payload
from caseintake.crypto.scoped_details import GENERAL_SCOPE, new_scope_key, seal_scoped
from caseintake.services.audit_details import ensure_current
from caseintake.services.principal import Keys
from caseintake.store.models import AuditEvent, CaseKeyRow, Meta

# One event: actor, action, entity, entity_id, details, at, and the scope of its details key.
BulkEvent = tuple[str, str, str, str, dict[str, Any], datetime, str]
# Signs ``(signer, payload)`` pairs in order, returning the signatures (see bulk_signing).
Signer = Callable[[list[tuple[str, bytes]]], list[bytes]]

_PG_CHAIN_LOCK = 0x111C  # the advisory lock ``AuditLog`` serialises the chain with


@dataclass
class ChainedBatch:
    """A batch's rows for ``case_keys`` and ``audit_events``, in insertion order."""

    case_keys: list[dict[str, Any]]
    events: list[dict[str, Any]]


class BulkChain:
    """Appends events after the chain's last one; ``open`` reads where it ends, once."""

    def __init__(self, keys: Keys, keys_of: Mapping[str, Keys], sign: Signer) -> None:
        self._keys = keys
        self._keys_of = keys_of
        self._sign = sign
        self._mac = ChainKey(keys.audit_key).mac
        self._scope_keys: dict[str, bytes] = {}
        self._new_keys: list[dict[str, Any]] = []
        self._seq = 0
        self._prev = b""
        self._db_id = ""
        self._signed_from: int | None = None

    def open(self, session: Session) -> None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
        ensure_current(session, self._keys)
        self._db_id, self._signed_from = session.execute(
            select(Meta.db_id, Meta.audit_signed_from)
        ).one()
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.mac).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        if last is None:
            self._seq, self._prev = 0, genesis_mac(self._keys.audit_key, self._db_id)
        else:
            self._seq, self._prev = last.seq, bytes(last.mac)
        wrapped = session.execute(
            select(CaseKeyRow.wrapped).where(CaseKeyRow.scope == GENERAL_SCOPE)
        ).scalar()
        if wrapped is None:
            self.new_scope(GENERAL_SCOPE)
        else:
            plain = self._keys.cipher.decrypt("case_keys", "wrapped", GENERAL_SCOPE, wrapped)
            self._scope_keys[GENERAL_SCOPE] = bytes.fromhex(plain)

    def new_scope(self, scope: str) -> None:
        """A new case's details key, wrapped under the data key as ``audit_details`` does."""
        key = self._scope_keys[scope] = new_scope_key()
        wrapped = self._keys.cipher.encrypt("case_keys", "wrapped", scope, key.hex())
        self._new_keys.append({"scope": scope, "wrapped": wrapped})

    def chain(self, events: list[BulkEvent]) -> ChainedBatch:
        """The rows of ``events``, each run's last event and the batch's last one signed."""
        rows: list[dict[str, Any]] = []
        seq, prev, mac_of, keys_of = self._seq, self._prev, self._mac, self._keys_of
        ends: list[int] = []  # indexes of the rows that carry a signature
        for actor, action, entity, entity_id, details, at, scope in events:
            seq += 1
            body = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
            blob = seal_scoped(self._scope_keys[scope], seq, scope, body)
            at_us = to_micros(at)
            prev = mac_of(prev, canonical(seq, at_us, actor, action, entity, entity_id, blob))
            signer = keys_of.get(actor, self._keys).signer
            if rows and rows[-1]["signer"] != signer:
                ends.append(len(rows) - 1)
            rows.append(
                {"seq": seq, "at_us": at_us, "actor": actor, "action": action,
                 "entity": entity, "entity_id": entity_id, "details": blob, "mac": prev,
                 "signer": signer, "sig": None}
            )  # fmt: skip
        if rows:
            ends.append(len(rows) - 1)
        self._seq, self._prev = seq, prev
        self._sign_ends(rows, ends)
        new_keys, self._new_keys = self._new_keys, []
        return ChainedBatch(new_keys, rows)

    def _sign_ends(self, rows: list[dict[str, Any]], ends: list[int]) -> None:
        if self._signed_from is None:
            return  # a database from before event signatures
        jobs, where = [], []
        for i in ends:
            row = rows[i]
            keys = self._keys_of.get(row["actor"], self._keys)
            if keys.signing is None or keys.signer is None:
                continue
            jobs.append(
                (row["actor"], sig_payload(self._db_id, self._signed_from, row["seq"],
                                           keys.signer, row["mac"]))
            )  # fmt: skip
            where.append(i)
        for i, sig in zip(where, self._sign(jobs), strict=True):
            rows[i]["sig"] = sig
