"""Issue 20 item 4: the idle lock signs the head when this process wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from caseintake.tui.screens.session.lock_screen import LockScreen
from tests.tui.conftest import login, settle, sql


def last_checkpoint(services) -> int:  # type: ignore[no-untyped-def]
    folder = services.audit.checkpoint_dir(services.audit_log.db_id_cached())
    return max((int(p.stem) for p in Path(folder).glob("0*.json")), default=0)


async def test_the_lock_signs_what_the_session_wrote(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        when = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
        services.intake.log_non_data(app.principal, "silent", when, 30)
        head = sql(services, "select max(seq) from audit_events")[0][0]
        assert last_checkpoint(services) < head
        app.action_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert last_checkpoint(services) >= head
