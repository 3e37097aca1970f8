"""Appending to the audit trail inside the caller's transaction (DESIGN §4).

Every service that changes or reads case content calls ``append`` in the same session as the
change, so the change and its audit event commit or roll back together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from time import monotonic
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session

from caseintake.crypto.audit_chain import canonical, genesis_mac, next_mac, to_micros
from caseintake.crypto.event_sigs import sign_event
from caseintake.crypto.record_states import encode as encode_states
from caseintake.crypto.scoped_details import seal_scoped
from caseintake.services.audit.details import (
    case_key_on_driver,
    check_key_version,
    general_key,
    seal_details,
    seal_general,
    version_checked,
)
from caseintake.services.core.principal import Keys
from caseintake.services.core.settings import Clock
from caseintake.store.fast_sql import driver_one, insert_driver_rows, insert_rows, one
from caseintake.store.models import AuditEvent, Meta
from caseintake.store.records import states_of, take

# One event for ``append_many``: actor, action, entity, entity_id, details, at (None: now).
PendingEvent = tuple[str, str, str, str, dict[str, Any] | None, datetime | None]

# Any constant works; it names the one advisory lock that serialises the chain on PostgreSQL.
_PG_CHAIN_LOCK = 0x111C


_TAIL = select(
    select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1).scalar_subquery(),
    select(AuditEvent.mac).order_by(AuditEvent.seq.desc()).limit(1).scalar_subquery(),
    select(Meta.key_version).scalar_subquery(),
    select(AuditEvent.at_us).order_by(AuditEvent.seq.desc()).limit(1).scalar_subquery(),
)
# An event's details as JSON: ``json.dumps(details, ensure_ascii=False, sort_keys=True,
# default=str)``, its encoder made once (the bulk builder writes the same bytes).
details_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode
_SQLITE = sqlite_dialect.dialect(paramstyle="qmark")


class AuditLog:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._db_id: str | None = None
        self._signed_from: int | None = None
        # This process's events since its last checkpoint, and when that was (issue 20 #4).
        self.since_checkpoint = 0
        self.checkpointed_at = monotonic()

    def checkpointed(self, covered: int | None = None) -> None:
        """The window starts again; ``covered``: how many of the counted events the signed head
        covers (events another thread appended since stay counted)."""
        left = 0 if covered is None else self.since_checkpoint - covered
        self.since_checkpoint = max(0, left)
        self.checkpointed_at = monotonic()

    def db_id(self, session: Session) -> str:
        if self._db_id is None:
            self._db_id, self._signed_from = session.execute(
                select(Meta.db_id, Meta.audit_signed_from)
            ).one()
        return self._db_id

    def _signature(self, session: Session, keys: Keys, seq: int, mac: bytes) -> bytes | None:
        return self._signed(self.db_id(session), keys, seq, mac)

    def _signed(self, db_id: str, keys: Keys, seq: int, mac: bytes) -> bytes | None:
        """The session holder's signature over the MAC of their append's last event (issue 10
        item 2); None for a database from before event signatures, or a key-less holder."""
        if keys.signing is None or keys.signer is None or self._signed_from is None:
            return None
        return sign_event(keys.signing, db_id, self._signed_from, seq, keys.signer, mac)

    def db_id_cached(self) -> str:
        if self._db_id is None:
            raise RuntimeError("db_id read before any audited transaction")
        return self._db_id

    def append(
        self,
        session: Session,
        keys: Keys,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        details: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> int:
        """Add one event; returns its seq. Gapless because writers are serialised. The rows the
        transaction wrote since its last event are bound to this one (issue 20)."""
        states = self._states(session)
        seq, prev, after_us = self._tail(session, keys)
        seq += 1
        when = at or self._clock()
        payload = details_json(details or {})
        blob = seal_details(session, keys, seq, entity, entity_id, payload)
        at_us = max(to_micros(when), after_us)  # times never go backwards (issue 20 item 4)
        body = canonical(seq, at_us, actor, action, entity, entity_id, blob, states)
        mac = next_mac(keys.audit_key, prev, body)
        session.add(
            AuditEvent(
                seq=seq,
                at_us=at_us,
                actor=actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                details=blob,
                mac=mac,
                signer=keys.signer,
                sig=self._signature(session, keys, seq, mac),
                states=states,
            )
        )
        session.flush()
        self.since_checkpoint += 1
        return seq

    def append_many(
        self,
        session: Session,
        keys: Keys,
        events: Sequence[PendingEvent],
        keys_of: Mapping[str, Keys] | None = None,
    ) -> list[int]:
        """Add several events in one step (issue 11): the chain's last row is read once and
        the rows go in as one executemany. Same canonical bytes and MACs as ``append``.

        Each run of events by one signer ends with that signer's signature; ``keys_of`` maps
        an actor to the keys that sign their events (the bulk builder writes for many users),
        by default ``keys`` signs them all."""
        if not events:
            return []
        states = self._states(session)
        seq, prev, after_us = self._tail(session, keys)
        db_id = self.db_id(session)

        def seal(seq: int, entity: str, entity_id: str, payload: str) -> bytes:
            return seal_details(session, keys, seq, entity, entity_id, payload)

        rows = self._chained(keys, keys_of, db_id, (seq, prev, after_us), events, seal, states)
        insert_rows(session.connection(), AuditEvent.__table__, rows)
        self.since_checkpoint += len(rows)
        return [row["seq"] for row in rows]

    def append_on_driver(self, driver: Any, keys: Keys, event: PendingEvent) -> int | None:
        """One event about no case (a repeat-caller lookup's) on a SQLite driver connection in
        its write transaction (``FastReads.lookup``): the chain, the MAC and the signature as
        ``append_many`` makes them, without a session around one row. None, with nothing
        written, until this process knows the database's id and the general details key
        (its first audited write through a session learns both): then write through one."""
        key = general_key(keys)
        if key is None:
            return None

        def seal(seq: int, entity: str, entity_id: str, payload: str) -> bytes:
            return seal_general(key, seq, entity, payload)

        return self._on_driver(driver, keys, event, lambda: seal)

    def append_viewed_on_driver(self, driver: Any, keys: Keys, event: PendingEvent) -> int | None:
        """``append_on_driver`` for an event about a case that binds no rows (a view of the
        case, issue 23): its details sealed under the case's own key, read and unwrapped on
        the same connection after the key version's check. None, with nothing written, where
        ``append_on_driver`` gives None, or when the case has no key (a session makes one)."""
        case_id = event[3]
        if event[2] != "case":
            raise ValueError("a view's event is about a case")

        def sealer() -> Callable[[int, str, str, str], bytes] | None:
            key = case_key_on_driver(driver, keys, case_id)
            if key is None:
                return None
            return lambda seq, _entity, _entity_id, payload: seal_scoped(key, seq, case_id, payload)

        seq = self._on_driver(driver, keys, event, sealer)
        if seq is not None:  # counted as ``append`` counts it: the checkpoint cadence (#20)
            self.since_checkpoint += 1
        return seq

    def _on_driver(
        self,
        driver: Any,
        keys: Keys,
        event: PendingEvent,
        sealer: Callable[[], Callable[[int, str, str, str], bytes] | None],
    ) -> int | None:
        if self._db_id is None:
            return None
        seq, mac, version, after_us = driver_one(driver, _SQLITE, _TAIL)
        check_key_version(keys, int(version))
        if seq is None:  # a login has always come first; an empty chain starts in a session
            return None
        seal = sealer()
        if seal is None:
            return None
        tail = (int(seq), bytes(mac), int(after_us))
        rows = self._chained(keys, None, self._db_id, tail, [event], seal)
        insert_driver_rows(driver, _SQLITE, AuditEvent.__table__, rows)
        return int(rows[0]["seq"])

    def _chained(
        self,
        keys: Keys,
        keys_of: Mapping[str, Keys] | None,
        db_id: str,
        tail: tuple[int, bytes, int],
        events: Sequence[PendingEvent],
        seal: Callable[[int, str, str, str], bytes],
        states: bytes | None = None,
    ) -> list[dict[str, Any]]:
        """The rows of ``events`` after the ``tail`` event (seq, MAC, time): each run by one
        signer ends with that signer's signature; ``states`` go on the event ``binding_index``
        picks; no time before the one preceding it."""
        seq, prev, after_us = tail
        default_at = self._clock()
        rows: list[dict[str, Any]] = []
        signing: list[Keys] = []
        last = binding_index(events)
        for i, (actor, action, entity, entity_id, details, at) in enumerate(events):
            seq += 1
            payload = details_json(details or {})
            blob = seal(seq, entity, entity_id, payload)
            at_us = after_us = max(to_micros(at or default_at), after_us)
            bound = states if i == last else None
            body = canonical(seq, at_us, actor, action, entity, entity_id, blob, bound)
            prev = next_mac(keys.audit_key, prev, body)
            own = keys if keys_of is None else keys_of.get(actor, keys)
            if rows and rows[-1]["signer"] != own.signer:
                self._sign_row(db_id, signing[-1], rows[-1])
            rows.append(
                {
                    "seq": seq,
                    "at_us": at_us,
                    "actor": actor,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "details": blob,
                    "mac": prev,
                    "signer": own.signer,
                    "sig": None,
                    "states": bound,
                }
            )
            signing.append(own)
        self._sign_row(db_id, signing[-1], rows[-1])
        return rows

    @staticmethod
    def _states(session: Session) -> bytes | None:
        """The states of the rows written in ``session``'s transaction since its last event
        (its ORM changes flushed first); None when it wrote none."""
        session.flush()
        conn = session.connection()
        written = take(conn)
        return encode_states(states_of(conn, written)) if written else None

    def _tail(self, session: Session, keys: Keys) -> tuple[int, bytes, int]:
        """The chain's last seq, MAC and time (0, the genesis MAC and 0 when empty), read in
        the same statement as the database's key version, which the details' keys are checked
        against."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
        seq, mac, version, at_us = one(session.connection(), _TAIL)
        version_checked(session, keys, int(version))
        if seq is None:
            return 0, genesis_mac(keys.audit_key, self.db_id(session)), 0
        return int(seq), bytes(mac), int(at_us)

    def _sign_row(self, db_id: str, keys: Keys, row: dict[str, Any]) -> None:
        row["sig"] = self._signed(db_id, keys, row["seq"], row["mac"])


def binding_index(events: Sequence[Any]) -> int:
    """Which event of an append carries the states of the rows it wrote: its last event about
    a case, else its last (opening a case finds the events about it by the entity index)."""
    for i in range(len(events) - 1, -1, -1):
        if events[i][2] == "case":
            return i
    return len(events) - 1
