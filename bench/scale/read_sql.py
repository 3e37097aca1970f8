"""The hand-written SQL of ``bench/scale/reads.py``'s baselines: each one statement, returning
what the screen shows (the same columns, concerns and nearest deadline)."""

from __future__ import annotations

OPEN = "('pending', 'sent', 'acknowledged', 'in_progress')"
UNMET = "(r.status = 'pending' OR (r.status = 'sent' AND r.due_spec != 'immediately'))"
SUMMARY = f"""c.id, c.number, c.status, c.priority, c.opened_at, c.province_code, c.ward_code,
 (SELECT group_concat(k.concern) FROM case_concerns k WHERE k.case_id = c.id) AS concerns,
 (SELECT r.due_at || '|' || r.body || '|' || r.status FROM referrals r
   WHERE r.case_id = c.id AND {UNMET} ORDER BY r.due_at LIMIT 1) AS next_due"""
HOME = f"""SELECT {SUMMARY} FROM cases c WHERE c.assigned_to = ? AND c.status != 'closed'
 ORDER BY next_due IS NULL, next_due, c.opened_at DESC LIMIT 50"""
BY_NUMBER = f"SELECT {SUMMARY} FROM cases c WHERE c.number = ?"
PAGE = f"SELECT {SUMMARY} FROM cases c ORDER BY c.opened_at DESC, c.id DESC LIMIT 21"
KEYSET = f"""SELECT {SUMMARY} FROM cases c WHERE (c.opened_at, c.id) < (?, ?)
 ORDER BY c.opened_at DESC, c.id DESC LIMIT 21"""
CONCERN = f"""SELECT {SUMMARY} FROM cases c WHERE EXISTS (SELECT 1 FROM case_concerns k
 WHERE k.case_id = c.id AND (k.concern = ? OR (k.concern > ? AND k.concern < ?)))
 ORDER BY c.opened_at DESC, c.id DESC LIMIT 21"""
CALLER = [
    """SELECT t.id, t.received_at, t.contact_type, t.channel, t.duration_seconds, c.number,
 t.case_id FROM contacts t LEFT JOIN cases c ON c.id = t.case_id
 WHERE t.caller_phone_index = ? ORDER BY t.received_at DESC LIMIT 20""",
    f"""SELECT {SUMMARY} FROM cases c WHERE c.id IN (SELECT t.case_id FROM contacts t
 WHERE t.caller_phone_index = ? AND t.case_id IS NOT NULL ORDER BY t.received_at DESC LIMIT 20)""",
    """SELECT count(*) FROM contacts WHERE caller_phone_index = ? AND contact_type = 'silent'""",
]
# The queue page by hand: overdue, then due within the hour, then the rest, each a walk of the
# open referrals' deadline index that stops at the page's end.
QUEUE_COLS = """r.*, c.number, c.status, c.priority, c.province_code, c.ward_code, u.name,
 d.name, e.decision"""
QUEUE_JOINS = """JOIN cases c ON c.id = r.case_id
 LEFT JOIN users u ON u.id = c.assigned_to
 LEFT JOIN directory_entries d ON d.id = r.directory_entry_id
 LEFT JOIN escalations e ON e.referral_id = r.id"""
QUEUE_FROM = f"FROM referrals r INDEXED BY ix_referrals_open_due {QUEUE_JOINS}"
# The overdue and due-soon bands hold unmet referrals only: they walk those alone (0023).
UNMET_FROM = f"FROM referrals r INDEXED BY ix_referrals_unmet_due {QUEUE_JOINS}"
UNMET_STATES = "r.status IN ('pending', 'sent')"
OVERDUE = """((r.due_spec = 'immediately' AND r.status = 'pending' AND r.due_at < :window)
 OR (r.due_spec != 'immediately' AND r.status IN ('pending', 'sent') AND r.due_at < :now))"""
UNMET_Q = """((r.due_spec = 'immediately' AND r.status = 'pending')
 OR (r.due_spec != 'immediately' AND r.status IN ('pending', 'sent')))"""
SOON = f"({UNMET_Q} AND r.due_at <= :soon AND NOT {OVERDUE})"
# The band walk by hand, as the queue walks it: each band one statement, run in order until
# the page (and one more row, to say "more") is full.
BANDS = [
    f"""SELECT 0 AS rank, {QUEUE_COLS} {UNMET_FROM} WHERE {UNMET_STATES} AND {OVERDUE}
 AND r.due_at < :now ORDER BY r.due_at, r.id LIMIT :limit""",
    f"""SELECT 1, {QUEUE_COLS} {UNMET_FROM} WHERE {UNMET_STATES} AND {SOON}
 AND r.due_at >= :window ORDER BY r.due_at, r.id LIMIT :limit""",
    f"""SELECT 2, {QUEUE_COLS} {QUEUE_FROM} WHERE r.status IN {OPEN} AND NOT {OVERDUE}
 AND NOT {SOON} ORDER BY r.due_at, r.id LIMIT :limit""",
]
# The home's other reads: today's contacts (one statement where the service sends two) and the
# draft check (a read: is there a draft to offer?).
TODAY = """SELECT t.id, t.received_at, t.contact_type, t.channel, t.duration_seconds, c.number,
 t.case_id FROM contacts t LEFT JOIN cases c ON c.id = t.case_id
 WHERE t.operator_id = ? AND t.received_at >= ? ORDER BY t.received_at DESC LIMIT 50"""
DRAFT = "SELECT id FROM drafts WHERE user_id = ? ORDER BY updated_at DESC LIMIT 1"
# A number's tail by hand, with the same indexes: the numbers it can be, from the counters,
# each looked up by the unique number index.
COUNTERS = "SELECT line, year, last FROM case_counters"
TAIL = f"""SELECT {SUMMARY} FROM cases c WHERE c.number IN (SELECT value FROM json_each(?))
 ORDER BY c.opened_at DESC, c.id DESC LIMIT 21"""
# The audit event's table by hand: the same columns and the same (entity, entity_id) index as
# ``audit_events``, so the baseline's commit writes the pages the app's does.
SCRATCH = [
    "DROP TABLE IF EXISTS bench_audit_events",
    """CREATE TABLE bench_audit_events (seq INTEGER PRIMARY KEY,
 at_us INTEGER NOT NULL, actor VARCHAR(64) NOT NULL, action VARCHAR(48) NOT NULL,
 entity VARCHAR(32) NOT NULL, entity_id VARCHAR(64) NOT NULL, details BLOB NOT NULL,
 mac BLOB NOT NULL, signer VARCHAR(36), sig BLOB)""",
    "CREATE INDEX ix_bench_audit_events_entity ON bench_audit_events (entity, entity_id)",
]
SCRATCH_ROW = """INSERT INTO bench_audit_events (at_us, actor, action, entity, entity_id, details,
 mac, signer, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""
