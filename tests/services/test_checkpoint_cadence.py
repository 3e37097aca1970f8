"""Issue 20 item 4: the insider's window, made small and measured. A process that keeps
writing signs a checkpoint at least every N of its events (an admin setting, 50 by default,
never from the environment), so at no moment are more than about N of its events after the
last checkpoint: the most events its user could still rewrite unseen."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from caseintake.domain.errors import DomainError
from caseintake.services.access.security_settings import SecuritySettingsService

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _last_checkpoint(services: Any) -> int:
    folder = services.audit.checkpoint_dir(services.audit_log.db_id_cached())
    seqs = [int(p.stem) for p in Path(folder).glob("0*.json")]
    return max(seqs, default=0)


def _head(services: Any) -> int:
    with services.db.read() as s:
        from sqlalchemy import text

        return int(s.execute(text("SELECT max(seq) FROM audit_events")).scalar_one())


def _measure(services: Any, operator: Any, calls: int) -> int:
    """The largest number of events past the last checkpoint seen after any call."""
    window = 0
    for _ in range(calls):
        services.intake.log_non_data(operator, "silent", NOW, 30)
        window = max(window, _head(services) - _last_checkpoint(services))
    return window


def test_a_writing_process_signs_every_n_of_its_events(services: Any, operator: Any) -> None:
    window = _measure(services, operator, 80)
    assert _last_checkpoint(services) > 0
    # One call may add a few events past the threshold before the next call signs.
    assert window <= 50 + 5, window
    print(json.dumps({"insider_window_events": window, "setting": 50}))


def test_the_admin_sets_the_cadence(services: Any, admin: Any, operator: Any) -> None:
    policy = SecuritySettingsService(services.db, services.settings, services.audit_log)
    shown = policy.change(admin, checkpoint_every_events=10, checkpoint_every_minutes=2)
    assert shown["checkpoint_every_events"] == 10 and shown["checkpoint_every_minutes"] == 2
    import time

    time.sleep(5.1)  # the cadence is re-read at most every 5 s
    assert _measure(services, operator, 30) <= 10 + 5
    for bad in ({"checkpoint_every_events": 0}, {"checkpoint_every_minutes": 100_000}):
        with pytest.raises(DomainError):
            policy.change(admin, **bad)


def test_the_environment_does_not_set_it(services: Any, operator: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("CASEINTAKE_CHECKPOINT_EVERY_EVENTS", "100000")
    assert _measure(services, operator, 60) <= 55
