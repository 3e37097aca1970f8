"""Shared fixtures: a real SQLite file built by the migrations, with real users and keys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

# Snapshots and colours must not depend on the caller's terminal.
os.environ.pop("NO_COLOR", None)
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
os.environ["CASEINTAKE_LANG"] = "vi"

ADMIN, ADMIN_PW = "root", "amber-violet-72"
OPERATOR, OPERATOR_PW = "lan", "quiet-harbour-41"
SUPERVISOR, SUPERVISOR_PW = "minh", "cedar-window-63"


@dataclass
class FrozenClock:
    """A clock tests can move; services read time only through it."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        from datetime import timedelta

        self.now = self.now + timedelta(**kwargs)


# Key slots in tests cost ~1 ms, not the ~0.6 s of a real database: the cost is a database
# setting chosen at init, so every database a test creates is made cheap here (issue 10 item 7).
CHEAP_KDF_ARGS = (256, 1, 1)  # memory KiB, passes, lanes


@pytest.fixture(autouse=True)
def vietnamese_first() -> Iterator[None]:
    """Every test starts in the default language, whatever the test before it chose (a login
    or ``--lang en`` switches the process's language): tests must not depend on their order,
    which pytest-xdist changes."""
    from caseintake.i18n import set_language

    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture(autouse=True)
def export_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the TUI puts the files asked for by name: here, never the real data folder."""
    folder = tmp_path / "exports"
    monkeypatch.setenv("CASEINTAKE_EXPORT_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def cheap_key_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.access.setup import SetupService

    monkeypatch.setattr(SetupService, "default_kdf", KdfCost(*CHEAP_KDF_ARGS))


@pytest.fixture
def clock() -> FrozenClock:
    # A Monday morning, 09:00 in Viet Nam.
    return FrozenClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "caseintake.db"


@pytest.fixture
def settings(tmp_path: Path, db_path: Path, clock: FrozenClock):  # type: ignore[no-untyped-def]
    from caseintake.services.core.settings import Settings

    return Settings(db_url=f"sqlite:///{db_path}", state_dir=tmp_path / "state", clock=clock)


@pytest.fixture
def services(settings) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """An initialised database: admin ``root``, operator ``lan``, supervisor ``minh``."""
    from caseintake.services.container import Services

    svc = Services(settings)
    admin, _recovery = svc.setup.init(ADMIN, ADMIN_PW)
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    svc.auth.change_password(OPERATOR, "one-time-pass-1", OPERATOR_PW)
    svc.users.add(admin, SUPERVISOR, "supervisor", "one-time-pass-2")
    svc.auth.change_password(SUPERVISOR, "one-time-pass-2", SUPERVISOR_PW)
    yield svc
    svc.close()


@pytest.fixture
def admin(services):  # type: ignore[no-untyped-def]
    return services.auth.login(ADMIN, ADMIN_PW)


@pytest.fixture
def operator(services):  # type: ignore[no-untyped-def]
    return services.auth.login(OPERATOR, OPERATOR_PW)


@pytest.fixture
def supervisor(services):  # type: ignore[no-untyped-def]
    return services.auth.login(SUPERVISOR, SUPERVISOR_PW)


def with_clock(settings, clock):  # type: ignore[no-untyped-def]
    return replace(settings, clock=clock)
