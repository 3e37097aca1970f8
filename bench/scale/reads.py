"""Every screen's query against the best hand-written SQL on the same file and indexes
(issue 11 item 3): the home, the case searches, the repeat-caller lookup, the supervisor queue.

The baselines run on a plain ``sqlite3`` connection and return what the screen shows (the same
columns, concerns and nearest deadline), so a ratio measures what the app adds: SQLAlchemy,
typed rows, the summaries, and (for audited lookups) the audit event, which the baseline writes
by hand too, into a scratch table of the same shape, with the same PRAGMAs.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.build_db import BenchDb
from bench.common import paired

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
QUEUE_FROM = """FROM referrals r INDEXED BY ix_referrals_open_due JOIN cases c ON c.id = r.case_id
 LEFT JOIN users u ON u.id = c.assigned_to
 LEFT JOIN directory_entries d ON d.id = r.directory_entry_id
 LEFT JOIN escalations e ON e.referral_id = r.id"""
OVERDUE = """((r.due_spec = 'immediately' AND r.status = 'pending' AND r.due_at < :window)
 OR (r.due_spec != 'immediately' AND r.status IN ('pending', 'sent') AND r.due_at < :now))"""
UNMET_Q = """((r.due_spec = 'immediately' AND r.status = 'pending')
 OR (r.due_spec != 'immediately' AND r.status IN ('pending', 'sent')))"""
SOON = f"({UNMET_Q} AND r.due_at <= :soon AND NOT {OVERDUE})"
QUEUE = f"""SELECT * FROM (
 SELECT * FROM (SELECT 0 AS rank, {QUEUE_COLS} {QUEUE_FROM} WHERE r.status IN {OPEN}
   AND {OVERDUE} AND r.due_at < :now ORDER BY r.due_at, r.id LIMIT 51)
 UNION ALL SELECT * FROM (SELECT 1, {QUEUE_COLS} {QUEUE_FROM} WHERE r.status IN {OPEN}
   AND {SOON} AND r.due_at >= :window ORDER BY r.due_at, r.id LIMIT 51)
 UNION ALL SELECT * FROM (SELECT 2, {QUEUE_COLS} {QUEUE_FROM} WHERE r.status IN {OPEN}
   AND NOT {OVERDUE} AND NOT {SOON} ORDER BY r.due_at, r.id LIMIT 51))
 ORDER BY rank, due_at, id LIMIT 51"""
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


def sql_time(at: datetime) -> str:
    """A moment as the app stores it in SQLite (naive UTC text)."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("busy_timeout = 60000", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _read(conn: sqlite3.Connection, sql: str, params: Any) -> list[Any]:
    conn.execute("BEGIN")
    rows = conn.execute(sql, params).fetchall()
    conn.execute("COMMIT")
    return rows


def _busiest_phone(svc: Any, operator: Any) -> str:
    from sqlalchemy import text

    with svc.db.read() as s:
        index = s.execute(
            text(
                "SELECT caller_phone_index FROM contacts WHERE caller_phone_index IS NOT NULL"
                " GROUP BY caller_phone_index ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
        cid, blob = s.execute(
            text("SELECT id, caller_phone FROM contacts WHERE caller_phone_index = :i LIMIT 1"),
            {"i": index},
        ).one()
    return str(operator.keys.cipher.decrypt("contacts", "caller_phone", cid, blob))


def measure(db: BenchDb, rounds: int = 7) -> dict[str, Any]:
    """Runs on ``db`` itself (its audit trail grows by the audited lookups' events)."""
    from sqlalchemy import text

    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.cases.callers import phone_index
    from caseintake.services.cases.service import CaseQuery
    from caseintake.services.container import Services
    from caseintake.services.supervisor_desk import SupervisorDesk

    svc = Services(db.settings())
    operator = svc.auth.login("tv001", NATIONAL_PASSWORD)
    supervisor = svc.auth.login("giamsat", NATIONAL_PASSWORD)
    raw = _raw(db.path)
    for statement in SCRATCH:
        raw.execute(statement)
    now = svc.settings.clock()
    with svc.db.read() as s:
        number = s.execute(text("SELECT max(number) FROM cases WHERE line = '111'")).scalar_one()
    figures: dict[str, Any] = {"contacts": db.contacts}
    if number is None:
        svc.close()
        raw.close()
        return figures  # an empty database has nothing to read
    phone = _busiest_phone(svc, operator)
    index = phone_index(operator.keys.blind_key, phone)
    first = svc.cases.search(operator, CaseQuery(), page_size=20)
    cursor = first.after
    for _ in range(50):  # fifty pages deep, by keyset
        cursor = svc.cases.search(operator, CaseQuery(), page_size=20, after=cursor).after
    assert cursor is not None
    deep = (sql_time(cursor[0]), cursor[1])

    def lookup_by_hand() -> None:
        for sql in CALLER:
            _read(raw, sql, (index,))
        raw.execute("BEGIN IMMEDIATE")
        row = ("tv001", "caller_looked_up", "phone", index[:16], b"x" * 60, b"m" * 32)
        raw.execute(SCRATCH_ROW, (0, *row, operator.user_id, b"s" * 64))
        raw.execute("COMMIT")

    queue = SupervisorDesk(svc).queue
    times = {
        "now": sql_time(now),
        "window": sql_time(now - timedelta(minutes=15)),
        "soon": sql_time(now + timedelta(hours=1)),
    }
    pairs = {
        "home": (
            lambda: svc.cases.my_open(operator),
            lambda: _read(raw, HOME, (operator.user_id,)),
        ),
        "search_number": (
            lambda: svc.cases.search(operator, CaseQuery(text=number)),
            lambda: _read(raw, BY_NUMBER, (number,)),
        ),
        "search_concern": (
            lambda: svc.cases.search(operator, CaseQuery(concern="sexual_abuse")),
            lambda: _read(raw, CONCERN, ("sexual_abuse", "sexual_abuse.", "sexual_abuse/")),
        ),
        "search_first_page": (
            lambda: svc.cases.search(operator, CaseQuery()),
            lambda: _read(raw, PAGE, ()),
        ),
        "search_page_51_keyset": (
            lambda: svc.cases.search(operator, CaseQuery(), page_size=20, after=cursor),
            lambda: _read(raw, KEYSET, deep),
        ),
        "lookup": (lambda: svc.callers.history(operator, phone), lookup_by_hand),
        "queue": (lambda: queue.page(supervisor), lambda: _read(raw, QUEUE, times)),
    }
    for name, (ours, baseline) in pairs.items():
        figures[name] = paired(ours, baseline, rounds)
    raw.close()
    svc.close()
    return figures
