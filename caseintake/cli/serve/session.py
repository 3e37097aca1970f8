"""One browser tab's process: textual-serve runs ``python -m caseintake.cli.serve.session`` for
each connection. It opens the same app as the terminal, on the database and language the
server passed down in ``CASEINTAKE_DB`` / ``CASEINTAKE_LANG`` (never on the command line, where
a PostgreSQL password would show in the process list).

Under textual-serve the app draws on stdout; its stderr is copied into the server's log when
the process ends. Nothing of a session may land there (a warning or a thread's traceback can
quote what was typed), so stderr goes to the null device; a crash is still written, without
values, to the state folder's ``crash.log``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseintake.services.container import Services

SESSION_TIMEOUT_OPTION = "--session-timeout-seconds"
# bench/bench_tabs.py: each tab writes the time its services were built (its login can check a
# password from then on) to ``<this variable's path>.<pid>``.
BENCH_READY_ENV = "CASEINTAKE_BENCH_READY"


def command(session_timeout_seconds: float) -> list[str]:
    """The argument vector textual-serve runs for each new tab."""
    return [
        sys.executable,
        "-m",
        "caseintake.cli.serve.session",
        SESSION_TIMEOUT_OPTION,
        f"{session_timeout_seconds:g}",
    ]


def silence_stderr() -> None:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="caseintake.cli.serve.session")
    parser.add_argument(SESSION_TIMEOUT_OPTION, type=float, required=True)
    options = parser.parse_args(argv)
    silence_stderr()
    sys.exit(run_tab(options.session_timeout_seconds))


def preload() -> None:
    """What ``run_tab`` imports, imported ahead (the warm parent does, before it forks)."""
    import caseintake.cli.desk
    import caseintake.services.core
    import caseintake.tui.crash_guard
    import caseintake.tui.served_app  # noqa: F401


def run_tab(session_timeout_seconds: float) -> int:
    """The tab's app, on stdin/stdout as textual-serve gives them; its exit code. A tab forked
    from the warm parent (``warm.py``) runs this too, once its pipes are in place."""
    from caseintake.cli.desk import services_factory
    from caseintake.i18n import LANGUAGES, language, set_language
    from caseintake.services.core import Settings
    from caseintake.tui.crash_guard import guarded
    from caseintake.tui.served_app import ServedApp

    chosen = os.environ.get("CASEINTAKE_LANG")
    if chosen in LANGUAGES:
        set_language(chosen)
    settings = Settings.from_env(None, language=language())
    app_class = guarded(ServedApp)
    app_class.crash_log = settings.state_dir / "crash.log"
    factory = partial(services_factory, settings)
    marker = os.environ.get(BENCH_READY_ENV)
    if marker:
        factory = partial(_timed, factory, f"{marker}.{os.getpid()}")
    app = app_class(settings, factory, session_timeout_seconds)
    app.run()
    return app.return_code or 0


def _timed(factory: Callable[[], Services], marker: str) -> Services:
    built = factory()
    with open(marker, "w", encoding="utf-8") as out:
        out.write(repr(time.time()))
    return built


if __name__ == "__main__":
    main()
