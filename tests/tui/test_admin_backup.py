"""The admin desk's backup tab: a backup and a restore from the TUI, with progress, audited."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from textual.widgets import Input, ProgressBar, Static, TabbedContent

from caseintake.tui.screens.admin.home_screen import AdminHomeScreen
from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle, sql


def status(screen: Any) -> str:
    return str(screen.query_one("#backup-status", Static).render())


async def test_backup_and_restore_from_the_desk(
    app: Any, services: Any, tmp_path: Path, export_folder: Path
) -> None:
    out = export_folder / "desk-copy.db"  # a name in the export folder, never a path
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        assert isinstance(screen, AdminHomeScreen)
        screen.query_one(TabbedContent).active = "tab-backup"
        await settle(pilot)
        screen.query_one("#backup-out", Input).value = "desk-copy.db"
        await pilot.click("#backup-run")
        await settle(pilot)
        assert out.exists() and stat.S_IMODE(out.stat().st_mode) == 0o600
        assert screen.query_one("#backup-progress", ProgressBar).percentage == 1.0
        assert str(out) in status(screen)
        assert sql(services, "SELECT count(*) FROM audit_events WHERE action='backup_written'") == [
            (1,)
        ]
        # The same path again: refused in one sentence on the pane, the copy untouched.
        before = out.read_bytes()
        await pilot.click("#backup-run")
        await settle(pilot)
        assert "desk-copy.db" in status(screen) and out.read_bytes() == before
        assert screen.query_one("#backup-status").has_class("admin-error")
        # Restore into a new file: its trail matches the pinned checkpoints.
        target = export_folder / "restored.db"  # by name, in the export folder
        screen.query_one("#restore-source", Input).value = str(out)
        screen.query_one("#restore-target", Input).value = "restored.db"
        await pilot.click("#restore-run")
        await settle(pilot)
        assert target.exists(), status(screen)
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert "restored.db" in status(screen)
        assert not screen.query_one("#backup-status").has_class("admin-error")


async def test_restore_of_garbage_and_empty_paths_are_one_sentence(
    app: Any, services: Any, tmp_path: Path, export_folder: Path
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("[b]not[/b] a database")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        screen.query_one(TabbedContent).active = "tab-backup"
        await settle(pilot)
        screen.query_one("#backup-out", Input).value = ""
        await pilot.click("#backup-run")
        await settle(pilot)
        assert status(screen) and screen.query_one("#backup-status").has_class("admin-error")
        screen.query_one("#restore-source", Input).value = str(junk)
        screen.query_one("#restore-target", Input).value = str(tmp_path / "t.db")
        await pilot.click("#restore-run")
        await settle(pilot)
        assert status(screen).startswith("Tên tệp không hợp lệ")  # a name, never a path
        screen.query_one("#restore-target", Input).value = "t.db"
        await pilot.click("#restore-run")
        await settle(pilot)
        assert "junk.db" in status(screen) and "\n" not in status(screen).strip()
        assert not (tmp_path / "t.db").exists() and not (export_folder / "t.db").exists()


async def test_an_older_copy_restored_beside_is_named_not_flagged(
    app: Any, services: Any, admin: Any, tmp_path: Path, export_folder: Path
) -> None:
    old = tmp_path / "old.db"
    services.backup.backup(admin, old)
    services.audit.write_checkpoint(admin)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        screen.query_one(TabbedContent).active = "tab-backup"
        await settle(pilot)
        screen.query_one("#restore-source", Input).value = str(old)
        screen.query_one("#restore-target", Input).value = "beside.db"
        await pilot.click("#restore-run")
        await settle(pilot)
        assert (export_folder / "beside.db").exists()
        assert screen.query_one("#backup-status").has_class("admin-error")
        assert "beside.db" in status(screen)
    assert services.audit.verify(admin).ok


async def test_the_name_is_in_local_time_and_enter_starts_the_backup(
    app: Any, services: Any, export_folder: Path
) -> None:
    """Issue 19, item 17: the clock reads 02:00 UTC, 09:00 in Viet Nam; Enter in the name.
    The name is taken as offered: a name in the export folder, never a path."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        screen.query_one(TabbedContent).active = "tab-backup"
        await settle(pilot)
        field = screen.query_one("#backup-out", Input)
        assert field.value == "caseintake-20260302-0900.db"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert (export_folder / "caseintake-20260302-0900.db").exists(), status(screen)
    assert sql(services, "SELECT count(*) FROM audit_events WHERE action='backup_written'") == [
        (1,)
    ]
