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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseintake.crypto.audit_chain import canonical, genesis_mac, next_mac
from caseintake.crypto.event_sigs import payload as sig_payload
from caseintake.crypto.scoped_details import GENERAL_SCOPE, new_scope_key, seal_scoped
from caseintake.services.audit.details import ensure_current
from caseintake.services.core.principal import Keys
from caseintake.store.models import AuditEvent, CaseKeyRow, Meta

# One event: actor, action, entity, entity_id, details as JSON (as ``AuditLog`` dumps them),
# its time in microseconds, the scope of its details key, and the states of the rows it wrote
# (issue 20).
BulkEvent = tuple[str, str, str, str, str, int, str, bytes | None]
# What a signature is asked of: the actor whose key signs, and the bytes it covers.
SignJob = tuple[str, bytes]

_PG_CHAIN_LOCK = 0x111C  # the advisory lock ``AuditLog`` serialises the chain with
# An event row's values: plain ints, text and bytes, which every driver takes as they are.
EVENT_COLUMNS = [
    "seq", "at_us", "actor", "action", "entity", "entity_id", "details", "mac", "signer", "sig",
    "states",
]  # fmt: skip
_SIGNER, _SIG = 8, 9


@dataclass
class ChainedBatch:
    """A batch's rows for ``case_keys`` and ``audit_events`` (values in ``EVENT_COLUMNS``
    order), in insertion order; the signatures asked in ``jobs`` go, once made, into the rows
    at ``signed``."""

    case_keys: list[dict[str, Any]]
    events: list[list[Any]]
    jobs: list[SignJob]
    signed: list[int]

    def sign(self, signatures: list[bytes]) -> None:
        for i, sig in zip(self.signed, signatures, strict=True):
            self.events[i][_SIG] = sig


class BulkChain:
    """Appends events after the chain's last one: ``open`` reads where it ends, ``check``
    that nobody else appended since."""

    def __init__(self, keys: Keys, keys_of: Mapping[str, Keys]) -> None:
        self._keys = keys
        self._keys_of = keys_of
        self._audit_key = keys.audit_key
        self._scope_keys: dict[str, bytes] = {}
        self._new_keys: list[dict[str, Any]] = []
        self._seq = 0
        self._prev = b""
        self._at_us = 0  # the last event's time: none goes before it (issue 20 item 4)
        self._db_id = ""
        self._signed_from: int | None = None

    def open(self, session: Session) -> None:
        self._db_id, self._signed_from = session.execute(
            select(Meta.db_id, Meta.audit_signed_from)
        ).one()
        self._seq, self._prev, self._at_us = self._tail(session)
        wrapped = session.execute(
            select(CaseKeyRow.wrapped).where(CaseKeyRow.scope == GENERAL_SCOPE)
        ).scalar()
        if wrapped is None:
            self.new_scope(GENERAL_SCOPE)
        else:
            plain = self._keys.cipher.decrypt("case_keys", "wrapped", GENERAL_SCOPE, wrapped)
            self._scope_keys[GENERAL_SCOPE] = bytes.fromhex(plain)

    def _tail(self, session: Session) -> tuple[int, bytes, int]:
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.mac, AuditEvent.at_us)
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        ).first()
        if last is None:
            return 0, genesis_mac(self._keys.audit_key, self._db_id), 0
        return last.seq, bytes(last.mac), int(last.at_us)

    def check(self, session: Session, first_seq: int) -> None:
        """In the transaction that inserts events from ``first_seq`` on: the chain still ends
        just before it (the builder is the only writer) and the key version is still ours."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
        ensure_current(session, self._keys)
        if self._tail(session)[0] != first_seq - 1:
            raise RuntimeError("the audit trail grew during a bulk build")

    def add_scopes(self, scopes: list[tuple[str, bytes, bytes]]) -> None:
        """New cases' details keys (scope, key, key wrapped under the data key)."""
        for scope, key, wrapped in scopes:
            self._scope_keys[scope] = key
            self._new_keys.append({"scope": scope, "wrapped": wrapped})

    def new_scope(self, scope: str) -> None:
        """A details key made here, wrapped under the data key as ``audit_details`` does."""
        key = new_scope_key()
        wrapped = self._keys.cipher.encrypt("case_keys", "wrapped", scope, key.hex())
        self.add_scopes([(scope, key, wrapped)])

    def chain(self, events: list[BulkEvent]) -> ChainedBatch:
        """The rows of ``events``; each run's last event and the batch's last are to be signed
        (``ChainedBatch.jobs``), as ``AuditLog.append_many`` signs them."""
        rows: list[list[Any]] = []
        seq, prev, key, keys_of = self._seq, self._prev, self._audit_key, self._keys_of
        after_us = self._at_us
        ends: list[int] = []  # indexes of the rows that carry a signature
        for actor, action, entity, entity_id, body, at_us, scope, states in events:
            seq += 1
            at_us = after_us = max(at_us, after_us)  # as ``AuditLog`` keeps time moving on
            blob = seal_scoped(self._scope_keys[scope], seq, scope, body)
            # One-shot HMAC as ``AuditLog`` makes it (copying a pre-keyed HMAC costs more here).
            prev = next_mac(
                key, prev, canonical(seq, at_us, actor, action, entity, entity_id, blob, states)
            )
            signer = keys_of.get(actor, self._keys).signer
            if rows and rows[-1][_SIGNER] != signer:
                ends.append(len(rows) - 1)
            rows.append(
                [seq, at_us, actor, action, entity, entity_id, blob, prev, signer, None, states]
            )
        if rows:
            ends.append(len(rows) - 1)
        self._seq, self._prev, self._at_us = seq, prev, after_us
        jobs, signed = self._sign_jobs(rows, ends)
        new_keys, self._new_keys = self._new_keys, []
        return ChainedBatch(new_keys, rows, jobs, signed)

    def _sign_jobs(self, rows: list[list[Any]], ends: list[int]) -> tuple[list[SignJob], list[int]]:
        jobs: list[SignJob] = []
        where: list[int] = []
        if self._signed_from is None:
            return jobs, where  # a database from before event signatures
        for i in ends:
            seq, _, actor, *_, mac, _, _, _ = rows[i]
            keys = self._keys_of.get(actor, self._keys)
            if keys.signing is None or keys.signer is None:
                continue
            jobs.append(
                (actor, sig_payload(self._db_id, self._signed_from, seq, keys.signer, mac))
            )  # fmt: skip
            where.append(i)
        return jobs, where
