"""Audit details sealed under per-case keys, so erasing a case makes them unreadable for good.

An event about a case (entity ``case``, or a referral or contact of that case) is encrypted
under that case's own random key; any other event under the general key (scope ``-``). Each
key is stored once in ``case_keys``, wrapped under the current data key version: a rotation
re-wraps these rows and never touches an event (the MAC chain and the signatures cover the
details' ciphertext), and erasing a case deletes its row, after which ``open_details`` says
"erased" while ``audit verify`` still passes. Details written before this (format 1, under the
data key) still open through the key ring.

Per transaction the module reads the database's key version once (a session that logged in
before a rotation refreshes its ring and its save is refused once, so nothing committed after a
rotation began is under an old key) and each scope's key once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.key_ring import KeyRingError
from caseintake.crypto.scoped_details import (
    GENERAL_SCOPE,
    SCOPED_FORMAT,
    new_scope_key,
    open_scoped,
    scope_of,
    seal_scoped,
)
from caseintake.services.core.principal import Keys
from caseintake.store.fast_sql import insert_rows
from caseintake.store.models import CaseKeyRow, Contact, Meta, Referral

_STATE = "caseintake.audit_details"
# The general scope's key, per database (named by its audit MAC key): it is never destroyed and a
# rotation only re-wraps it, so a lookup's event need not read and unwrap it each time.
_GENERAL: dict[bytes, bytes] = {}
# Entities whose events are about the case their row belongs to.
_OWNED_BY_CASE: dict[str, type[Referral] | type[Contact]] = {
    "referral": Referral,
    "contact": Contact,
}


@dataclass
class _TxState:
    fresh: bool = False  # the key version was checked in this transaction
    scopes: dict[tuple[str, str], str] = field(default_factory=dict)
    keys: dict[str, bytes | None] = field(default_factory=dict)
    new: set[str] = field(default_factory=set)  # cases opened here: no key stored yet


def _state(session: Session) -> _TxState:
    state = session.info.get(_STATE)
    if not isinstance(state, _TxState):
        state = session.info[_STATE] = _TxState()
    return state


def seal_details(
    session: Session, keys: Keys, seq: int, entity: str, entity_id: str, payload: str
) -> bytes:
    """The ``details`` bytes of event ``seq``, under the key of the case it is about."""
    state = _state(session)
    scope = _scope(session, state, entity, entity_id, payload)
    key = state.keys.get(scope)
    if key is None and scope == GENERAL_SCOPE:
        key = state.keys[scope] = _GENERAL.get(keys.audit_key)
    looked = False
    if not state.fresh:  # the key version and this scope's key in one round trip
        stored = select(CaseKeyRow.wrapped).where(CaseKeyRow.scope == scope).scalar_subquery()
        newest, wrapped = session.execute(select(Meta.key_version, stored)).one()
        _check_newest(keys, int(newest))
        state.fresh = looked = True
        if key is None and wrapped is not None:
            key = _unwrap(keys, scope, bytes(wrapped))
    if key is None:
        key = None if looked or scope in state.new else _load_key(session, keys, scope)
        if key is None:
            key = new_scope_key()
            wrapped = keys.cipher.encrypt("case_keys", "wrapped", scope, key.hex())
            insert_rows(
                session.connection(), CaseKeyRow.__table__, [{"scope": scope, "wrapped": wrapped}]
            )
        state.keys[scope] = key
        if scope == GENERAL_SCOPE:
            _GENERAL[keys.audit_key] = key
    return seal_scoped(key, seq, scope, payload)


def version_checked(session: Session, keys: Keys, newest: int) -> None:
    """The database's key version, read by the caller with the chain's tail in one statement:
    checked once for the transaction (see ``ensure_current``)."""
    _check_newest(keys, newest)
    _state(session).fresh = True


def check_key_version(keys: Keys, newest: int) -> None:
    """``version_checked`` outside a session (``AuditLog.append_on_driver``)."""
    _check_newest(keys, newest)


def general_key(keys: Keys) -> bytes | None:
    """The general scope's key, once this process has loaded or made it (in a session)."""
    return _GENERAL.get(keys.audit_key)


