"""Issue 20 item 4: the moments a checkpoint is signed besides the event count. Each test does
the thing, then finds a checkpoint in the state dir at (or past) the event that thing wrote:
an audit verify, a key rotation, an erasure, five minutes of writing, a CLI command that wrote.
(The idle lock: tests/tui/test_checkpoint_at_lock.py; a backup and an export: the CLI tests.)"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from caseintake.crypto import key_ring
from caseintake.services.keys.rotation import KeyRotationService
from tests.services.test_retention import closed_case, number_of

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def last_checkpoint(services: Any) -> int:
    folder = services.audit.checkpoint_dir(services.audit_log.db_id_cached())
    return max((int(p.stem) for p in Path(folder).glob("0*.json")), default=0)


def seq_of(services: Any, action: str) -> int:
    with services.db.read() as s:
        found = s.execute(
            text("SELECT max(seq) FROM audit_events WHERE action = :a"), {"a": action}
        ).scalar_one()
    assert found is not None, action
    return int(found)


def test_a_verify_that_passes_signs_the_head(services: Any, admin: Any) -> None:
    before = last_checkpoint(services)
    assert services.audit.verify(admin).ok
    assert last_checkpoint(services) >= seq_of(services, "audit_verified") > before


def test_a_key_rotation_is_signed_when_it_finishes(
    services: Any, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)  # the rotation waits twice this
    KeyRotationService(services.db, services.settings, services.audit_log).rotate(admin)
    assert last_checkpoint(services) >= seq_of(services, "key_rotation_finished")


def test_an_erasure_is_signed_at_once(
    services: Any, admin: Any, operator: Any, supervisor: Any
) -> None:
    case = closed_case(services, operator, supervisor)
    services.retention.erase(admin, number_of(services, case.case_id))
    assert last_checkpoint(services) >= seq_of(services, "case_erased")


def test_five_minutes_of_writing_sign_however_few_events(services: Any, operator: Any) -> None:
    services.intake.log_non_data(operator, "silent", NOW, 30)
    assert last_checkpoint(services) == 0  # one event: not yet due by count
    services.audit_log.checkpointed_at -= 301  # this process last signed 5 min 1 s ago
    services.intake.log_non_data(operator, "silent", NOW, 30)
    services.cadence.settle()  # signed on a thread of its own, off the save's path
    assert last_checkpoint(services) > 0
