"""The warm parent of ``caseintake serve`` (issue 23 item 5): one process that has imported
everything a tab needs, and forks one child per browser tab.

A tab started as a new Python process spends most of its first second importing (Textual, the
app's screens, SQLAlchemy, cryptography) and holds ~100 MB of its own. Here the server starts
this process once; it imports all that, draws the login once headless with no services (so
Textual's first-run work is done too: ``rehearse``), calls ``gc.freeze()`` (so a child's collections do not
write to the pages it shares with the parent) and waits on a unix socket. For each tab the
server sends the three pipe ends textual-serve would give a subprocess (SCM_RIGHTS) and the
tab's environment; the child puts them on fds 0/1/2 and runs ``session.run_tab``: textual-serve's
protocol on the pipes is unchanged.

The parent holds nothing of a session: it never opens the database, a key or a socket other
than its control socket, and runs no thread (``check_quiet`` refuses to fork otherwise), so a
child starts with no other tab's data and no engine, pool or connection to share. Each child
builds its own services after the fork, and Python re-seeds ``random`` in a forked child.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import json
import os
import pkgutil
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from caseintake.cli.serve.session import SESSION_TIMEOUT_OPTION, silence_stderr

CONTROL_FD_OPTION = "--control-fd"
MESSAGE_BYTES = 1 << 20  # one request: the tab's environment as JSON
PIPES = 3  # the tab's stdin, stdout, stderr
# Packages whose every module a tab may import: loaded once here, shared by every tab.
PRELOADED = ("caseintake.tui", "caseintake.domain", "caseintake.crypto", "caseintake.store")
SKIPPED = ("caseintake.store.migrations",)  # Alembic's scripts: run by the CLI, not by a tab


def command(control_fd: int, session_timeout_seconds: float) -> list[str]:
    return [
        sys.executable,
        "-m",
        "caseintake.cli.serve.warm",
        CONTROL_FD_OPTION,
        str(control_fd),
        SESSION_TIMEOUT_OPTION,
        f"{session_timeout_seconds:g}",
    ]


def warm_up() -> None:
    """Import what a tab runs: the app and its screens, the services and their models,
    the crypto, SQLAlchemy's dialects. Nothing here opens the database or a key."""
    import sqlite3  # noqa: F401

    import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401

    import caseintake.services
    from caseintake.cli.serve import session
    from caseintake.i18n import t

    session.preload()  # the app and Textual's web driver
    for name in PRELOADED:
        _import_all(name)
    services = Path(caseintake.services.__file__).parent
    for info in pkgutil.iter_modules([str(services)]):
        package = importlib.import_module(f"caseintake.services.{info.name}")
        for public in getattr(package, "_NAMES", {}):  # each package's public surface
            getattr(package, public)
    t("serve.page_title")  # the catalogues of the server's language


def rehearse() -> None:
    """Draw the login once, headless and without services (its factory refuses: no database
    is opened), so that what Textual loads and caches on a first run (its lazy imports, parsed
    CSS selectors) is already in the memory the children share."""
    import asyncio

    from caseintake.i18n import language
    from caseintake.services.access import LoginGate
    from caseintake.services.core import Settings
    from caseintake.tui.served_app import ServedApp

    def no_services() -> Any:
        raise RuntimeError("the warm parent opens no database")

    async def draw() -> None:
        app = ServedApp(Settings.from_env(None, language=language()), no_services, 60.0)
        async with app.run_test(headless=True, size=(80, 24)) as pilot:
            while not app._services_ready.is_set():  # its worker thread is done
                await pilot.pause(0.01)

    # The launch's early gate reads the schema through the driver before the services: not
    # here (a connection made before a fork is shared by every child).
    gate = LoginGate.__dict__["open"]
    LoginGate.open = classmethod(lambda cls, url: None)  # type: ignore[assignment,method-assign]
    try:
        asyncio.run(draw())
    finally:
        LoginGate.open = gate  # type: ignore[method-assign]
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(timeout=10)


def _import_all(package_name: str) -> None:
    package = importlib.import_module(package_name)
    for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
        if not info.name.startswith(SKIPPED):
            importlib.import_module(info.name)


def check_quiet(control: socket.socket) -> None:
    """A fork copies one thread and every open file: the parent may hold neither a thread nor
    any socket but its control socket, nor an event loop."""
    if threading.active_count() != 1:
        raise RuntimeError(f"warm parent has {threading.active_count()} threads")
    sockets = []
    for entry in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(entry)
        except OSError:  # the listing's own descriptor, closed by now
            continue
        if target.startswith("socket:") and int(entry.name) != control.fileno():
            sockets.append(entry.name)
    if sockets:
        raise RuntimeError(f"warm parent holds sockets on fds {sockets}")


def serve_forks(control: socket.socket, run_tab: Callable[[], int]) -> None:
    """Answer fork requests until the server closes the control socket."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the kernel
    while True:
        try:
            data, fds, _flags, _address = socket.recv_fds(control, MESSAGE_BYTES, PIPES)
        except (ConnectionError, OSError):
            return
        if not data:
            return  # the server is gone
        if len(fds) != PIPES:
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"error": "expected three pipes"}).encode())
            continue
        environment = json.loads(data)["env"]
        check_quiet(control)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _child(control, fds, environment, run_tab)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


def _child(
    control: socket.socket, fds: list[int], environment: dict[str, str], run_tab: Callable[[], int]
) -> None:
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        control.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.environ.clear()
        os.environ.update(environment)
        silence_stderr()  # as a spawned tab does: nothing of a session in the server's log
        gc.enable()
        code = run_tab()
        atexit._run_exitfuncs()
        sys.stdout.flush()
    except BaseException:  # a child never returns into the parent's loop
        code = 1
    finally:
        os._exit(code)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="caseintake.cli.serve.warm")
    parser.add_argument(CONTROL_FD_OPTION, type=int, required=True)
    parser.add_argument(SESSION_TIMEOUT_OPTION, type=float, required=True)
    options = parser.parse_args(argv)
    gc.disable()  # no holes in the pages the children share (see gc.freeze)
    control = socket.socket(fileno=options.control_fd)
    warm_up()
    rehearse()
    gc.collect()
    gc.freeze()
    check_quiet(control)
    control.send(json.dumps({"ready": os.getpid()}).encode())

    from caseintake.cli.serve.session import run_tab

    serve_forks(control, lambda: run_tab(options.session_timeout_seconds))


if __name__ == "__main__":
    main()
