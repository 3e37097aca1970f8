"""The audit viewer (issue 8, item 6): the chain's status at the top, a broken chain shown after
the table is altered behind the app's back, details decrypted on request and audited."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import create_engine
from textual.widgets import DataTable, Input

from caseintake.services.cases import writer as case_writer
from caseintake.services.intake import service as intake
from caseintake.tui.screens.supervisor.audit_viewer_screen import AuditViewerScreen
from caseintake.tui.screens.supervisor.event_details_dialog import EventDetailsDialog
from tests.tui.conftest import settle, sql
from tests.tui.test_referral_queue import open_queue, save


@pytest.fixture
def fixed_uuids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids in the trail (entity ids) the same on every run, for snapshots."""
    counter = iter(range(1, 10_000_000))
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))
    for module in (intake, case_writer):  # the save's own ids (domain/ids.py), from the same
        monkeypatch.setattr(module, "new_id", lambda: str(uuid.uuid4()))


async def open_viewer(pilot: Any) -> AuditViewerScreen:
    await open_queue(pilot)
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AuditViewerScreen)
    return screen


def status(screen: AuditViewerScreen) -> str:
    return str(screen.query_one("#chain-status").render())


async def test_chain_status_details_and_checkpoint(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_viewer(pilot)
        assert "Chuỗi nguyên vẹn tới sự kiện" in status(screen)
        # A verify that passes signs the head at once (issue 20 item 4).
        assert "điểm kiểm tra cuối: sự kiện" in status(screen)
        table = screen.query_one("#events", DataTable)
        assert table.row_count > 5
        opened = sql(services, "select seq from audit_events where action = 'case_opened'")[0][0]
        table.move_cursor(row=table.get_row_index(str(opened)))
        await pilot.press("enter")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, EventDetailsDialog)
        assert "111-2026-000001" in str(dialog.query_one("#event-details").render())
        await pilot.press("escape")
        await pilot.press("k")
        await settle(pilot)
        assert "điểm kiểm tra cuối: sự kiện" in status(screen)
    viewed = sql(
        services, "select entity_id from audit_events where action = 'audit_details_viewed'"
    )
    assert viewed == [(str(opened),)]
    assert (
        sql(services, "select count(*) from audit_events where action = 'checkpoint_written'")[0][0]
        >= 2  # the passing verify's on opening (and after), and the one asked for
    )


async def test_filters(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_viewer(pilot)
        field = screen.query_one("#a-actor", Input)
        field.value = "lan"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one("#events", DataTable)
        actors = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert actors == {"lan"}
        day = screen.query_one("#a-since", Input)
        day.value = "hôm qua"
        day.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in str(screen.query_one("#audit-status").render())


async def test_a_table_altered_behind_the_apps_back_shows_a_broken_chain(
    app, services, operator
) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    engine = create_engine(services.settings.db_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
        c.exec_driver_sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5")
    engine.dispose()
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_viewer(pilot)
        shown = status(screen)
        assert shown.startswith("CHUỖI BỊ PHÁ VỠ tại sự kiện 5")


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
def test_audit_viewer_snapshot(fixed_uuids, snap_compare, app, services, operator, size) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)

    async def ready(pilot: Any) -> None:
        await open_viewer(pilot)
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def test_filter_placeholders_are_whole_at_80_columns(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    """Issue 19, second walk: at 80×24 the five filters were cut ("Hành động (vd." ...); each
    field is now at least as wide as its placeholder."""
    from caseintake.i18n import t
    from tests.tui.intake_helpers import screen_text

    async with app.run_test(size=(80, 24)) as pilot:
        await open_viewer(pilot)
        await settle(pilot)
        row = next(line for line in screen_text(pilot.app).splitlines() if "Từ ngày" in line)
        for name in ("actor", "action", "case", "since", "until"):
            assert t(f"supervisor.audit_view.f_{name}") in row, row
