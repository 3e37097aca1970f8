"""Every screen's query on PostgreSQL against hand-written SQL run through psycopg on the same
database and indexes: the PostgreSQL twin of ``bench/scale/reads.py`` (same screens, same
columns; ``string_agg`` for ``group_concat``, psycopg placeholders, aliased subqueries).

The audited lookup's baseline appends an audit-shaped row to a scratch table in its own short
transaction, after taking a transaction-scoped advisory lock, as the app's chain append does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from bench.common import paired

BENCH_LOCK = 0x62656E6368  # the scratch trail's advisory lock, apart from the app's own

OPEN = "('pending', 'sent', 'acknowledged', 'in_progress')"
UNMET = "(r.status = 'pending' OR (r.status = 'sent' AND r.due_spec != 'immediately'))"
SUMMARY = f"""c.id, c.number, c.status, c.priority, c.opened_at, c.province_code, c.ward_code,
 (SELECT string_agg(k.concern, ',') FROM case_concerns k WHERE k.case_id = c.id) AS concerns,
 (SELECT r.due_at::text || '|' || r.body || '|' || r.status FROM referrals r
   WHERE r.case_id = c.id AND {UNMET} ORDER BY r.due_at LIMIT 1) AS next_due"""
BUSIEST_DESK = """SELECT u.name FROM cases c JOIN users u ON u.id = c.assigned_to
 WHERE c.status != 'closed' AND u.role = 'operator' GROUP BY u.name ORDER BY count(*) DESC, u.name
 LIMIT 1"""
HOME = f"""SELECT {SUMMARY} FROM cases c WHERE c.assigned_to = %s AND c.status != 'closed'
 ORDER BY next_due NULLS LAST, c.opened_at DESC LIMIT 50"""
BY_NUMBER = f"SELECT {SUMMARY} FROM cases c WHERE c.number = %s"
PAGE = f"SELECT {SUMMARY} FROM cases c ORDER BY c.opened_at DESC, c.id DESC LIMIT 21"
KEYSET = f"""SELECT {SUMMARY} FROM cases c WHERE (c.opened_at, c.id) < (%s, %s)
 ORDER BY c.opened_at DESC, c.id DESC LIMIT 21"""
CONCERN = f"""SELECT {SUMMARY} FROM cases c WHERE EXISTS (SELECT 1 FROM case_concerns k
 WHERE k.case_id = c.id AND (k.concern = %s OR (k.concern > %s AND k.concern < %s)))
 ORDER BY c.opened_at DESC, c.id DESC LIMIT 21"""
CALLER = [
    """SELECT t.id, t.received_at, t.contact_type, t.channel, t.duration_seconds, c.number,
 t.case_id FROM contacts t LEFT JOIN cases c ON c.id = t.case_id
 WHERE t.caller_phone_index = %s ORDER BY t.received_at DESC LIMIT 20""",
    f"""SELECT {SUMMARY} FROM cases c WHERE c.id IN (SELECT t.case_id FROM contacts t
 WHERE t.caller_phone_index = %s AND t.case_id IS NOT NULL ORDER BY t.received_at DESC LIMIT 20)""",
    """SELECT count(*) FROM contacts WHERE caller_phone_index = %s AND contact_type = 'silent'""",
]
QUEUE_COLS = """r.*, c.number, c.status AS case_status, c.priority, c.province_code AS case_province,
 c.ward_code AS case_ward, u.name AS operator, d.name AS body_name, e.decision"""
QUEUE_FROM = """FROM referrals r JOIN cases c ON c.id = r.case_id
 LEFT JOIN users u ON u.id = c.assigned_to
 LEFT JOIN directory_entries d ON d.id = r.directory_entry_id
 LEFT JOIN escalations e ON e.referral_id = r.id"""
OVERDUE = """((r.due_spec = 'immediately' AND r.status = 'pending' AND r.due_at < %(window)s)
 OR (r.due_spec != 'immediately' AND r.status IN ('pending', 'sent') AND r.due_at < %(now)s))"""
UNMET_Q = """((r.due_spec = 'immediately' AND r.status = 'pending')
 OR (r.due_spec != 'immediately' AND r.status IN ('pending', 'sent')))"""
SOON = f"({UNMET_Q} AND r.due_at <= %(soon)s AND NOT {OVERDUE})"
QUEUE = f"""SELECT * FROM (
 (SELECT 0 AS rank, {QUEUE_COLS} {QUEUE_FROM} WHERE r.status IN {OPEN}
   AND {OVERDUE} AND r.due_at < %(now)s ORDER BY r.due_at, r.id LIMIT 51)
 UNION ALL (SELECT 1, {QUEUE_COLS} {QUEUE_FROM} WHERE r.status IN {OPEN}
   AND {SOON} AND r.due_at >= %(window)s ORDER BY r.due_at, r.id LIMIT 51)
 UNION ALL (SELECT 2, {QUEUE_COLS} {QUEUE_FROM} WHERE r.status IN {OPEN}
   AND NOT {OVERDUE} AND NOT {SOON} ORDER BY r.due_at, r.id LIMIT 51)) AS q
 ORDER BY rank, due_at, id LIMIT 51"""
# The audit event's table by hand: the same columns and index as ``audit_events``.
SCRATCH = [
    "DROP TABLE IF EXISTS bench_audit_events",
    """CREATE TABLE bench_audit_events (seq BIGSERIAL PRIMARY KEY,
 at_us BIGINT NOT NULL, actor VARCHAR(64) NOT NULL, action VARCHAR(48) NOT NULL,
 entity VARCHAR(32) NOT NULL, entity_id VARCHAR(64) NOT NULL, details BYTEA NOT NULL,
 mac BYTEA NOT NULL, signer VARCHAR(36), sig BYTEA)""",
    "CREATE INDEX ix_bench_audit_events_entity ON bench_audit_events (entity, entity_id)",
]


def connect(url: str) -> psycopg.Connection[Any]:
    """A plain psycopg connection to the database of a SQLAlchemy URL, in autocommit mode:
    every transaction below is opened and closed by hand."""
    u = make_url(url)
    host = u.query.get("host") or u.host
    return psycopg.connect(
        host=str(host) if host else None,
        port=u.port,
        user=u.username,
        password=u.password,
        dbname=u.database,
        autocommit=True,
    )


def _read(conn: psycopg.Connection[Any], sql: str, params: Any) -> list[Any]:
    with conn.transaction():
        return conn.execute(sql, params).fetchall()


def busiest_phone(conn: psycopg.Connection[Any]) -> tuple[str, str]:
    """The blind index and the id of a contact of the caller who called most."""
    index, cid = conn.execute(
        "SELECT caller_phone_index, min(id) FROM contacts WHERE caller_phone_index IS NOT NULL"
        " GROUP BY caller_phone_index ORDER BY count(*) DESC LIMIT 1"
    ).fetchone() or (None, None)
    return str(index), str(cid)


def _same_rows(
    svc: Any, raw: psycopg.Connection[Any], operator: Any, number: str
) -> dict[str, bool]:
    """The baselines read what the screens show: the same cases (by number), so a ratio
    never compares the app with a query that does less."""
    from caseintake.services.cases.service import CaseQuery

    home = {c.number for c in svc.cases.my_open(operator)}
    page = [c.number for c in svc.cases.search(operator, CaseQuery()).items]
    found = [c.number for c in svc.cases.search(operator, CaseQuery(text=number)).items]
    return {
        "home": home == {r[1] for r in _read(raw, HOME, (operator.user_id,))} and bool(home),
        "search_first_page": page == [r[1] for r in _read(raw, PAGE, ())][: len(page)],
        "search_number": found == [r[1] for r in _read(raw, BY_NUMBER, (number,))] == [number],
    }


def measure(url: str, contacts: int, settings: Any, rounds: int = 7) -> dict[str, Any]:
    """Runs on the database of ``url`` itself (its trail grows by the lookups' events)."""
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.cases.service import CaseQuery
    from caseintake.services.container import Services
    from caseintake.services.supervisor_desk import SupervisorDesk

    svc = Services(settings)
    raw = connect(url)
    # The home of the operator with the most open cases (on realistic data a small database's
    # first operator may have none left open).
    busiest = raw.execute(BUSIEST_DESK).fetchone()
    operator = svc.auth.login(busiest[0] if busiest else "tv001", NATIONAL_PASSWORD)
    supervisor = svc.auth.login("giamsat", NATIONAL_PASSWORD)
    for statement in SCRATCH:
        raw.execute(statement)
    now = svc.settings.clock()
    number = raw.execute("SELECT max(number) FROM cases WHERE line = '111'").fetchone()
    figures: dict[str, Any] = {"contacts": contacts}
    if not number or number[0] is None:
        svc.close()
        raw.close()
        return figures
    index, cid = busiest_phone(raw)
    blob = raw.execute("SELECT caller_phone FROM contacts WHERE id = %s", (cid,)).fetchone()
    assert blob is not None
    phone = str(operator.keys.cipher.decrypt("contacts", "caller_phone", cid, bytes(blob[0])))
    cursor = svc.cases.search(operator, CaseQuery(), page_size=20).after
    depth = 1
    while cursor is not None and depth < 50:  # fifty pages deep by keyset, or the last page
        following = svc.cases.search(operator, CaseQuery(), page_size=20, after=cursor).after
        if following is None:
            break
        cursor, depth = following, depth + 1
    figures["keyset_pages_deep"] = depth + 1

    def lookup_by_hand() -> None:
        for sql in CALLER:
            _read(raw, sql, (index,))
        with raw.transaction():
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (BENCH_LOCK,))
            raw.execute(
                "INSERT INTO bench_audit_events (at_us, actor, action, entity, entity_id,"
                " details, mac, signer, sig) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    0,
                    operator.name,
                    "caller_looked_up",
                    "phone",
                    index[:16],
                    b"x" * 60,
                    b"m" * 32,
                    operator.user_id,
                    b"s" * 64,
                ),
            )

    queue = SupervisorDesk(svc).queue
    times = {"now": now, "window": now - timedelta(minutes=15), "soon": now + timedelta(hours=1)}
    pairs = {
        "home": (
            lambda: svc.cases.my_open(operator),
            lambda: _read(raw, HOME, (operator.user_id,)),
        ),
        "search_number": (
            lambda: svc.cases.search(operator, CaseQuery(text=number[0])),
            lambda: _read(raw, BY_NUMBER, (number[0],)),
        ),
        "search_concern": (
            lambda: svc.cases.search(operator, CaseQuery(concern="sexual_abuse")),
            lambda: _read(raw, CONCERN, ("sexual_abuse", "sexual_abuse.", "sexual_abuse/")),
        ),
        "search_first_page": (
            lambda: svc.cases.search(operator, CaseQuery()),
            lambda: _read(raw, PAGE, ()),
        ),
        "lookup": (lambda: svc.callers.history(operator, phone), lookup_by_hand),
        "queue": (lambda: queue.page(supervisor), lambda: _read(raw, QUEUE, times)),
    }
    figures["same_rows"] = _same_rows(svc, raw, operator, number[0])
    if cursor is not None:  # a database of fewer than 21 cases has no second page
        pairs["search_page_51_keyset"] = (
            lambda: svc.cases.search(operator, CaseQuery(), page_size=20, after=cursor),
            lambda: _read(raw, KEYSET, cursor),
        )
    for name, (ours, baseline) in pairs.items():
        figures[name] = paired(ours, baseline, rounds)
    raw.close()
    svc.close()
    return figures
