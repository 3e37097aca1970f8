"""Issue 10 item 2: an insider with write access and only their own password cannot delete,
alter, reorder or back-date another user's audit event, nor write one in another's name,
without ``audit verify`` naming it. The insider here holds everything an operator holds: the
data key (so the audit MAC key) and their own signing key, unwrapped from their own slot.

Each attack runs against both verify paths (one process, and split across two processes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from typing import Any

import pytest

from caseintake.crypto.audit_chain import canonical, genesis_mac, next_mac
from caseintake.crypto.event_sigs import sign_event
from caseintake.services.audit.trust import Anchor, anchor_file
from caseintake.services.container import Services
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.services.audit_tamper import Tamper
from tests.services.test_audit_checkpoint_keys import db_id_of

COLS = "seq, at_us, actor, action, entity, entity_id, details, signer, sig, states"


@pytest.fixture(params=["one process", "parallel"])
def verify(request: Any, services: Services) -> Callable[[Any], Any]:
    if request.param == "one process":
        return lambda admin: services.audit.verify(admin)
    services.audit.parallel_from = 1
    return lambda admin: services.audit.verify(admin, workers=2)


@pytest.fixture
def trail(services: Services) -> dict[str, Any]:
    """Events by three users, interleaved: operator, supervisor, operator, admin, operator."""
    who = {}
    for name, pw in ((OPERATOR, OPERATOR_PW), (SUPERVISOR, SUPERVISOR_PW)) * 2:
        who[name] = services.auth.login(name, pw)
    who[ADMIN] = services.auth.login(ADMIN, ADMIN_PW)
    who[OPERATOR] = services.auth.login(OPERATOR, OPERATOR_PW)
    return who


def read_rows(tamper: Tamper) -> list[list[Any]]:
    return [list(r) for r in tamper.run(f"SELECT {COLS} FROM audit_events ORDER BY seq")]


def rewrite(tamper: Tamper, attacker: Any, db_id: str, rows: list[list[Any]]) -> None:
    """The strongest insider rewrite: renumber, re-MAC from genesis with the audit key every
    user derives, and re-sign every signed event of the attacker's with their own key. Other
    users' signatures are copied as they were (the attacker cannot make new ones)."""
    tamper.run("DELETE FROM audit_events")
    key = attacker.keys.audit_key
    prev = genesis_mac(key, db_id)
    for seq, r in enumerate(rows, 1):
        states = None if r[9] is None else bytes(r[9])
        mac = next_mac(key, prev, canonical(seq, *r[1:6], bytes(r[6]), states))
        sig = r[8]
        if r[7] == attacker.user_id and sig is not None:
            sig = sign_event(attacker.keys.signing, db_id, 1, seq, attacker.user_id, mac)
        tamper.run(
            f"INSERT INTO audit_events ({COLS}, mac) VALUES "
            "(:s, :a, :b, :c, :d, :e, :f, :g, :h, :r, :m)",
            s=seq, a=r[1], b=r[2], c=r[3], d=r[4], e=r[5], f=r[6], g=r[7], h=sig, r=r[9], m=mac,
        )  # fmt: skip
        prev = mac


def test_every_event_is_signed_by_its_writer(services: Services, trail: Any, verify: Any) -> None:
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    ids = {p.name: p.user_id for p in trail.values()}
    for r in rows:
        if r[2] in ids:  # written in a user's name: signed by that user
            assert r[7] == ids[r[2]], r
    assert rows[-1][8] is not None  # the head is signed
    result = verify(trail[ADMIN])
    assert result.ok and result.signatures >= len(ids) and result.unsigned_before == 0
    tamper.close()


def test_deleting_another_users_event_is_named(services: Services, trail: Any, verify: Any) -> None:
    attacker = trail[OPERATOR]
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    victim = next(i for i, r in enumerate(rows) if r[2] == SUPERVISOR and r[3] == "login")
    del rows[victim]
    rewrite(tamper, attacker, db_id_of(services), rows)
    result = verify(trail[ADMIN])
    assert not result.ok and result.problem == "audit.bad_signature"
    assert result.first_bad_seq is not None and result.first_bad_seq >= victim + 1
    assert not result.chain_ok  # not something an admin can acknowledge away
    tamper.close()


def test_altering_another_users_event_is_named(services: Services, trail: Any, verify: Any) -> None:
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    victim = next(i for i, r in enumerate(rows) if r[2] == ADMIN)
    rows[victim][1] -= 86_400_000_000  # back-dated by a day
    rewrite(tamper, trail[OPERATOR], db_id_of(services), rows)
    result = verify(trail[ADMIN])
    assert (result.ok, result.problem) == (False, "audit.bad_signature")
    assert result.detail in (ADMIN, SUPERVISOR)  # whose signature no longer matches
    tamper.close()


def test_reordering_events_is_named(services: Services, trail: Any, verify: Any) -> None:
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    i = next(i for i, r in enumerate(rows) if r[2] == SUPERVISOR)
    rows[i - 1], rows[i] = rows[i], rows[i - 1]
    rewrite(tamper, trail[OPERATOR], db_id_of(services), rows)
    result = verify(trail[ADMIN])
    assert not result.ok and result.problem in ("audit.bad_signature", "audit.unsigned")
    tamper.close()


