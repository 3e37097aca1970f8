"""Every screen's whole work against the best hand-written code doing the same work on the same
file and indexes (issue 11 item 3, issue 23 item 1, DESIGN §8): the home (its open cases,
today's contacts and the draft check), the case searches (exact number, a number's tail, a
concern), the case list's pages by keyset (first, 51st, last), the case detail, the
repeat-caller lookup, the supervisor queue's page (the band walk) and its header totals.

The baselines run on a plain ``sqlite3`` connection in autocommit, one statement where the
product runs one (no BEGIN/COMMIT around a lone read), and return what the screen shows (the
same columns, concerns and nearest deadline), so a ratio measures what the app adds:
SQLAlchemy, typed rows, the summaries, and for audited reads the audit event, which the
baseline writes by hand too, into a scratch table of the same shape, with the same PRAGMAs.
SQL in ``read_sql.py``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bench.build_db import BenchDb
from bench.common import paired
from bench.scale.catch import reads_of
from bench.scale.read_sql import (
    BANDS,
    BY_NUMBER,
    CALLER,
    CONCERN,
    COUNTERS,
    DRAFT,
    HOME,
    KEYSET,
    PAGE,
    SCRATCH,
    SCRATCH_ROW,
    TAIL,
    TODAY,
)


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
    """One statement in autocommit: its own read transaction, as the product's lone reads."""
    return conn.execute(sql, params).fetchall()


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


def _cursor_before_last_page(raw: sqlite3.Connection, page_size: int) -> tuple[datetime, str]:
    """The keyset that opens the case list's last page (found once, by OFFSET, untimed)."""
    (count,) = raw.execute("SELECT count(*) FROM cases").fetchone()
    before = (count - 1) // page_size * page_size - 1
    at, case_id = raw.execute(
        "SELECT opened_at, id FROM cases ORDER BY opened_at DESC, id DESC LIMIT 1 OFFSET ?",
        (before,),
    ).fetchone()
    return datetime.fromisoformat(at).replace(tzinfo=UTC), case_id


def _detail_by_hand(raw: sqlite3.Connection, case_id: str, reads: list[tuple[str, Any]]) -> Any:
    """The case detail by hand: the reads the screen's service sent, the record check's reads
    and digests (``check_case``: the case's rows against the states its events hold), then the
    view's audit row in its own ``BEGIN IMMEDIATE``. The fields' AES-GCM decrypts are left out
    (a few µs each): stricter than the same work."""
    from caseintake.crypto.record_states import decode
    from caseintake.store.records import CODE, digests, select_sql

    refs = [r for (r,) in raw.execute("SELECT id FROM referrals WHERE case_id = ?", (case_id,))]
    contacts = [c for (c,) in raw.execute("SELECT id FROM contacts WHERE case_id = ?", (case_id,))]
    by_case = ("cases", "case_concerns", "children", "perpetrators", "case_notes")
    by_case += ("case_approvals", "contacts", "referrals")
    marks = ", ".join("?" * len(refs))

    def by_hand() -> None:
        raw.execute("BEGIN")
        for sql, params in reads:
            raw.execute(sql, params).fetchall()
        for name in by_case:
            where = " WHERE id = ?" if name == "cases" else " WHERE case_id = ?"
            list(digests(CODE[name], raw.execute(select_sql(name, True, where), [case_id]), True))
        for name in ("referral_updates", "escalations") if refs else ():
            found = raw.execute(select_sql(name, True, f" WHERE referral_id IN ({marks})"), refs)
            list(digests(CODE[name], found, True))
        for entity, ids in (("case", [case_id]), ("contact", contacts), ("referral", refs)):
            if ids:
                events = raw.execute(
                    "SELECT seq, states FROM audit_events WHERE entity = ? AND entity_id IN"
                    f" ({', '.join('?' * len(ids))}) AND states IS NOT NULL",
                    [entity, *ids],
                )
                for _seq, blob in events:
                    list(decode(bytes(blob)))
        raw.execute("COMMIT")
        raw.execute("BEGIN IMMEDIATE")
        row = ("tv001", "case_viewed", "case", case_id, b"x" * 60, b"m" * 32, "u", b"s" * 64)
        raw.execute(SCRATCH_ROW, (0, *row))
        raw.execute("COMMIT")

    return by_hand


def _band_walk(raw: sqlite3.Connection, times: dict[str, str], need: int) -> list[Any]:
    """The queue page by hand: overdue, then due within the hour, then the rest, each band
    a walk of ``ix_referrals_open_due`` that stops at the page's end, the next band only
    while the page is not full (as ``ReferralQueueService.page``)."""
    rows: list[Any] = []
    for sql in BANDS:
        if len(rows) >= need:
            break
        rows += raw.execute(sql, {**times, "limit": need - len(rows)}).fetchall()
    return rows


def _replayed(raw: sqlite3.Connection, reads: list[tuple[str, Any]]) -> Any:
    def by_hand() -> None:
        for sql, params in reads:
            raw.execute(sql, params).fetchall()

    return by_hand


