"""Issue 21 item 1 in the TUI, the attacks first: the slip dialog and the statistics screen take
a name in the export folder, never a path. A path, a parent folder or a hidden name is refused;
in the folder an existing file, a symlink, a dangling symlink, a FIFO and a folder are refused;
with the export folder set to the database's own folder, the live database and its WAL and
journal are refused. Nothing is replaced, created through a link or audited."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from tests.tui.conftest import settle, sql
from tests.tui.test_referral_queue import move_to, open_queue, ref_id, save
from tests.tui.test_stats_screen import Host, text_of

BAD_NAMES = ("../escape.txt", "/tmp/caseintake-abs.txt", ".hidden", "a/b.txt", "")
PLANTED = ("existing", "symlink", "dangling", "fifo", "folder")


def plant(kind: str, folder: Path, outside: Path) -> str:
    """A trap in the export folder; returns the name typed."""
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"trap-{kind}"
    if kind == "existing":
        target.write_text("an older export")
    elif kind == "symlink":
        target.symlink_to(outside / "precious.txt")
    elif kind == "dangling":
        target.symlink_to(outside / "created-through-the-link")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    return target.name


def intact(kind: str, folder: Path, outside: Path, name: str) -> None:
    assert (outside / "precious.txt").read_text() == "keep me"
    assert not (outside / "created-through-the-link").exists()
    target = folder / name
    if kind == "existing":
        assert target.read_text() == "an older export"
    if kind in ("symlink", "dangling"):
        assert target.is_symlink()
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert not list(folder.glob(".*.part"))


def database_ok(db_path: Path) -> None:
    check = sqlite3.connect(db_path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()


async def slip_named(pilot: Any, screen: Any, referral: str, name: str) -> str:
    """Ask for a plain-text slip called ``name``; what the dialog said, if it stayed open."""
    move_to(screen, referral)
    await pilot.press("p")
    await settle(pilot)
    dialog = pilot.app.screen
    await pilot.press("enter")  # plain text
    await settle(pilot)
    dialog.query_one("#decision-text", Input).value = name
    await pilot.press("enter")
    await settle(pilot)
    said = ""
    if pilot.app.screen is dialog:  # refused inline: the dialog stays, saying why
        said = str(dialog.query_one("#decision-error", Static).render())
        await pilot.press("escape")
        await settle(pilot)
    return said


def slips(services: Any) -> list[Any]:
    return sql(services, "select count(*) from audit_events where action = 'referral_slip_written'")


async def test_slip_dialog_refuses_paths_and_traps(  # type: ignore[no-untyped-def]
    app, services, operator, tmp_path: Path, export_folder: Path
) -> None:
    save(services, operator)
    (tmp_path / "precious.txt").write_text("keep me")
    names = {kind: plant(kind, export_folder, tmp_path) for kind in PLANTED}
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        referral = ref_id(services, "commune_committee")
        said = {}
        for name in (*BAD_NAMES, *names.values()):
            said[name] = await slip_named(pilot, screen, referral, name)
            assert pilot.app.screen is screen
    assert all(said[n].startswith("Tên tệp không hợp lệ") for n in BAD_NAMES if n)
    assert said[""]  # a name is needed
    assert said[names["existing"]].startswith("Đã có tệp")
    assert "liên kết" in said[names["symlink"]] and "liên kết" in said[names["dangling"]]
    assert "(FIFO)" in said[names["fifo"]] and "thư mục" in said[names["folder"]]
    assert slips(services) == [(0,)]
    for kind, name in names.items():
        intact(kind, export_folder, tmp_path, name)
    assert not (tmp_path / "escape.txt").exists() and not Path("/tmp/caseintake-abs.txt").exists()
    assert sorted(p.name for p in export_folder.iterdir()) == sorted(names.values())


async def test_slip_dialog_refuses_the_live_database(  # type: ignore[no-untyped-def]
    app, services, operator, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The admin set the export folder to the database's own folder: its files stay its own."""
    save(services, operator)
    monkeypatch.setenv("CASEINTAKE_EXPORT_DIR", str(db_path.parent))
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        referral = ref_id(services, "commune_committee")
        said = [
            await slip_named(pilot, screen, referral, db_path.name + suffix)
            for suffix in ("", "-wal", "-shm", "-journal")
        ]
    assert said[0].startswith("Đã có tệp") and "cơ sở dữ liệu đang dùng" in said[3]
    assert slips(services) == [(0,)]
    assert not Path(f"{db_path}-journal").exists()
    database_ok(db_path)


async def test_stats_screen_refuses_paths_traps_and_the_database(  # type: ignore[no-untyped-def]
    services, supervisor, tmp_path: Path, export_folder: Path, db_path: Path, monkeypatch
) -> None:
    from caseintake.tui.screens.supervisor.stats_screen import StatsScreen

    (tmp_path / "precious.txt").write_text("keep me")
    names = {kind: plant(kind, export_folder, tmp_path) for kind in PLANTED}
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        said = {}
        for name in (*BAD_NAMES, *names.values()):
            screen.query_one("#out", Input).value = name
            screen.action_export()
            await settle(pilot)
            said[name] = text_of(screen, "#stats-error")  # one sentence, inline
        monkeypatch.setenv("CASEINTAKE_EXPORT_DIR", str(db_path.parent))
        for suffix in ("", "-wal", "-journal"):
            screen.query_one("#out", Input).value = db_path.name + suffix
            screen.action_export()
            await settle(pilot)
            said[suffix or "db"] = text_of(screen, "#stats-error")
    assert all(said[name].startswith("Tên tệp không hợp lệ") for name in BAD_NAMES)
    assert said[names["existing"]].startswith("Đã có tệp")
    assert "liên kết" in said[names["symlink"]] and "liên kết" in said[names["dangling"]]
    assert "(FIFO)" in said[names["fifo"]] and "thư mục" in said[names["folder"]]
    assert said["db"].startswith("Đã có tệp")
    assert "cơ sở dữ liệu đang dùng" in said["-journal"]
    assert "cơ sở dữ liệu đang dùng" in said["-wal"] or said["-wal"].startswith("Đã có tệp")
    exported = "select count(*) from audit_events where action = 'statistics_exported'"
    assert sql(services, exported) == [(0,)]
    for kind, name in names.items():
        intact(kind, export_folder, tmp_path, name)
    assert not Path(f"{db_path}-journal").exists()
    database_ok(db_path)
