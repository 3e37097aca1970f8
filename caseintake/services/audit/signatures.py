"""Checking the per-user signatures of the audit trail, in one process or split across cores
(issue 10 item 2). The rules are in ``crypto/event_sigs.py``; this module reads the rows and
the keys they are checked against.

Which keys count: the public keys of certified users (an admin signed their row, see
``services/audit/trust.py``) and the recovery key's. Which era is signed: events from
``meta.audit_signed_from`` on; a database made since event signatures pins that number with
its trust anchor, so moving it in the file shows, and any signed event before it is named.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.event_sigs import SignatureCheck, SignatureVerifier
from caseintake.crypto.user_certs import RECOVERY_SIGNER
from caseintake.store.models import Meta, User

RECOVERY_ACTOR = "recovery-key"  # the recovery principal's name in the trail


@dataclass(frozen=True)
class SignedEra:
    db_id: str
    signed_from: int | None  # None: no event is signed (a database from before signatures)
    publics: Mapping[str, bytes]
    actor_ids: Mapping[str, str]


def signed_era(s: Session, anchor: Any, publics: Mapping[str, bytes]) -> SignedEra | SignatureCheck:
    """The era to check, or the problem with it: a start that differs from the pinned one."""
    db_id, signed_from = s.execute(select(Meta.db_id, Meta.audit_signed_from)).one()
    pinned = getattr(anchor, "audit_signed_from", None)
    if pinned is not None and signed_from != pinned:
        return SignatureCheck(None, "audit.signed_from_moved", 0, str(signed_from))
    if signed_from is not None and (not isinstance(signed_from, int) or signed_from < 1):
        return SignatureCheck(None, "audit.signed_from_moved", 0, str(signed_from))
    actor_ids = {str(n): str(i) for n, i in s.execute(select(User.name, User.id))}
    actor_ids[RECOVERY_ACTOR] = RECOVERY_SIGNER
    return SignedEra(db_id, signed_from, dict(publics), actor_ids)


def _rows_sql(is_sqlite: bool, hi: bool) -> str:
    mark = "?" if is_sqlite else "%s"
    upper = f" AND seq <= {mark}" if hi else ""
    return (
        f"SELECT seq, actor, signer, sig, mac FROM audit_events WHERE seq >= {mark}{upper} "
        "ORDER BY seq"
    )


def _stream(driver: Any, is_sqlite: bool, lo: int, hi: int | None) -> Iterator[Any]:
    cursor = driver.cursor() if is_sqlite else driver.cursor(name="caseintake_audit_sigs")
    params = (lo,) if hi is None else (lo, hi + 1)  # one row past hi: does its run go on?
    cursor.execute(_rows_sql(is_sqlite, hi is not None), params)
    while batch := cursor.fetchmany(5000):
        yield from batch
    cursor.close()


def _signed_before(driver: Any, is_sqlite: bool, signed_from: int) -> int | None:
    """A signed event before the signed era: the era's start was moved past it."""
    mark = "?" if is_sqlite else "%s"
    cursor = driver.cursor()
    cursor.execute(
        "SELECT MIN(seq) FROM audit_events WHERE seq < "
        f"{mark} AND (signer IS NOT NULL OR sig IS NOT NULL)",
        (signed_from,),
    )
    found = cursor.fetchone()[0]
    cursor.close()
    return found if isinstance(found, int) else None


def check_signatures(
    driver: Any, is_sqlite: bool, era: SignedEra, last: int, url: str | None, workers: int = 1
) -> SignatureCheck:
    """Every signed run from the era's start to ``last``; with ``url`` and more than one worker
    the range is split across processes, each checking the runs that end inside its part."""
    if era.signed_from is None:
        return SignatureCheck(None, None, 0)
    moved = _signed_before(driver, is_sqlite, era.signed_from)
    if moved is not None:
        return SignatureCheck(moved, "audit.signed_from_moved", 0, str(era.signed_from))
    lo = era.signed_from
    if url is None or workers < 2 or last - lo < 2 * workers:
        verifier = SignatureVerifier(era.db_id, lo, era.publics, era.actor_ids)
        return verifier.check(_stream(driver, is_sqlite, lo, None))
    size = -(-(last - lo + 1) // workers)
    ranges = [(a, min(a + size - 1, last)) for a in range(lo, last + 1, size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(ranges), mp_context=context) as pool:
        futures = [
            pool.submit(_check_range, url, is_sqlite, era, a, None if b == last else b)
            for a, b in ranges
        ]
        results = [f.result() for f in futures]
    signatures = sum(r.signatures for r in results)
    for r in results:  # in seq order: the first problem overall
        if r.problem is not None:
            return SignatureCheck(r.first_bad_seq, r.problem, signatures, r.detail)
    return SignatureCheck(None, None, signatures)


def _check_range(url: str, is_sqlite: bool, era: SignedEra, lo: int, hi: int | None) -> Any:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    conn = engine.raw_connection()
    try:
        verifier = SignatureVerifier(era.db_id, era.signed_from or 1, era.publics, era.actor_ids)
        return verifier.check(_stream(conn.driver_connection, is_sqlite, lo, hi), hi)
    finally:
        conn.close()
        engine.dispose()
