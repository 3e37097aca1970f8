"""Real-browser fixtures: ``caseintake serve`` on a test database, and the system's Chromium
driven by Playwright. The tests skip, saying why, where Chromium or Playwright is missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.tab import Tab

BIN = Path(sys.executable).parent / "caseintake"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
VIEWPORT = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    chosen = os.environ.get("CASEINTAKE_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@pytest.fixture(scope="package")  # closed before other packages' asyncio tests run
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install playwright)")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set CASEINTAKE_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
        except Exception as error:  # a Chromium that cannot start here: say so, do not fail
            pytest.skip(f"Chromium at {executable} did not start: {str(error).splitlines()[0]}")
        yield launched
        launched.close()


@dataclass
class Served:
    """A running ``caseintake serve``: its address, its log, and a way to open tabs."""

    url: str
    log: Path
    process: subprocess.Popen[bytes]
    open_tab: Callable[[], Tab]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    url: str,
    state: Path,
    log: Path,
    *,
    session_minutes: float = 30,
    idle_lock: int | None = None,
    extra: tuple[str, ...] = (),
) -> tuple[subprocess.Popen[bytes], int]:
    env = {**os.environ, "CASEINTAKE_STATE_DIR": str(state), "CASEINTAKE_LANG": "vi"}
    env.pop("NO_COLOR", None)
    if idle_lock is not None:
        env["CASEINTAKE_IDLE_LOCK_SECONDS"] = str(idle_lock)
    for _attempt in range(3):  # another test worker may take the free port first
        port = free_port()
        argv = [str(BIN), "serve", "--db", url, "--port", str(port)]
        argv += ["--session-timeout", f"{session_minutes:g}", *extra]
        with log.open("wb") as out:
            process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        if _listening(process, port, log):
            return process, port
    raise AssertionError(f"caseintake serve did not start: {log.read_text()}")


def _listening(process: subprocess.Popen[bytes], port: int, log: Path) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if str(port) in log.read_text():  # the port was taken: try another
                return False
            raise AssertionError(f"caseintake serve exited: {log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    process.terminate()
    raise AssertionError(f"caseintake serve did not listen: {log.read_text()}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()  # textual-serve ends each tab's app with "quit", as a closed tab
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def serve(browser: Any, services: Any, tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start ``caseintake serve`` on the fixture database (root, lan, minh); tabs close and the
    server stops after the test."""
    running: list[tuple[subprocess.Popen[bytes], Any]] = []

    def start(**options: Any) -> Served:
        log = tmp_path / f"serve-{len(running)}.log"
        process, port = start_server(
            services.settings.db_url, services.settings.state_dir, log, **options
        )
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        running.append((process, context))
        url = f"http://127.0.0.1:{port}/"
        return Served(url, log, process, lambda: Tab.open(context, url))

    yield start
    for process, context in running:
        context.close()
        stop_server(process)


@pytest.fixture
def served(serve: Callable[..., Served]) -> Served:
    return serve()


def shots_dir() -> Path | None:
    """Where the README's screenshots go, when asked: CASEINTAKE_BROWSER_SHOTS=docs."""
    chosen = os.environ.get("CASEINTAKE_BROWSER_SHOTS")
    return Path(chosen) if chosen else None