def case_key_on_driver(driver: Any, keys: Keys, case_id: str) -> bytes | None:
    """A case's details key read and unwrapped on a SQLite driver connection in its write
    transaction (``AuditLog.append_viewed_on_driver``); None when the case has none (erased,
    or none made yet: a session makes one). Read every time, never kept: an erasure in
    another process deletes it for good."""
    row = driver.execute("SELECT wrapped FROM case_keys WHERE scope = ?", (case_id,)).fetchone()
    return None if row is None else _unwrap(keys, case_id, bytes(row[0]))


def seal_general(key: bytes, seq: int, entity: str, payload: str) -> bytes:
    """``seal_details`` for an event about no case, under the general key ``key``."""
    if entity == "case" or entity in _OWNED_BY_CASE:
        raise ValueError(f"events about a {entity} are sealed under their case's key")
    return seal_scoped(key, seq, GENERAL_SCOPE, payload)


def opened_case(session: Session, case_id: str) -> None:
    """A case opened in this transaction has no details key yet: its first event makes one
    without looking for it."""
    _state(session).new.add(case_id)


def belongs_to_case(session: Session, entity: str, entity_id: str, case_id: str) -> None:
    """The caller knows which case a row belongs to: its events need no query to find out."""
    _state(session).scopes[(entity, entity_id)] = case_id


def open_details(session: Session, keys: Keys, seq: int, blob: bytes) -> str | None:
    """The details of event ``seq`` as JSON text; None when its case was erased."""
    if not blob or blob[0] != SCOPED_FORMAT:
        return keys.cipher.decrypt("audit_events", "details", str(seq), blob)  # before 0008
    scope = scope_of(blob)
    if scope is None:
        raise CryptoError("crypto.field_corrupt", where="audit_events.details", row=str(seq))
    key = _load_key(session, keys, scope)
    return None if key is None else open_scoped(key, seq, blob)


def ensure_current(session: Session, keys: Keys) -> None:
    """A session whose newest key is older than the database's picks up the new one; if it
    may have encrypted a field under the old one in this transaction, the write is refused
    once (nothing committed after a rotation began is under an old version)."""
    _check_newest(keys, int(session.execute(select(Meta.key_version)).scalar_one()))


def _check_newest(keys: Keys, newest: int) -> None:
    ring = keys.data_key.ring
    held = ring.current.version if ring is not None else keys.data_key.version
    if newest <= held:
        return
    if ring is None:
        raise KeyRingError("keys.log_in_again")
    wrote = ring.written_since_check
    if not ring.refresh() or ring.current.version < newest:
        raise KeyRingError("keys.log_in_again")
    if wrote:
        raise KeyRingError("keys.rotated_retry")


def destroy_case_key(session: Session, case_id: str) -> bool:
    """Erasure: the case's details key is deleted for good; events about the case later in
    this transaction (the erasure's own) use the general key. True if there was one."""
    state = _state(session)
    state.keys.pop(case_id, None)
    state.scopes[("case", case_id)] = GENERAL_SCOPE
    gone = session.execute(delete(CaseKeyRow).where(CaseKeyRow.scope == case_id))
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def _scope(session: Session, state: _TxState, entity: str, entity_id: str, payload: str) -> str:
    found = state.scopes.get((entity, entity_id))
    if found is not None:
        return found
    if entity == "case":
        return entity_id
    model = _OWNED_BY_CASE.get(entity)
    if model is None:
        return GENERAL_SCOPE
    named = _case_named(payload)  # an intake's referral events name their case: no query
    if named is not None:
        found = named
    else:
        case_id = session.execute(select(model.case_id).where(model.id == entity_id)).scalar()
        found = str(case_id) if case_id else GENERAL_SCOPE
    state.scopes[(entity, entity_id)] = found
    return found


def _case_named(payload: str) -> str | None:
    """The case id an event's details name (``"case": "<uuid>"``), if any."""
    if '"case": "' not in payload:
        return None
    try:
        value = json.loads(payload).get("case")
    except (ValueError, AttributeError):
        return None
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        return value
    return None


def _load_key(session: Session, keys: Keys, scope: str) -> bytes | None:
    wrapped = session.execute(select(CaseKeyRow.wrapped).where(CaseKeyRow.scope == scope)).scalar()
    return None if wrapped is None else _unwrap(keys, scope, wrapped)


def _unwrap(keys: Keys, scope: str, wrapped: bytes) -> bytes:
    return bytes.fromhex(keys.cipher.decrypt("case_keys", "wrapped", scope, wrapped))
