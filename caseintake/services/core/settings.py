"""Settings, built once by the composition root from options and the environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_db_url() -> str:
    """``CASEINTAKE_DB``, else a file in the user data directory (DESIGN §5)."""
    env = os.environ.get("CASEINTAKE_DB")
    if env:
        return env
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("caseintake", appauthor=False))
    return f"sqlite:///{folder / 'caseintake.db'}"


def default_state_dir() -> Path:
    env = os.environ.get("CASEINTAKE_STATE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_state_dir

    return Path(user_state_dir("caseintake", appauthor=False))


def default_export_dir() -> Path:
    """``CASEINTAKE_EXPORT_DIR`` (set by the admin who runs the app or ``serve --export-dir``),
    else ``exports`` in the user data folder: where the TUI writes slips and statistics."""
    env = os.environ.get("CASEINTAKE_EXPORT_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("caseintake", appauthor=False)) / "exports"


@dataclass(frozen=True)
class Settings:
    db_url: str
    state_dir: Path
    idle_lock: timedelta = timedelta(minutes=5)
    language: str = "vi"
    clock: Clock = field(default=utc_now, compare=False)
    export_dir: Path | None = None  # None: default_export_dir(), looked up when first needed
    # In a browser (``serve``) files go to the browser as downloads; written on the server only
    # when the admin turns this on (``serve --server-files``).
    server_files: bool = False
    # How often the supervisor's desk reads the partners' drop folders (issue 24, transport).
    drop_poll: timedelta = timedelta(seconds=60)

    def export_folder(self) -> Path:
        return self.export_dir if self.export_dir is not None else default_export_dir()

    @classmethod
    def from_env(cls, db_url: str | None = None, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "db_url": db_url or default_db_url(),
            "state_dir": default_state_dir(),
            "language": env.get("CASEINTAKE_LANG", "vi"),
        }
        # Lockout and key derivation cost are not here: they live in the database, set by an
        # admin (services/access/security_settings.py), never in the caller's environment (issue 10).
        if env.get("CASEINTAKE_SERVER_FILES") == "1":
            values["server_files"] = True
        if "CASEINTAKE_IDLE_LOCK_SECONDS" in env:
            values["idle_lock"] = idle_lock_from(env["CASEINTAKE_IDLE_LOCK_SECONDS"])
        if "CASEINTAKE_DROP_POLL_SECONDS" in env:
            values["drop_poll"] = drop_poll_from(env["CASEINTAKE_DROP_POLL_SECONDS"])
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


MAX_IDLE_LOCK_SECONDS = 86_400


def idle_lock_from(text: str) -> timedelta:
    """Whole seconds from 1 to a day; anything else is one sentence, never a traceback."""
    from caseintake.domain.errors import DomainError

    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise DomainError("access_checks.bad_idle_lock", max=MAX_IDLE_LOCK_SECONDS)
    seconds = int(value)
    if not 1 <= seconds <= MAX_IDLE_LOCK_SECONDS:
        raise DomainError("access_checks.bad_idle_lock", max=MAX_IDLE_LOCK_SECONDS)
    return timedelta(seconds=seconds)


def drop_poll_from(text: str) -> timedelta:
    """Whole seconds from 5 to a day, else one sentence."""
    from caseintake.domain.errors import DomainError

    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise DomainError("handoff_folders.bad_interval")
    seconds = int(value)
    if not 5 <= seconds <= MAX_IDLE_LOCK_SECONDS:
        raise DomainError("handoff_folders.bad_interval")
    return timedelta(seconds=seconds)
