"""Opening a case checks its rows against the events that wrote them (issue 20 item 2).

The case's rows are read (the case, its concerns, children, perpetrators, notes, approvals,
contacts, referrals and their updates and escalations) and the events about the case, its
contacts and its referrals are found through the entity index: each append binds its rows on
its last event about a case (``AuditLog.binding_index``), so these events hold the last state
of every row of the case. A row that differs, one no event names, and one an event names that
is gone are what the screen warns about. ``audit verify`` does the full proof; this is the cheap
look a reader gets every time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from caseintake.crypto.record_states import GONE, StatesDamaged, decode
from caseintake.services.core.views import CaseTamper
from caseintake.store.records import CODE, NAME, digests, select_sql

_BY_CASE = ("cases", "case_concerns", "children", "perpetrators", "case_notes", "case_approvals")
_BY_CASE += ("contacts", "referrals")
_BY_REFERRAL = ("referral_updates", "escalations")
_CODES = {CODE[name] for name in (*_BY_CASE, *_BY_REFERRAL)}
# Events that rebind rows of any case (key rotation, a directory entry's new version).
_REBINDING = ("database", "directory")


def check_case(s: Session, case_id: str) -> CaseTamper | None:
    conn = s.connection()
    sqlite = conn.dialect.name == "sqlite"
    driver = conn.connection.driver_connection
    mark = "?" if sqlite else "%s"
    rows: dict[tuple[int, str], bytes] = {}
    for name in _BY_CASE:
        column = "id" if name == "cases" else "case_id"
        rows.update(_read(driver, name, sqlite, f" WHERE {column} = {mark}", [case_id]))
    referrals = [k for (c, k) in rows if c == CODE["referrals"]]
    contacts = [k for (c, k) in rows if c == CODE["contacts"]]
    if referrals:
        marks = ", ".join([mark] * len(referrals))
        for name in _BY_REFERRAL:
            rows.update(_read(driver, name, sqlite, f" WHERE referral_id IN ({marks})", referrals))
    expected = _expected(driver, mark, [("case", [case_id]), ("contact", contacts),
                                         ("referral", referrals)])  # fmt: skip
    bad = _compare(rows, expected)
    if bad and any(seq is not None for seq, _ in bad):
        # A key rotation or a directory change may have bound a row since: look there too.
        first = min(seq for seq, _ in bad if seq is not None)
        expected.update(_rebinding(driver, mark, first, set(rows) | set(expected)))
        bad = _compare(rows, expected)
    if not bad:
        return None
    seqs = [seq for seq, _ in bad if seq is not None]
    return CaseTamper(max(seqs) if seqs else None, tuple(sorted({t for _, t in bad})))


def _read(
    driver: Any, name: str, sqlite: bool, where: str, params: list[str]
) -> dict[tuple[int, str], bytes]:
    cursor = driver.cursor()
    cursor.execute(select_sql(name, sqlite, where), params)
    code = CODE[name]
    found = {(code, key): digest for key, digest in digests(code, cursor.fetchall(), sqlite)}
    cursor.close()
    return found


def _expected(
    driver: Any, mark: str, wanted: Iterable[tuple[str, list[str]]]
) -> dict[tuple[int, str], tuple[int, bytes]]:
    out: dict[tuple[int, str], tuple[int, bytes]] = {}
    for entity, ids in wanted:
        if not ids:
            continue
        cursor = driver.cursor()
        cursor.execute(
            "SELECT seq, states FROM audit_events WHERE entity = "
            f"{mark} AND entity_id IN ({', '.join([mark] * len(ids))}) AND states IS NOT NULL",
            [entity, *ids],
        )
        _take(out, cursor.fetchall(), None)
        cursor.close()
    return out


def _rebinding(
    driver: Any, mark: str, after: int, keys: set[tuple[int, str]]
) -> dict[tuple[int, str], tuple[int, bytes]]:
    out: dict[tuple[int, str], tuple[int, bytes]] = {}
    cursor = driver.cursor()
    cursor.execute(
        f"SELECT seq, states FROM audit_events WHERE entity IN ({mark}, {mark})"
        f" AND seq > {mark} AND states IS NOT NULL",
        [*_REBINDING, after],
    )
    _take(out, cursor.fetchall(), keys)
    cursor.close()
    return out


def _take(
    out: dict[tuple[int, str], tuple[int, bytes]],
    events: Iterable[tuple[int, Any]],
    only: set[tuple[int, str]] | None,
) -> None:
    for seq, blob in sorted(events, key=lambda e: int(e[0])):
        try:
            states = list(decode(bytes(blob)))
        except StatesDamaged:
            continue  # the full verify names a damaged event
        for code, key, digest in states:
            if code in NAME and (only is None or (code, key) in only):
                found = out.get((code, key))
                if found is None or found[0] < seq:
                    out[(code, key)] = (int(seq), digest)


def _compare(
    rows: dict[tuple[int, str], bytes], expected: dict[tuple[int, str], tuple[int, bytes]]
) -> list[tuple[int | None, str]]:
    bad: list[tuple[int | None, str]] = []
    for (code, key), digest in rows.items():
        found = expected.get((code, key))
        if found is None:
            bad.append((None, NAME[code]))
        elif found[1] != digest:
            bad.append((found[0], NAME[code]))
    for (code, key), (seq, digest) in expected.items():
        if digest != GONE and code in _CODES and (code, key) not in rows:
            bad.append((seq, NAME[code]))
    return bad
