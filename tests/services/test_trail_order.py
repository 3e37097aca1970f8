"""Issue 20 item 4: ``audit verify`` checks that event times never go backwards and that case
numbers have no gaps. The attacker is an insider with their own password (bench/chaos/insider):
they re-chain and re-sign their own events after the last checkpoint, which the MACs and
signatures then accept, so only these two checks are left to see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bench.chaos.insider import RawFile, unwrap_own_slot
from caseintake.domain.intake.validation import parse_intake
from caseintake.i18n import t
from caseintake.services.container import Services
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW
from tests.samples import design_example
from tests.services.audit_tamper import verifier


class World:
    """The admin logs in first; then the operator saves ``n`` reports, so every event from
    the first save on is the operator's own."""

    def __init__(self, services: Services, n: int) -> None:
        self.admin = services.auth.login(ADMIN, ADMIN_PW)
        self.operator = services.auth.login(OPERATOR, OPERATOR_PW)
        self.saved = [
            services.intake.save(self.operator, parse_intake(design_example(narrative=f"Bé {i}.")))
            for i in range(n)
        ]


def insider(services: Services, db_path: Path) -> RawFile:
    with services.db.read() as s:
        db_id = s.execute(text("SELECT db_id FROM meta")).scalar_one()
    return RawFile(db_path, unwrap_own_slot(db_path, OPERATOR, OPERATOR_PW), str(db_id))


@pytest.mark.parametrize("path", ["serial", "parallel"])
def test_an_event_backdated_and_resigned_is_named(
    services: Services, db_path: Path, path: str
) -> None:
    w = World(services, 2)
    verify = verifier(services, path)
    raw = insider(services, db_path)
    try:
        last = raw.one("SELECT max(seq) FROM audit_events")
        before = raw.one("SELECT at_us FROM audit_events WHERE seq = ?", last - 1)
        rows = raw.events(last)
        assert rows[0]["signer"] == raw.keys.user_id  # the operator's own save
        rows[0]["at_us"] = before - 3_600_000_000  # an hour before the event preceding it
        raw.rewrite_from(last, rows, others_too=False)
    finally:
        raw.close()
    result = verify(w.admin)
    assert (result.ok, result.problem, result.first_bad_seq) == (
        False,
        "audit.times_backwards",
        last,
    )
    assert str(last) in result.message("en") and "backwards" in result.message("en")


def test_writers_keep_time_moving_on(services: Services, operator: Any, clock: Any) -> None:
    """No false alarm: a clock set back (the machine's, or a replayed history's) never makes
    an event older than the one before it."""
    clock.advance(hours=5)
    services.intake.save(operator, parse_intake(design_example()))
    clock.advance(hours=-4)  # set back four hours
    services.intake.save(operator, parse_intake(design_example()))
    services.intake.log_non_data(operator, "silent", clock.now, 30)
    with services.db.read() as s:
        times = [int(v) for v in s.execute(text("SELECT at_us FROM audit_events ORDER BY seq"))
                 .scalars()]  # fmt: skip
    assert times == sorted(times)
    admin = services.auth.login("root", "amber-violet-72")
    assert services.audit.verify(admin).ok


def test_a_case_deleted_with_its_events_leaves_its_number_missing(
    services: Services, db_path: Path
) -> None:
    w = World(services, 3)
    gone, third = w.saved[1], w.saved[2]
    raw = insider(services, db_path)
    try:
        ids = {gone.case_id}
        for table in ("contacts", "referrals"):
            ids |= {r[0] for r in raw.conn.execute(
                f"SELECT id FROM {table} WHERE case_id = ?", (gone.case_id,))}  # fmt: skip
        first = raw.one(
            f"SELECT min(seq) FROM audit_events WHERE entity_id IN ({', '.join('?' * len(ids))})",
            *ids,
        )
        kept = [e for e in raw.events(first) if e["entity_id"] not in ids]
        assert all(e["signer"] == raw.keys.user_id for e in raw.events(first))  # own events
        for table in ("referrals", "contacts", "children", "perpetrators", "case_concerns"):
            raw.run(f"DELETE FROM {table} WHERE case_id = ?", gone.case_id)
        raw.run("DELETE FROM cases WHERE id = ?", gone.case_id)
        raw.rewrite_from(first, kept, others_too=False)
    finally:
        raw.close()
    result = services.audit.verify(w.admin)
    assert (result.ok, result.problem) == (False, "audit.case_number_gap"), result
    assert result.record == gone.case_number and third.case_number != gone.case_number
    assert result.message("en") == t(
        "audit.case_number_gap", "en", record=gone.case_number, name="1"
    )


def test_the_newest_case_deleted_is_missing_below_its_counter(
    services: Services, db_path: Path
) -> None:
    """The counter that hands numbers out still says how many were given."""
    w = World(services, 2)
    second = w.saved[1]
    raw = insider(services, db_path)
    try:
        ids = {second.case_id}
        ids |= {r[0] for r in raw.conn.execute(
            "SELECT id FROM contacts WHERE case_id = ? UNION SELECT id FROM referrals"
            " WHERE case_id = ?", (second.case_id, second.case_id))}  # fmt: skip
        first = raw.one(
            f"SELECT min(seq) FROM audit_events WHERE entity_id IN ({', '.join('?' * len(ids))})",
            *ids,
        )
        kept = [e for e in raw.events(first) if e["entity_id"] not in ids]
        for table in ("referrals", "contacts", "children", "perpetrators", "case_concerns"):
            raw.run(f"DELETE FROM {table} WHERE case_id = ?", second.case_id)
        raw.run("DELETE FROM cases WHERE id = ?", second.case_id)
        raw.rewrite_from(first, kept, others_too=False)
    finally:
        raw.close()
    result = services.audit.verify(w.admin)
    assert (result.ok, result.problem, result.record) == (
        False, "audit.case_number_gap", second.case_number,
    )  # fmt: skip
