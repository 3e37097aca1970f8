"""The warm parent of ``caseintake serve`` (issue 23 item 5) holds nothing of a session: it
never opens the database, the state folder (checkpoints, crash log) or a network socket,
whereas a tab forked from it does, after the fork. Python's audit hooks see every ``open`` and
``sqlite3.connect`` of both processes (a hook survives a fork), so the check is not blind: the
same hook catches the child opening the database."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from textual_serve.app_service import AppService

from caseintake.cli.serve.forks import Forked, WarmParent
from caseintake.cli.serve.server import tab_environment

HOOKED = """
import os, sys
out = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
def hook(event, args):
    if event in ("open", "sqlite3.connect", "socket.connect", "socket.bind"):
        os.write(out, f"{os.getpid()}\\t{event}\\t{args[0]!r}\\n".encode())
sys.addaudithook(hook)
from caseintake.cli.serve.warm import main
main(sys.argv[2:])
"""


async def quit_tab(forked: Forked) -> None:
    """What textual-serve sends when the browser tab closes; then the tab's output ends."""
    forked.stdin.write(AppService.encode_packet(b"M", json.dumps({"type": "quit"}).encode()))
    await forked.stdin.drain()
    await asyncio.wait_for(forked.stdout.read(), 60)
    forked.close()


def events(log: Path) -> list[tuple[int, str, str]]:
    rows = [line.split("\t", 2) for line in log.read_text().splitlines()]
    return [(int(pid), event, what) for pid, event, what in rows]


def test_the_warm_parent_never_opens_the_database_a_key_or_a_socket_and_comes_back_if_killed(
    services: Any, tmp_path: Path, monkeypatch: Any, caplog: Any
) -> None:
    settings = services.settings
    monkeypatch.setenv("CASEINTAKE_DB", settings.db_url)
    monkeypatch.setenv("CASEINTAKE_STATE_DIR", str(settings.state_dir))
    monkeypatch.setenv("CASEINTAKE_LANG", "vi")
    log = tmp_path / "opens.tsv"
    warm = WarmParent(
        lambda fd: [
            sys.executable,
            "-c",
            HOOKED,
            str(log),
            "--control-fd",
            str(fd),
            "--session-timeout-seconds",
            "60",
        ],
        tab_environment(),
    )
    assert warm.start()
    parent = warm.pid
    db = str(Path(settings.db_url.removeprefix("sqlite:///")))

    async def one_tab() -> int:
        forked = await warm.fork(tab_environment(100, 30))
        assert forked is not None and forked.pid != parent
        deadline = time.monotonic() + 60  # the tab builds its services: it opens the database
        while not any(p == forked.pid and e == "sqlite3.connect" for p, e, _ in events(log)):
            assert time.monotonic() < deadline, "the tab never opened the database"
            await asyncio.sleep(0.1)
        await quit_tab(forked)
        return forked.pid

    try:
        child = asyncio.run(one_tab())
        held = [os.readlink(fd) for fd in Path(f"/proc/{parent}/fd").iterdir()]
        assert parent is not None
        os.kill(parent, signal.SIGKILL)  # then the warm parent dies: the next tab restarts it
        with caplog.at_level("INFO", logger="caseintake.serve"):
            assert asyncio.run(one_tab()) != child
        assert warm.pid not in (None, parent)
        assert "the warm parent ended" in caplog.text and "starting it again" in caplog.text
    finally:
        warm.stop()
    seen = events(log)
    assert any(p == child and db in what for p, _e, what in seen)  # the hook sees opens
    mine = [(e, what) for p, e, what in seen if p == parent]
    assert mine, "the hook saw nothing of the parent"
    assert not [row for row in mine if row[0] != "open"]  # no sqlite3.connect, no socket
    assert not [what for _e, what in mine if db in what or str(settings.state_dir) in what]
    assert not [path for path in held if path.startswith(db)]


def test_a_warm_parent_that_cannot_start_means_each_tab_is_spawned(caplog: Any) -> None:
    broken = WarmParent(lambda fd: [sys.executable, "-c", "pass"], tab_environment())
    with caplog.at_level("INFO", logger="caseintake.serve"):
        assert not broken.start()
        assert asyncio.run(broken.fork(tab_environment())) is None  # the server spawns it
    assert broken.spawning
    assert "each tab now starts its own process" in caplog.text
