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
from collections.abc import Sequence
from functools import partial

SESSION_TIMEOUT_OPTION = "--session-timeout-seconds"


def command(session_timeout_seconds: float) -> list[str]:
    """The argument vector textual-serve runs for each new tab."""
    return [
        sys.executable,
        "-m",
        "caseintake.cli.serve.session",
        SESSION_TIMEOUT_OPTION,
        f"{session_timeout_seconds:g}",
    ]


def _silence_stderr() -> None:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="caseintake.cli.serve.session")
    parser.add_argument(SESSION_TIMEOUT_OPTION, type=float, required=True)
    options = parser.parse_args(argv)
    _silence_stderr()

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
    app = app_class(settings, partial(services_factory, settings), options.session_timeout_seconds)
    app.run()
    sys.exit(app.return_code or 0)


if __name__ == "__main__":
    main()