def test_writing_in_another_users_name_is_named(
    services: Services, trail: Any, verify: Any
) -> None:
    attacker = trail[OPERATOR]
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    closing = [0, rows[-1][1] + 1, SUPERVISOR, "case_status_changed", "case", "c-1", rows[-1][6]]
    rows.append(
        [*closing, attacker.user_id, b"-", None]
    )  # signed below with the attacker's own key
    rewrite(tamper, attacker, db_id_of(services), rows)
    result = verify(trail[ADMIN])
    assert (result.ok, result.first_bad_seq, result.problem, result.detail) == (
        False,
        len(rows),
        "audit.forged_actor",
        SUPERVISOR,
    )
    tamper.close()


def test_claiming_another_signer_is_named(services: Services, trail: Any, verify: Any) -> None:
    """The attacker's own event relabelled as the supervisor's: their signature does not fit."""
    tamper = Tamper(services.settings.db_url)
    last = tamper.last()
    sup = trail[SUPERVISOR].user_id
    tamper.run("UPDATE audit_events SET signer = :u WHERE seq = :s", u=sup, s=last)
    result = verify(trail[ADMIN])
    assert (result.ok, result.problem) == (False, "audit.forged_actor")
    tamper.close()


def test_stripping_a_signature_leaves_the_event_uncovered(
    services: Services, trail: Any, verify: Any
) -> None:
    """(A signature stripped inside a run is harmless: the run's end still covers it.)"""
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    ends = pairwise(rows)  # the signed end of a run of the supervisor's
    seq = next(r[0] for r, n in ends if r[2] == SUPERVISOR and r[8] and n[7] != r[7])
    tamper.run("UPDATE audit_events SET sig = NULL WHERE seq = :s", s=seq)
    result = verify(trail[ADMIN])
    assert (result.ok, result.first_bad_seq, result.problem) == (False, seq, "audit.unsigned")
    assert result.detail == SUPERVISOR
    tamper.close()


def test_moving_the_signed_era_is_named(services: Services, trail: Any, verify: Any) -> None:
    """Raise the era's start past the head and strip every signature: the pinned anchor
    still says 1."""
    tamper = Tamper(services.settings.db_url)
    tamper.run("UPDATE audit_events SET sig = NULL, signer = NULL")
    tamper.run("UPDATE meta SET audit_signed_from = 100000")
    result = verify(trail[ADMIN])
    assert (result.ok, result.problem) == (False, "audit.signed_from_moved")
    tamper.close()


def test_moving_the_era_without_stripping_names_the_first_signed_event(
    services: Services, trail: Any, verify: Any
) -> None:
    """A database migrated from before signatures pins no era (its anchor predates 0007):
    raising the start still shows, because signed events then sit before it."""
    tamper = Tamper(services.settings.db_url)
    unpinned = replace(Anchor.from_json(tamper.run("SELECT trust_anchor FROM meta")[0][0]),
                       audit_signed_from=None)  # fmt: skip
    assert unpinned is not None
    tamper.run("UPDATE meta SET trust_anchor = :a", a=unpinned.to_json())
    anchor_file(services.settings.state_dir, db_id_of(services)).write_text(unpinned.to_json())
    assert verify(trail[ADMIN]).ok  # nothing pinned, nothing moved yet
    tamper.run("UPDATE meta SET audit_signed_from = 6")
    result = verify(trail[ADMIN])
    assert (result.ok, result.first_bad_seq, result.problem) == (
        False,
        1,  # the first signed event now before the era
        "audit.signed_from_moved",
    )
    tamper.close()


def test_the_window_that_remains_is_the_attackers_own_events(
    services: Services, trail: Any, verify: Any
) -> None:
    """What the threat model admits: an insider may rewrite *their own* events after the last
    checkpoint (here: drop their last login), and verify cannot tell."""
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    assert rows[-1][2] == OPERATOR
    rewrite(tamper, trail[OPERATOR], db_id_of(services), rows[:-1])
    assert verify(trail[ADMIN]).ok
    tamper.close()


def test_bad_values_in_signature_columns_are_named_not_raised(
    services: Services, trail: Any, verify: Any
) -> None:
    tamper = Tamper(services.settings.db_url)
    last = tamper.last()
    for column, value in (("sig", "not bytes"), ("sig", b"\x00" * 3), ("signer", 7)):
        row = tamper.run(f"SELECT {column} FROM audit_events WHERE seq = :s", s=last)[0][0]
        tamper.run(f"UPDATE audit_events SET {column} = :v WHERE seq = :s", v=value, s=last)
        result = verify(trail[ADMIN])
        assert not result.ok and result.first_bad_seq == last, (column, value, result)
        tamper.run(f"UPDATE audit_events SET {column} = :v WHERE seq = :s", v=row, s=last)
    tamper.close()
