"""Attacks on the records themselves (issue 20 item 1), shared by the SQLite and PostgreSQL
tests and run against both verify paths.

Each attack is a function ``(world, tamper, verify) -> None``: from two reports saved by the
operator (``world.first``, ``world.second``), it edits the rows with plain SQL, as anyone
holding the file can (the append-only guard of the trail switched off too), and asserts what
``audit verify`` names: the table, the case, the event the row contradicts and its signer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseintake.domain.intake.validation import parse_intake
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.samples import design_example
from tests.services.audit_tamper import Tamper, Verify


@dataclass
class World:
    services: Any
    admin: Any
    operator: Any
    supervisor: Any
    first: Any  # SavedContact
    second: Any

    def last_event(self, tamper: Tamper) -> int:
        return tamper.last()


def world(services: Any) -> World:
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    first = services.intake.save(operator, parse_intake(design_example()))
    second = services.intake.save(
        operator, parse_intake(design_example(narrative="Bé thứ hai bị đánh."))
    )
    admin = services.auth.login(ADMIN, ADMIN_PW)
    supervisor = services.auth.login(SUPERVISOR, SUPERVISOR_PW)
    return World(services, admin, operator, supervisor, first, second)


def intact_first(w: World, verify: Verify) -> None:
    result = verify(w.admin)
    assert result.ok, result
    assert result.records > 0 and result.record_count == 0


def binding_event(tamper: Tamper, table: str, key: str) -> int:
    """The seq of the last event whose states name the row (read as the verifier would)."""
    from caseintake.crypto.record_states import decode
    from caseintake.store.records import CODE

    found = 0
    for seq, blob in tamper.run(
        "SELECT seq, states FROM audit_events WHERE states IS NOT NULL ORDER BY seq"
    ):
        if any(c == CODE[table] and k == key for c, k, _ in decode(bytes(blob))):
            found = int(seq)
    return found


# --- the attacks -------------------------------------------------------------------------------


def referral_marked_done(w: World, tamper: Tamper, verify: Verify) -> None:
    intact_first(w, verify)
    (rid,) = tamper.run(
        "SELECT id FROM referrals WHERE case_id = :c ORDER BY id LIMIT 1", c=w.second.case_id
    )[0]
    seq = binding_event(tamper, "referrals", rid)
    tamper.run("UPDATE referrals SET status = 'done' WHERE case_id = :c", c=w.second.case_id)
    result = verify(w.admin)
    assert (result.ok, result.problem) == (False, "audit.record_changed")
    assert result.first_bad_seq == seq and result.detail == OPERATOR
    assert result.record.startswith("referrals ") and w.second.case_number in result.record


def priority_lowered(w: World, tamper: Tamper, verify: Verify) -> None:
    intact_first(w, verify)
    seq = binding_event(tamper, "cases", w.first.case_id)
    tamper.run("UPDATE cases SET priority = 'low' WHERE id = :c", c=w.first.case_id)
    result = verify(w.admin)
    assert (result.ok, result.problem, result.first_bad_seq) == (
        False,
        "audit.record_changed",
        seq,
    )
    assert result.record == f"cases {w.first.case_number}" and result.detail == OPERATOR


def case_closed_in_the_file(w: World, tamper: Tamper, verify: Verify) -> None:
    tamper.run("UPDATE cases SET status = 'closed' WHERE id = :c", c=w.first.case_id)
    result = verify(w.admin)
    assert (result.ok, result.problem) == (False, "audit.record_changed")
    assert result.record == f"cases {w.first.case_number}"


def case_deleted_whole(w: World, tamper: Tamper, verify: Verify) -> None:
    """The repro of issue 20: a whole case deleted with its contacts and referrals."""
    intact_first(w, verify)
    c = w.second.case_id
    for sql in (
        "DELETE FROM contacts WHERE case_id = :c",
        "DELETE FROM referrals WHERE case_id = :c",
        "DELETE FROM children WHERE case_id = :c",
        "DELETE FROM perpetrators WHERE case_id = :c",
        "DELETE FROM case_concerns WHERE case_id = :c",
        "DELETE FROM case_notes WHERE case_id = :c",
        "DELETE FROM cases WHERE id = :c",
    ):
        tamper.run(sql, c=c)
    result = verify(w.admin)
    assert (result.ok, result.problem, result.detail) == (False, "audit.record_deleted", OPERATOR)
    deleted = {(kind, record.split()[0]) for kind, record, _seq, _name in result.record_problems}
    assert {("deleted", t) for t in ("cases", "contacts", "referrals", "children")} <= deleted
    assert result.record_count >= 5


def row_inserted(w: World, tamper: Tamper, verify: Verify) -> None:
    cols = "case_id, body, directory_entry_id, province_code, ward_code, due_spec, due_at,"
    cols += " rule_ids, basis, added_by_operator, status, created_at"
    tamper.run(
        f"INSERT INTO referrals (id, {cols}) SELECT 'forged-referral', {cols} FROM referrals"
        " WHERE case_id = :c LIMIT 1",
        c=w.first.case_id,
    )
    result = verify(w.admin)
    assert (result.ok, result.problem, result.first_bad_seq) == (
        False,
        "audit.record_inserted",
        None,
    )
    assert result.record == f"referrals forged-referral ({w.first.case_number})"


def narrative_reencrypted_by_a_colleague(w: World, tamper: Tamper, verify: Verify) -> None:
    """The supervisor, with their own password, puts other words in the operator's narrative,
    encrypted under the data key so the case opens as if they were written at the call."""
    c = w.first.case_id
    seq = binding_event(tamper, "cases", c)
    forged = w.supervisor.keys.cipher.encrypt("cases", "narrative", c, "Không có gì xảy ra.")
    tamper.run("UPDATE cases SET narrative = :n WHERE id = :c", n=forged, c=c)
    assert w.services.cases.detail(w.supervisor, c).narrative == "Không có gì xảy ra."
    result = verify(w.admin)
    assert (result.ok, result.problem, result.first_bad_seq, result.detail) == (
        False,
        "audit.record_changed",
        seq,
        OPERATOR,
    )


def user_row_and_setting_edited(w: World, tamper: Tamper, verify: Verify) -> None:
    tamper.run("UPDATE security_settings SET lockout_failures = 1000")
    result = verify(w.admin)
    assert (result.ok, result.problem) == (False, "audit.record_changed")
    assert result.record.startswith("security_settings ")


def contact_deleted(w: World, tamper: Tamper, verify: Verify) -> None:
    tamper.run("DELETE FROM contacts WHERE id = :c", c=w.first.contact_id)
    result = verify(w.admin)
    assert (result.ok, result.problem) == (False, "audit.record_deleted")
    assert result.record == f"contacts {w.first.contact_id} ({w.first.case_number})"


def put_back_is_intact(w: World, tamper: Tamper, verify: Verify) -> None:
    """A row changed and put back exactly is the state its event signed: intact again."""
    (before,) = tamper.run("SELECT priority FROM cases WHERE id = :c", c=w.first.case_id)[0]
    tamper.run("UPDATE cases SET priority = 'low' WHERE id = :c", c=w.first.case_id)
    assert not verify(w.admin).ok
    tamper.run("UPDATE cases SET priority = :p WHERE id = :c", p=before, c=w.first.case_id)
    result = verify(w.admin)
    assert (result.problem, result.record_count) == ("audit.still_failed", 0)


def states_rewritten_to_match(w: World, tamper: Tamper, verify: Verify) -> None:
    """The attacker edits the row and the state its event records: the event's MAC (and its
    writer's signature) no longer match, named at that event."""
    from caseintake.crypto.record_states import decode, encode
    from caseintake.store.records import CODE, select_sql

    c = w.first.case_id
    seq = binding_event(tamper, "cases", c)
    tamper.run("UPDATE cases SET priority = 'low' WHERE id = :c", c=c)
    sqlite = w.services.db.is_sqlite
    from caseintake.store.records import digests

    (row,) = [r for r in tamper.run(select_sql("cases", sqlite)) if r[0] == c]
    ((_, digest),) = list(digests(CODE["cases"], [tuple(row)], sqlite))
    (blob,) = tamper.run("SELECT states FROM audit_events WHERE seq = :s", s=seq)[0]
    states = [
        (code, key, digest if (code, key) == (CODE["cases"], c) else d)
        for code, key, d in decode(bytes(blob))
    ]
    tamper.run("UPDATE audit_events SET states = :b WHERE seq = :s", b=encode(states), s=seq)
    result = verify(w.admin)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, seq, "audit.modified")


RECORD_ATTACKS = [
    states_rewritten_to_match,
    referral_marked_done,
    priority_lowered,
    case_closed_in_the_file,
    case_deleted_whole,
    row_inserted,
    narrative_reencrypted_by_a_colleague,
    user_row_and_setting_edited,
    contact_deleted,
    put_back_is_intact,
]