def measure(db: BenchDb, rounds: int = 7) -> dict[str, Any]:
    """Runs on ``db`` itself (its audit trail grows by the audited reads' events)."""
    from sqlalchemy import text

    from caseintake.domain.referrals.deadlines import VN_TZ
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.cases.callers import phone_index
    from caseintake.services.cases.number_tail import candidates
    from caseintake.services.cases.service import CaseQuery
    from caseintake.services.container import Services
    from caseintake.services.referrals.queue import PAGE_SIZE
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
        opened = (
            s.execute(
                text(
                    "SELECT c.id FROM cases c WHERE EXISTS (SELECT 1 FROM case_notes n WHERE"
                    " n.case_id = c.id) AND EXISTS (SELECT 1 FROM referrals r WHERE r.case_id ="
                    " c.id) ORDER BY c.opened_at DESC LIMIT 1"
                )
            ).scalar()
            or s.execute(text("SELECT max(id) FROM cases")).scalar()
        )
    figures: dict[str, Any] = {"contacts": db.contacts}
    if number is None:
        svc.close()
        raw.close()
        return figures  # an empty database has nothing to read
    phone = _busiest_phone(svc, operator)
    index = phone_index(operator.keys.blind_key, phone)
    first = svc.cases.search(operator, CaseQuery(), page_size=20)
    cursor = first.after
    for _ in range(50):  # fifty pages deep, by keyset (as deep as there are, if fewer)
        following = svc.cases.search(operator, CaseQuery(), page_size=20, after=cursor).after
        if following is None:
            break
        cursor = following
    assert cursor is not None
    deep = (sql_time(cursor[0]), cursor[1])
    last = _cursor_before_last_page(raw, 20)
    last_sql = (sql_time(last[0]), last[1])
    tail = number[-6:]  # the sequence typed alone: 000123
    today = sql_time(datetime.combine(now.astimezone(VN_TZ).date(), time(0), VN_TZ))

    def home_by_hand() -> None:
        _read(raw, TODAY, (operator.user_id, today))
        _read(raw, HOME, (operator.user_id,))
        _read(raw, DRAFT, (operator.user_id,))

    def home() -> None:  # the screen's two workers: the lists, then the draft check
        svc.contacts.today(operator)
        svc.cases.my_open(operator)
        svc.drafts.latest(operator)

    def tail_by_hand() -> list[Any]:
        counters = raw.execute(COUNTERS).fetchall()
        return _read(raw, TAIL, (json.dumps(candidates(tail, counters)),))

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
    totals = reads_of(svc, lambda: queue.counts(supervisor))[-1:]  # the aggregate itself
    detail = reads_of(svc, lambda: svc.cases.detail(operator, opened))
    pairs = {
        "home": (home, home_by_hand),
        "search_number": (
            lambda: svc.cases.search(operator, CaseQuery(text=number)),
            lambda: _read(raw, BY_NUMBER, (number,)),
        ),
        "search_number_tail": (
            lambda: svc.cases.search(operator, CaseQuery(text=tail)),
            tail_by_hand,
        ),
        "search_concern": (
            lambda: svc.cases.search(operator, CaseQuery(concern="sexual_abuse")),
            lambda: _read(raw, CONCERN, ("sexual_abuse", "sexual_abuse.", "sexual_abuse/")),
        ),
        "page_first": (
            lambda: svc.cases.search(operator, CaseQuery()),
            lambda: _read(raw, PAGE, ()),
        ),
        "page_51_keyset": (
            lambda: svc.cases.search(operator, CaseQuery(), page_size=20, after=cursor),
            lambda: _read(raw, KEYSET, deep),
        ),
        "page_last_keyset": (
            lambda: svc.cases.search(operator, CaseQuery(), page_size=20, after=last),
            lambda: _read(raw, KEYSET, last_sql),
        ),
        "case_detail": (
            lambda: svc.cases.detail(operator, opened),
            _detail_by_hand(raw, opened, detail),
        ),
        "lookup": (lambda: svc.callers.history(operator, phone), lookup_by_hand),
        "queue": (
            lambda: queue.page(supervisor),
            lambda: _band_walk(raw, times, PAGE_SIZE + 1),
        ),
        "queue_totals": (lambda: queue.counts(supervisor), _replayed(raw, totals)),
    }
    for name, (ours, baseline) in pairs.items():
        figures[name] = paired(ours, baseline, rounds)
    figures["number_tail"] = tail
    raw.close()
    svc.close()
    return figures


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.scale.reads --db FILE --contacts N``: the reads on a database that
    already exists (a copy made for it: the audited reads add events to its trail), brought
    to the head revision first; one JSON object on stdout, a table on stderr."""
    import argparse
    import os
    import sys

    from sqlalchemy import create_engine

    from caseintake.store.migrate import upgrade

    parser = argparse.ArgumentParser(prog="python -m bench.scale.reads")
    parser.add_argument("--db", type=Path, required=True, help="an existing database (a copy)")
    parser.add_argument("--contacts", type=int, required=True, help="how many it holds")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    db = BenchDb(args.db.resolve(), args.contacts, None)
    engine = create_engine(db.url)
    upgrade(engine)
    engine.dispose()
    load = os.getloadavg()
    figures = measure(db, rounds=args.rounds)
    figures["load_average"] = {"before": load, "after": os.getloadavg()}
    for name, found in figures.items():
        if isinstance(found, dict) and "ratio" in found:
            ours, base = found["ours"]["median_ms"], found["baseline"]["median_ms"]
            print(
                f"{name:20} {ours:9.3f} vs {base:9.3f} ms  {found['ratio']:5.2f}", file=sys.stderr
            )
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
