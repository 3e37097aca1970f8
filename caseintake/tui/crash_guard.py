"""A crash in the TUI: the terminal restored, one sentence, a non-zero exit, and no traceback
with local variables on screen or in the scrollback (issue 10 item 8).

Textual's own handler prints a Rich traceback with ``show_locals=True``: in this app the
locals hold names, phone numbers and narratives. ``guarded(App)`` replaces it; the error's
type and place go to the state folder's ``crash.log`` (0600, no values) for the admin.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from rich.text import Text
from textual.app import App

from caseintake.i18n import t

A = TypeVar("A", bound=App[Any])


class CrashGuard:
    """Mix in before ``App``: an unhandled exception ends the app with one sentence."""

    crash_log: Path | None = None

    def _handle_exception(self, error: Exception) -> None:
        app: Any = self
        app._return_code = 1
        if app._exception is None:  # pilot tests re-raise it; keep that behaviour
            app._exception = error
            app._exception_event.set()
        _log_crash(self.crash_log, error)
        app.bell()
        app._exit_renderables.append(Text(t("security.tui_crashed"), no_wrap=False))
        app._close_messages_no_wait()


def _log_crash(path: Path | None, error: BaseException) -> None:
    """Type, file and line of each frame: never a value."""
    if path is None:
        return
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f"{datetime.now(UTC).isoformat()} {type(error).__module__}.{type(error).__name__}"]
    lines += [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    except OSError:
        pass


@cache
def guarded(app_class: type[A]) -> type[A]:
    """``app_class`` with the crash guard, same name (CSS type selectors stay the same)."""
    return type(app_class.__name__, (CrashGuard, app_class), {"__module__": app_class.__module__})
