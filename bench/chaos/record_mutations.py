"""The records' mutations of the tamper phase (issue 20): rows of cases, referrals and contacts
edited, deleted or inserted with plain SQL, and a narrative re-encrypted by the insider with
the data key. Each is named by ``audit verify``: the row no longer matches the last event that
wrote it, or no event wrote it."""

from __future__ import annotations

import random

from bench.chaos.mutations import Expect, Mutate, Work

CHANGED, INSERTED, DELETED = "audit.record_changed", "audit.record_inserted", "audit.record_deleted"


def _case(w: Work, rng: random.Random, where: str = "") -> str:
    rows = [r[0] for r in w.raw.conn.execute(f"SELECT id FROM cases {where}")]
    return rng.choice(rows or w.facts.case_ids)


def referral_status(w: Work, rng: random.Random) -> Expect:
    case = _case(w, rng, "WHERE id IN (SELECT case_id FROM referrals WHERE status != 'done')")
    w.raw.run("UPDATE referrals SET status = 'done' WHERE case_id = ? AND status != 'done'", case)
    return Expect(f"referrals of {case} marked done", frozenset({CHANGED}))


def priority_lowered(w: Work, rng: random.Random) -> Expect:
    case = _case(w, rng, "WHERE priority != 'low'")
    w.raw.run("UPDATE cases SET priority = 'low' WHERE id = ?", case)
    return Expect(f"case {case} lowered", frozenset({CHANGED}))


def case_closed(w: Work, rng: random.Random) -> Expect:
    case = _case(w, rng, "WHERE status != 'closed'")
    w.raw.run("UPDATE cases SET status = 'closed' WHERE id = ?", case)
    return Expect(f"case {case} closed", frozenset({CHANGED}))


def case_deleted(w: Work, rng: random.Random) -> Expect:
    case = _case(w, rng)
    w.raw.run("PRAGMA foreign_keys = OFF")
    for sql in (
        "DELETE FROM referral_updates WHERE referral_id IN"
        " (SELECT id FROM referrals WHERE case_id = ?)",
        "DELETE FROM referrals WHERE case_id = ?",
        "DELETE FROM contacts WHERE case_id = ?",
        "DELETE FROM children WHERE case_id = ?",
        "DELETE FROM perpetrators WHERE case_id = ?",
        "DELETE FROM case_concerns WHERE case_id = ?",
        "DELETE FROM case_notes WHERE case_id = ?",
        "DELETE FROM case_approvals WHERE case_id = ?",
        "DELETE FROM cases WHERE id = ?",
    ):
        w.raw.run(sql, case)
    return Expect(f"case {case} deleted whole", frozenset({DELETED}))


def contact_deleted(w: Work, rng: random.Random) -> Expect:
    rows = [r[0] for r in w.raw.conn.execute("SELECT id FROM contacts")]
    contact = rng.choice(rows)
    w.raw.run("DELETE FROM contacts WHERE id = ?", contact)
    return Expect(f"contact {contact} deleted", frozenset({DELETED}))


def referral_inserted(w: Work, rng: random.Random) -> Expect:
    case = _case(w, rng, "WHERE id IN (SELECT case_id FROM referrals)")
    cols = "case_id, body, directory_entry_id, province_code, ward_code, due_spec, due_at,"
    cols += " rule_ids, basis, added_by_operator, status, created_at"
    w.raw.run(
        f"INSERT INTO referrals (id, {cols}) SELECT 'forged-' || id, {cols} FROM referrals"
        " WHERE case_id = ? LIMIT 1",
        case,
    )
    return Expect(f"referral inserted in {case}", frozenset({INSERTED}))


def narrative_reencrypted(w: Work, rng: random.Random) -> Expect:
    """The insider replaces a colleague's narrative with words of their own, encrypted under
    the data key so that the case opens as if they were written at the call."""
    case = _case(w, rng)
    blob = w.facts.insider.cipher.encrypt("cases", "narrative", case, "Không có gì xảy ra.")
    w.raw.run("UPDATE cases SET narrative = ? WHERE id = ?", blob, case)
    return Expect(f"narrative of {case} re-encrypted", frozenset({CHANGED}))


RECORD_CLASSES: dict[str, tuple[str, Mutate]] = {
    "record_referral_status": ("detect", referral_status),
    "record_priority_lowered": ("detect", priority_lowered),
    "record_case_closed": ("detect", case_closed),
    "record_case_deleted": ("detect", case_deleted),
    "record_contact_deleted": ("detect", contact_deleted),
    "record_referral_inserted": ("detect", referral_inserted),
    "record_narrative_reencrypted": ("detect", narrative_reencrypted),
}
