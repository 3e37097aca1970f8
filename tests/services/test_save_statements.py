"""What one save sends to the database (issue 11 item 2): a new report is one write
transaction of plain inserts, one upsert for its number and one read of the chain's tail; its
contact's and referrals' audit events find their case without a query, and the numbers stay
gapless per line and year."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from caseintake.domain.intake.validation import parse_intake
from caseintake.services.audit.details import open_details
from caseintake.store.models import AuditEvent, CaseCounter

REFERENCE = Path(__file__).parents[2] / "bench" / "reference_report.json"


def reference(clock: Any) -> Any:
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    data["received_at"] = (clock() - timedelta(minutes=10)).isoformat()
    return parse_intake(data)


def caught(services: Any) -> list[str]:
    statements: list[str] = []

    def catch(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        statements.append(" ".join(statement.split())[:60])

    def straight(statement: str, _args: Any) -> None:  # sent to SQLite's driver directly
        statements.append(" ".join(statement.split())[:60])

    event.listen(services.db.engine, "before_cursor_execute", catch)
    services.db.fast.watch(straight)
    return statements


def test_a_report_is_one_transaction_of_inserts_with_one_read(services, operator, clock):
    services.intake.save(operator, reference(clock))  # the directory is read once, before
    statements = caught(services)
    saved = services.intake.save(operator, reference(clock))
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[1].startswith("INSERT INTO case_counters")
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) == 1 and "audit_events.seq" in reads[0]  # the chain's tail, nothing else
    writes = [s.split(" (")[0] for s in statements if s.startswith("INSERT")]
    assert writes == [
        "INSERT INTO case_counters",
        "INSERT INTO cases",
        "INSERT INTO case_concerns",
        "INSERT INTO children",
        "INSERT INTO perpetrators",
        "INSERT INTO contacts",
        *["INSERT INTO referrals"] * saved.referral_count,
        "INSERT INTO case_keys",
        "INSERT INTO audit_events",
    ]
    assert not any(s.startswith(("UPDATE", "DELETE")) for s in statements)


def test_numbers_stay_gapless_and_every_event_opens_under_its_case(
    services, operator, admin, clock
):
    numbers = [services.intake.save(operator, reference(clock)).case_number for _ in range(3)]
    year = clock().year
    assert numbers == [f"111-{year}-{n:06d}" for n in (1, 2, 3)]
    with services.db.read() as s:
        assert s.execute(select(CaseCounter.last)).scalar_one() == 3
        rows = s.execute(select(AuditEvent).where(AuditEvent.actor == "lan")).scalars().all()
        details = [open_details(s, operator.keys, r.seq, r.details) for r in rows]
    contact_events = [d for r, d in zip(rows, details, strict=True) if r.entity == "contact"]
    assert len(contact_events) == 3 and all(d and '"type": "report"' in d for d in contact_events)
    assert services.audit.verify(admin).ok
