"""What a benchmark database holds (issue 23 item 2): the figures that make the data realistic
or not, read by plain SQL. ``python -m bench.scale.data_shape 1000000`` builds (or finds) the
database and prints them as JSON.

Open cases per operator, how long closed cases took, contacts, children, concerns and
perpetrators per case, the busiest phones, and the open referrals' backlog by age.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.build_db import END, build
from bench.scale.reads import sql_time

MOST_ON_A_CASE = """SELECT max(n) FROM (SELECT count(*) AS n FROM contacts
 WHERE case_id IS NOT NULL GROUP BY case_id)"""
OVERDUE = "status IN ('pending', 'sent') AND due_at < :now"


def _one(conn: sqlite3.Connection, sql: str, now: str) -> Any:
    return conn.execute(sql, {"now": now} if ":now" in sql else {}).fetchone()[0]


def _share_of_cases_with_several(conn: sqlite3.Connection, table: str) -> float:
    sql = f"SELECT avg(n > 1) FROM (SELECT count(*) AS n FROM {table} GROUP BY case_id)"
    return round(float(conn.execute(sql).fetchone()[0] or 0), 4)


def shape(path: Path, now: datetime = END) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    at = sql_time(now)
    days = "julianday(closed_at) - julianday(opened_at)"
    per_operator = [
        r[0]
        for r in conn.execute(
            "SELECT count(*) FROM cases WHERE status != 'closed' GROUP BY assigned_to ORDER BY 1"
        )
    ]
    out: dict[str, Any] = {
        "contacts": _one(conn, "SELECT count(*) FROM contacts", at),
        "cases": _one(conn, "SELECT count(*) FROM cases", at),
        "open_cases": sum(per_operator),
        "open_cases_per_operator_median": per_operator[len(per_operator) // 2]
        if per_operator
        else 0,
        "open_cases_per_operator_max": max(per_operator, default=0),
        "closed_share": _one(conn, "SELECT avg(status = 'closed') FROM cases", at),
        "closed_within_180_days_share": _one(
            conn, f"SELECT avg({days} <= 180) FROM cases WHERE closed_at IS NOT NULL", at
        ),
        "days_to_close_median": _one(
            conn,
            f"SELECT {days} FROM cases WHERE closed_at IS NOT NULL ORDER BY 1"
            " LIMIT 1 OFFSET (SELECT count(*) / 2 FROM cases WHERE closed_at IS NOT NULL)",
            at,
        ),
        "cases_with_several_contacts": _share_of_cases_with_several(conn, "contacts"),
        "most_contacts_on_a_case": _one(conn, MOST_ON_A_CASE, at),
        "cases_with_several_children": _share_of_cases_with_several(conn, "children"),
        "cases_with_several_concerns": _share_of_cases_with_several(conn, "case_concerns"),
        "cases_with_several_perpetrators": _share_of_cases_with_several(conn, "perpetrators"),
        "busiest_phones": [
            r[0]
            for r in conn.execute(
                "SELECT count(*) FROM contacts WHERE caller_phone_index IS NOT NULL"
                " GROUP BY caller_phone_index ORDER BY 1 DESC LIMIT 5"
            )
        ],
        "referrals": _one(conn, "SELECT count(*) FROM referrals", at),
        "open_referrals": _one(
            conn,
            "SELECT count(*) FROM referrals"
            " WHERE status IN ('pending', 'sent', 'acknowledged', 'in_progress')",
            at,
        ),
        "overdue_referrals": _one(conn, f"SELECT count(*) FROM referrals WHERE {OVERDUE}", at),
        "overdue_more_than_30_days": _one(
            conn,
            f"SELECT count(*) FROM referrals WHERE {OVERDUE}"
            " AND julianday(:now) - julianday(due_at) > 30",
            at,
        ),
        "overdue_more_than_a_year": _one(
            conn,
            f"SELECT count(*) FROM referrals WHERE {OVERDUE}"
            " AND julianday(:now) - julianday(due_at) > 365",
            at,
        ),
    }
    conn.close()
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(shape(build(n).path), indent=1))
