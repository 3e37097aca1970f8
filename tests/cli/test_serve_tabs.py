"""Tabs forked from the warm parent (issue 23 item 5), over the websocket textual-serve's page
opens, no browser needed: a forked tab reaches the login, two tabs are two processes with two
session ids, and past ``--max-tabs`` the next tab is refused and its page says why in one
sentence; a closed tab frees its place."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.browser.conftest import start_server, stop_server
from tests.browser.test_serve_http import get

LOGIN = "Tên đăng nhập".encode()
FULL = "Máy chủ này đang mở đủ 2 thẻ"


@pytest.fixture
def server(services: Any, tmp_path: Path) -> Iterator[tuple[int, Path, int]]:
    settings = services.settings
    log = tmp_path / "serve.log"
    process, port = start_server(
        settings.db_url, settings.state_dir, log, extra=("--max-tabs", "2")
    )
    yield port, log, process.pid
    stop_server(process)


async def open_tab(session: aiohttp.ClientSession, port: int) -> tuple[Any, str]:
    """A tab's websocket and what became of it: "login" once the login screen is drawn, or
    the close code the server sent."""
    ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30")
    seen = b""
    while True:
        message = await asyncio.wait_for(ws.receive(), 60)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
            if LOGIN in seen:
                return ws, "login"
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            return ws, f"closed {ws.close_code}"


def parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))  # type: ignore[union-attr]


def test_forked_tabs_reach_the_login_and_the_limit_refuses_the_next_in_one_sentence(
    server: tuple[int, Path, int],
) -> None:
    port, log, server_pid = server

    async def scenario() -> list[str]:
        async with aiohttp.ClientSession() as session:
            (first, a), (second, b) = await asyncio.gather(
                open_tab(session, port), open_tab(session, port)
            )
            assert (a, b) == ("login", "login")
            tabs = re.findall(r"tab (\w+): process (\d+) \(forked\)", log.read_text())
            assert len(tabs) == 2
            (id_a, pid_a), (id_b, pid_b) = tabs
            assert id_a != id_b and pid_a != pid_b  # two sessions, two processes
            warm = int(re.search(r"warm parent ready: process (\d+)", log.read_text())[1])  # type: ignore[index]
            assert parent_of(int(pid_a)) == parent_of(int(pid_b)) == warm
            assert parent_of(warm) == server_pid
            _third, c = await open_tab(session, port)
            assert c == "closed 4001"  # refused at once, no hang
            await first.close()  # a closed tab frees its place
            outcomes = [c]
            deadline = time.monotonic() + 30
            while outcomes[-1] != "login" and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                again, outcome = await open_tab(session, port)
                outcomes.append(outcome)
                await again.close()
            await second.close()
            return outcomes

    outcomes = asyncio.run(scenario())
    assert outcomes[-1] == "login", outcomes
    status, page = get(port, "/", {})
    assert status == 200
    sentence = re.search(r'<p id="tabs-full">([^<]*)</p>', page)
    assert sentence is not None and sentence[1].startswith(FULL)
    assert sentence[1].count(". ") == 0 and sentence[1].endswith(".")  # one sentence
