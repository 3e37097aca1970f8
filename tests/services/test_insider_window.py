"""Issue 20 item 4, measured by trying: an operator who keeps writing rewrites, with
their own password and write access to the file (bench/chaos/insider), every one of their events
after the last checkpoint; ``audit verify`` cannot see it, and that count is the insider window.
One event further back, at the checkpoint, and verify sees it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.chaos.insider import RawFile, unwrap_own_slot
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def last_checkpoint(services: Any) -> int:
    folder = services.audit.checkpoint_dir(services.audit_log.db_id_cached())
    return max((int(p.stem) for p in Path(folder).glob("0*.json")), default=0)


def rewrite(services: Any, db_path: Path, start: int) -> int:
    """The insider moves every event from ``start`` on by a microsecond, re-chained and
    re-signed with their own key; returns how many events were rewritten."""
    with services.db.read() as s:
        db_id = str(s.execute(text("SELECT db_id FROM meta")).scalar_one())
    raw = RawFile(db_path, unwrap_own_slot(db_path, OPERATOR, OPERATOR_PW), db_id)
    try:
        rows = raw.events(start)
        for row in rows:
            row["at_us"] += 1
        raw.rewrite_from(start, rows, others_too=False)
    finally:
        raw.close()
    return len(rows)


def test_the_insider_window_measured_by_trying(services: Any, operator: Any, db_path: Path) -> None:
    def head() -> int:
        with services.db.read() as s:
            return int(s.execute(text("SELECT max(seq) FROM audit_events")).scalar_one())

    # Writing on until the moment just before the next checkpoint: the widest window.
    for _ in range(150):
        services.intake.log_non_data(operator, "silent", NOW, 30)
        if last_checkpoint(services) > 0 and head() - last_checkpoint(services) >= 48:
            break
    checkpoint = last_checkpoint(services)
    assert checkpoint > 0
    window = rewrite(services, db_path, checkpoint + 1)
    admin = services.auth.login(ADMIN, ADMIN_PW)
    unseen = services.audit.verify(admin)
    assert unseen.ok, unseen  # every event after the last checkpoint: rewritten unseen
    assert 0 < window <= 50 + 5
    print(json.dumps({"insider_window_events_rewritten_unseen": window, "setting": 50}))
    # One event further back, the checkpointed one: seen (the chain from there on no longer
    # matches the checkpoints, and the admin's events after it no longer their signatures).
    rewrite(services, db_path, checkpoint)
    seen = services.audit.verify(admin)
    assert not seen.ok and seen.problem in ("audit.bad_signature", "audit.checkpoint_mismatch")
