"""Attacks on the audit trail by someone holding the database file, shared by the SQLite and
PostgreSQL tamper tests and run against both verify paths (one process, split across processes).

The attacker first switches off the append-only guard, as anyone holding the file can. Each
case is a function ``(services, admin, tamper, verify) -> None`` that asserts what
``audit verify`` says after the attack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, text

from bench.chaos.mutations import flip
from tests.conftest import OPERATOR, OPERATOR_PW

COLUMNS = ("at_us", "actor", "action", "entity", "entity_id", "details", "mac")
Verify = Callable[..., Any]


class Tamper:
    """Raw SQL on the store with the append-only triggers off."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as c:
            if url.startswith("sqlite"):
                c.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
                c.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
            else:
                c.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
                c.exec_driver_sql(
                    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_truncate"
                )

    def run(self, sql: str, **params: object) -> Any:
        with self.engine.connect() as c:
            return (
                c.execute(text(sql), params).fetchall()
                if sql.lstrip().upper().startswith("SELECT")
                else c.execute(text(sql), params)
            )

    def last(self) -> int:
        return int(self.run("SELECT max(seq) FROM audit_events")[0][0])

    def copy_row(self, src: int, dst: int, **changes: object) -> None:
        row = self.run(f"SELECT {', '.join(COLUMNS)} FROM audit_events WHERE seq = :s", s=src)[0]
        values = dict(zip(COLUMNS, row, strict=True)) | changes
        cols = ", ".join(("seq", *COLUMNS))
        marks = ", ".join(f":{c}" for c in ("seq", *COLUMNS))
        self.run(f"INSERT INTO audit_events ({cols}) VALUES ({marks})", seq=dst, **values)

    def close(self) -> None:
        self.engine.dispose()


def events(services: Any, n: int) -> None:
    for _ in range(n):
        services.auth.login(OPERATOR, OPERATOR_PW)


# --- the attacks -------------------------------------------------------------------------------


def changed_byte_in_every_column(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    last = tamper.last()
    for seq in (1, last // 2, last):
        row = tamper.run(f"SELECT {', '.join(COLUMNS)} FROM audit_events WHERE seq = :s", s=seq)[0]
        for col, value in zip(COLUMNS, row, strict=True):
            tamper.run(f"UPDATE audit_events SET {col} = :v WHERE seq = :s", v=flip(value), s=seq)
            result = verify(admin)
            assert (result.ok, result.first_bad_seq) == (False, seq), (seq, col)
            tamper.run(f"UPDATE audit_events SET {col} = :v WHERE seq = :s", v=value, s=seq)


def deleted_row(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    tamper.run("DELETE FROM audit_events WHERE seq = 5")
    result = verify(admin)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 5, "audit.missing")


def swapped_rows(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    tamper.run("UPDATE audit_events SET seq = -100 WHERE seq = 4")
    tamper.run("UPDATE audit_events SET seq = 4 WHERE seq = 6")
    tamper.run("UPDATE audit_events SET seq = 6 WHERE seq = -100")
    result = verify(admin)
    assert (result.ok, result.first_bad_seq) == (False, 4)


def inserted_below_one(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    """Issue 10 item 4: a supervisor's 'case_closed' slipped in at seq -1 (and at 0)."""
    for bad in (-1, 0):
        tamper.copy_row(3, bad, action="case_closed", actor="minh")
        result = verify(admin)
        assert (result.ok, result.first_bad_seq, result.problem) == (False, bad, "audit.inserted")
        tamper.run("DELETE FROM audit_events WHERE seq = :s", s=bad)


def forged_tail_event(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    last = tamper.last()
    tamper.copy_row(last, last + 1, action="case_closed")
    result = verify(admin)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, last + 1, "audit.modified")


def truncated_then_new_events(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    """Issue 10 item 1: the tail deleted behind the app's back, then ordinary work goes on."""
    _, cp_seq = services.audit.write_checkpoint(admin)
    tamper.run("DELETE FROM audit_events WHERE seq > :s", s=cp_seq - 3)
    events(services, 6)  # no verify in between: nothing was ever reported
    assert tamper.last() > cp_seq
    result = verify(admin)
    assert (result.ok, result.first_bad_seq, result.problem) == (
        False,
        cp_seq,
        "audit.checkpoint_mismatch",
    )
    events(services, 20)
    assert not verify(admin).ok  # forever


def failed_stays_failed(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    """A failure, once seen, is not masked by appending: only an admin acknowledges it."""
    from caseintake.domain.errors import DomainError

    _, cp_seq = services.audit.write_checkpoint(admin)
    tamper.run("DELETE FROM audit_events WHERE seq > :s", s=cp_seq - 2)
    first = verify(admin)
    assert (first.ok, first.problem, first.first_bad_seq) == (False, "audit.truncated", cp_seq - 1)
    events(services, 3)
    again = verify(admin)
    assert not again.ok and again.problem in ("audit.checkpoint_mismatch", "audit.still_failed")
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    try:
        services.audit.acknowledge(operator, "not mine to say")
        raise AssertionError("an operator acknowledged a failed trail")
    except DomainError as err:
        assert err.key == "auth.forbidden"
    services.audit.acknowledge(admin, "restored after disk failure, ticket 42")
    assert verify(admin).ok
    actions = [r[0] for r in tamper.run("SELECT action FROM audit_events ORDER BY seq")]
    assert "audit_failure_acknowledged" in actions
    # A new attack after the acknowledgement is found again.
    tamper.run("DELETE FROM audit_events WHERE seq = 3")
    assert verify(admin).first_bad_seq == 3


def nothing_to_acknowledge(services: Any, admin: Any, tamper: Tamper, verify: Verify) -> None:
    from caseintake.domain.errors import DomainError

    assert verify(admin).ok
    try:
        services.audit.acknowledge(admin, "just because")
        raise AssertionError("acknowledged an intact trail")
    except DomainError as err:
        assert err.key == "audit.nothing_to_acknowledge"


ATTACKS = (
    changed_byte_in_every_column,
    deleted_row,
    swapped_rows,
    inserted_below_one,
    forged_tail_event,
    truncated_then_new_events,
    failed_stays_failed,
    nothing_to_acknowledge,
)


def verifier(services: Any, path: str) -> Verify:
    """The serial path, or the parallel one forced on a small trail (threshold injected)."""
    if path == "serial":
        return lambda admin, *a: services.audit.verify(admin, *a, workers=1)
    services.audit.parallel_from = 1
    return lambda admin, *a: services.audit.verify(admin, *a, workers=2)
