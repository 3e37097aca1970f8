"""Issue 21 item 1, the attacks first: ``--out`` of ``referral slip`` and ``stats export`` aimed
at the live database, its WAL, shared-memory and journal files, a symlink, a dangling symlink,
a FIFO, a folder and an existing file. Each is refused in one sentence with exit 1; the
database still opens and checks ok, nothing is replaced, created through a link or left half
written, the FIFO does not hang the command, and no audit event is written for it."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli import test_stats_cli, test_supervisor_cli
from tests.cli.test_stats_cli import export
from tests.cli.test_supervisor_cli import queue, sql

desk = test_supervisor_cli.desk  # the fixtures, shared
with_calls = test_stats_cli.with_calls

ATTACKS = (
    "database",
    "wal",
    "shm",
    "journal",
    "symlink",
    "dangling",
    "fifo",
    "folder",
    "existing",
)


def aim(attack: str, db: Path, tmp_path: Path) -> Path:
    """Set the trap for ``attack`` and return the path ``--out`` is given."""
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    precious.chmod(0o644)
    if attack == "database":
        return db
    if attack in ("wal", "shm", "journal"):
        return Path(f"{db}-{attack}")
    out = tmp_path / f"attack-{attack}"
    if attack == "symlink":
        out.symlink_to(precious)
    elif attack == "dangling":
        out.symlink_to(tmp_path / "created-through-the-link")
    elif attack == "fifo":
        os.mkfifo(out)
    elif attack == "folder":
        out.mkdir()
    elif attack == "existing":
        out.write_text("an older export", encoding="utf-8")
    return out


def within(seconds: float, run: Callable[[], Any]) -> Any:
    """``run()`` in a thread: a command that blocks (on a FIFO) fails the test, never hangs it."""
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(run()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the command hung"
    return box[0]


def left_intact(attack: str, db: Path, tmp_path: Path, out: Path) -> None:
    check = sqlite3.connect(db)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM users").fetchone()[0] >= 2
    finally:
        check.close()
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert stat.S_IMODE((tmp_path / "precious.txt").stat().st_mode) == 0o644
    assert not (tmp_path / "created-through-the-link").exists()
    if attack in ("symlink", "dangling"):
        assert out.is_symlink()
    if attack == "fifo":
        assert stat.S_ISFIFO(os.lstat(out).st_mode)
    if attack == "existing":
        assert out.read_text(encoding="utf-8") == "an older export"
    if attack == "journal":  # SQLite's own name (a rollback journal): never made by us
        assert not out.exists()
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def refused_in_one_sentence(result: Any) -> str:
    assert result.exit_code == 1, result.output
    text = result.stderr.strip()
    assert "Traceback" not in result.output and len(text.splitlines()) == 1, text
    return text


@pytest.mark.parametrize("attack", ATTACKS)
def test_referral_slip_out_attacks(  # type: ignore[no-untyped-def]
    desk,
    initialised: str,
    tmp_path: Path,
    attack: str,
) -> None:
    db = Path(initialised.removeprefix("sqlite:///"))
    ref = queue(desk, "--body", "commune_committee")[0]["id"]
    out = aim(attack, db, tmp_path)
    for extra in ((), ("--pdf",)):
        args = ("referral", "slip", ref, "--out", str(out), *extra)
        result = within(60, lambda args=args: desk(*args))
        refused_in_one_sentence(result)
    left_intact(attack, db, tmp_path, out)
    slips = "SELECT count(*) FROM audit_events WHERE action = 'referral_slip_written'"
    assert sql(initialised, slips) == [(0,)]


@pytest.mark.parametrize("attack", ATTACKS)
def test_stats_export_out_attacks(  # type: ignore[no-untyped-def]
    cli,
    with_calls: str,
    tmp_path: Path,
    attack: str,
) -> None:
    db = Path(with_calls.removeprefix("sqlite:///"))
    out = aim(attack, db, tmp_path)
    for fmt in ("json", "csv", "xlsx"):
        args = ("--format", fmt, "--out", str(out))
        result = within(60, lambda args=args: export(cli, with_calls, *args))
        refused_in_one_sentence(result)
    left_intact(attack, db, tmp_path, out)
    exports = "SELECT count(*) FROM audit_events WHERE action = 'statistics_exported'"
    assert sql(with_calls, exports) == [(0,)]


def test_a_slip_is_a_new_private_file(desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = queue(desk, "--body", "commune_committee")[0]["id"]
    out = tmp_path / "slip.txt"
    assert desk("referral", "slip", ref, "--out", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    again = desk("referral", "slip", ref, "--out", str(out))
    assert "already exists" in refused_in_one_sentence(again)


def test_backup_and_checkpoint_out_attacks(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The other two commands that write a file named on the command line (issue 21 item 1:
    backup, checkpoint), under every attack on one database (one setup: CI time); nothing
    written, nothing audited but the logins."""
    db = Path(initialised.removeprefix("sqlite:///"))
    events = "SELECT action FROM audit_events ORDER BY seq"
    before = sql(initialised, events)
    login = ("--user", "root", "--db", initialised)
    for attack in ATTACKS:
        trap = tmp_path / attack
        trap.mkdir()
        out = aim(attack, db, trap)
        for args in (("backup", str(out)), ("audit", "checkpoint", "--out", str(out))):
            run = lambda args=args: cli(*args, *login, password=test_stats_cli.ROOT_PW)  # noqa: E731
            refused_in_one_sentence(within(60, run))
        left_intact(attack, db, trap, out)
    added = {a for (a,) in sql(initialised, events)[len(before) :]}
    assert added <= {"login", "logout"}, added  # no event for what was not written
