"""The MAC chain in isolation: every change, deletion, swap is named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from caseintake.crypto.audit_chain import canonical, genesis_mac, next_mac, to_micros, verify_chain

KEY = b"k" * 32


def chain(n: int) -> list[tuple]:  # type: ignore[type-arg]
    prev = genesis_mac(KEY, "db")
    rows = []
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for seq in range(1, n + 1):
        at = t0 + timedelta(seconds=seq)
        body = canonical(seq, to_micros(at), "lan", "login", "user", "u1", b"details%d" % seq)
        prev = next_mac(KEY, prev, body)
        rows.append((seq, body, prev))
    return rows


def test_intact() -> None:
    report = verify_chain(KEY, "db", chain(50))
    assert report.ok and report.checked == 50 and report.last_seq == 50


def test_modified_field_named() -> None:
    rows = chain(10)
    rows[6] = (7, rows[6][1].replace(b"login", b"logon"), rows[6][2])
    report = verify_chain(KEY, "db", rows)
    assert not report.ok and report.first_bad_seq == 7 and report.problem == "audit.modified"


def test_deleted_row_named() -> None:
    rows = chain(10)
    del rows[3]
    report = verify_chain(KEY, "db", rows)
    assert report.first_bad_seq == 4 and report.problem == "audit.missing"


def test_other_database_fails_at_first_event() -> None:
    assert verify_chain(KEY, "other-db", chain(3)).first_bad_seq == 1


def test_canonical_is_unambiguous() -> None:
    assert canonical(1, "t", "ab", "c", "e", "i", b"") != canonical(
        1, "t", "a", "bc", "e", "i", b""
    )
