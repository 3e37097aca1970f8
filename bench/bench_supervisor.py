"""Issue 8 figures: the supervisor's queue (first page, its header counts, a filter change) and
the dashboard on a database of 1 M contacts, each against the raw SQL of the same queries: the
SELECTs the service sends, captured and replayed on a bare sqlite3 connection.

Goal (DESIGN §8): ≤ 2 × the raw SQL. The database is built with bench_stats' bulk inserts
(about 300,000 cases and as many referrals, a year of them, statuses mixed, so a third are still
open and most of those overdue). ``BENCH_SUPERVISOR_CONTACTS`` sets the size (default 1,000,000).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.common import paired, report

CONTACTS = os.environ.get("BENCH_SUPERVISOR_CONTACTS", "1000000")
os.environ["BENCH_STATS_CONTACTS"] = CONTACTS  # read by bench_stats at import
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # after the synthetic year: the queue is late

OPEN = "('pending','sent','acknowledged','in_progress')"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _captured(svc: Any, call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECTs the service sends for one call, exactly as sent (text and bound values): the
    baseline replays them on a bare sqlite3 connection, so the ratio is the service's overhead."""
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(svc.db.engine, "before_cursor_execute", grab)
    try:
        call()
    finally:
        event.remove(svc.db.engine, "before_cursor_execute", grab)
    return seen


def main() -> None:
    from bench.bench_stats import _fill
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings
    from caseintake.services.referrals.queue import QueueFilter
    from caseintake.services.supervisor_desk import SupervisorDesk

    figures: dict[str, object] = {"contacts": int(CONTACTS)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        settings = Settings(
            db_url=f"sqlite:///{path}", state_dir=Path(tmp) / "state", clock=lambda: NOW
        )
        svc = Services(settings)
        admin, _ = svc.setup.init("root", "amber-violet-72")
        svc.users.add(admin, "minh", "supervisor", "one-time-pass-2")
        svc.auth.change_password("minh", "one-time-pass-2", "cedar-window-63")
        supervisor = svc.auth.login("minh", "cedar-window-63")
        start = time.perf_counter()
        counts = _fill(path, admin.user_id)
        figures["build_seconds"] = time.perf_counter() - start
        svc.db.engine.dispose()  # the app's connections open after ANALYZE, like the raw one
        figures.update({f"rows_{k}": v for k, v in counts.items()})
        raw = sqlite3.connect(path)
        figures["open_referrals"] = raw.execute(
            f"SELECT count(*) FROM referrals WHERE status IN {OPEN}"
        ).fetchone()[0]
        desk = SupervisorDesk(svc)
        police = QueueFilter(body="commune_police", overdue_only=True)
        cases: dict[str, Callable[[], object]] = {
            "queue_first_page": lambda: desk.queue.page(supervisor),
            "queue_header_counts": lambda: desk.queue.counts(supervisor),
            "queue_filter_change": lambda: desk.queue.page(supervisor, police),
            "dashboard": lambda: desk.dashboard.read(supervisor),
        }
        for name, ours in cases.items():
            statements = _captured(svc, ours)
            figures[f"{name}_sql_statements"] = len(statements)

            def baseline(todo: list[tuple[str, Any]] = statements) -> object:
                return [raw.execute(sql, params).fetchall() for sql, params in todo]

            figures[name] = paired(ours, baseline, rounds=5)
        raw.close()
        svc.close()
    figures["goal_ratio"] = "<= 2.0"
    report("supervisor", figures)


if __name__ == "__main__":
    main()
