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
from caseintake.store.db import Database
from caseintake.store.models import Base
from caseintake.store.records import CODE, NAME, digests, select_sql

_BY_CASE = ("cases", "case_concerns", "children", "perpetrators", "case_notes", "case_approvals")
_BY_CASE += ("contacts", "referrals")
_BY_REFERRAL = ("referral_updates", "escalations")
_CODES = {CODE[name] for name in (*_BY_CASE, *_BY_REFERRAL)}
_LISTED = {CODE["cases"], CODE["referrals"]}  # the rows a list shows
# Events that rebind rows of any case (key rotation, a directory entry's new version).
_REBINDING = ("database", "directory")
# Where a referral's case id sits in its ``select_sql`` row (the key first, then the columns).
_REFERRAL_CASE = 1 + [c.name for c in Base.metadata.tables["referrals"].columns].index("case_id")


def check_case(s: Session, case_id: str) -> CaseTamper | None:
    conn = s.connection()
    return check_rows(conn.connection.driver_connection, conn.dialect.name == "sqlite", case_id)


def check_rows(driver: Any, sqlite: bool, case_id: str) -> CaseTamper | None:
    """``check_case`` on a driver connection in its read transaction (the case detail's
    fast reads: the rows shown and the rows checked are one snapshot)."""
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


def untrue_cases(db: Database, case_ids: list[str]) -> frozenset[str]:
    """The cases of a list (the queue, a search) whose own row or one of whose referrals
    differs from the last event naming it, or that no event names (issue 20 item 2).

    A whole page in four statements (the case rows, their referrals, their contacts' ids, the
    events about all of them), on a pooled SQLite connection, each statement its own snapshot;
    a case found clean is not read again on that connection until something is committed to
    the file (``PRAGMA data_version``: any other connection's commit, a tamperer's included).
    A case that looks off is looked at again as ``check_case`` looks, in one transaction (a
    write landing between two statements, or an event that rebound its rows since), so a mark
    is never raised where opening the case would say nothing."""
    ids = sorted(set(case_ids))
    if not ids:
        return frozenset()
    with db.fast.driver() as driver:
        suspects = None
        if driver is not None:
            version = driver.execute("PRAGMA data_version").fetchone()[0]
            seen = db.fast.seen.get(id(driver))
            if seen is None or seen[0] is not driver or seen[1] != version:
                seen = db.fast.seen[id(driver)] = (driver, version, set())
            clean: set[str] = seen[2]
            todo = [case for case in ids if case not in clean]
            suspects = _suspects(driver, True, todo) if todo else set()
            clean.update(case for case in todo if case not in suspects)
    if suspects is not None and not suspects:
        return frozenset()
    with db.read() as s:
        if suspects is None:  # PostgreSQL: the statements in the session's transaction
            conn = s.connection()
            suspects = _suspects(conn.connection.driver_connection, False, ids)
        return frozenset(case for case in suspects if check_case(s, case) is not None)


def _suspects(driver: Any, sqlite: bool, ids: list[str]) -> set[str]:
    mark = "?" if sqlite else "%s"
    marks = ", ".join([mark] * len(ids))
    code = CODE["referrals"]
    cursor = driver.cursor()
    cursor.execute(select_sql("cases", sqlite, f" WHERE id IN ({marks})"), ids)
    rows = {(CODE["cases"], key): digest for key, digest in digests(CODE["cases"],
                                                                    cursor.fetchall(), sqlite)}  # fmt: skip
    owner = {key: key for _code, key in rows}
    cursor.execute(select_sql("referrals", sqlite, f" WHERE case_id IN ({marks})"), ids)
    fetched = cursor.fetchall()
    for row, (key, digest) in zip(fetched, digests(code, fetched, sqlite), strict=True):
        rows[(code, key)] = digest
        owner[key] = str(row[_REFERRAL_CASE])
    referrals = [k for (c, k) in rows if c == code]
    cursor.execute(f"SELECT id, case_id FROM contacts WHERE case_id IN ({marks})", ids)
    contacts = [(str(k), str(c)) for k, c in cursor.fetchall()]
    owner.update(contacts)
    wanted = [("case", ids), ("contact", [k for k, _ in contacts]), ("referral", referrals)]
    clauses, params = [], []
    for entity, keys in wanted:
        if keys:
            clauses.append(f"(entity = {mark} AND entity_id IN ({', '.join([mark] * len(keys))}))")
            params += [entity, *keys]
    cursor.execute(
        "SELECT seq, entity_id, states FROM audit_events WHERE states IS NOT NULL AND ("
        + " OR ".join(clauses)
        + ")",
        params,
    )
    # The last state each event gives a row, and the case that event is about (a row deleted
    # in the file is found through it).
    expected: dict[tuple[int, str], tuple[int, bytes, str]] = {}
    for seq, about, blob in cursor.fetchall():
        try:
            states = list(decode(bytes(blob)))
        except StatesDamaged:
            continue  # the full verify names a damaged event
        for c, key, digest in states:
            found = expected.get((c, key))
            if c in _LISTED and (found is None or found[0] < int(seq)):
                expected[(c, key)] = (int(seq), digest, owner.get(str(about), ""))
    cursor.close()
    suspects = {
        owner[key]
        for (c, key), digest in rows.items()
        if (found := expected.get((c, key))) is None or found[1] != digest
    }
    suspects |= {
        case
        for (c, key), (_seq, digest, case) in expected.items()
        if digest != GONE and (c, key) not in rows and case
    }
    return suspects


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
