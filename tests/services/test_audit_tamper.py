"""Every attack of ``audit_tamper`` on SQLite, against both verify paths (issue 10 items 1, 4)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from caseintake.services.container import Services
from tests.services.audit_tamper import ATTACKS, Tamper, events, verifier


@pytest.fixture(params=["serial", "parallel"])
def path(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_attack_is_named(
    services: Services, admin: Any, path: str, attack: Callable[..., None]
) -> None:
    events(services, 3)
    tamper = Tamper(services.settings.db_url)
    try:
        attack(services, admin, tamper, verifier(services, path))
    finally:
        tamper.close()


def test_restored_old_copy_is_flagged(
    services: Services, admin: Any, db_path: Path, tmp_path: Path, path: str
) -> None:
    """Issue 10 item 1: an older copy of the file put back passes no more after new events."""
    verify = verifier(services, path)
    events(services, 2)
    old = tmp_path / "old.db"
    services.db.dispose()
    shutil.copyfile(db_path, old)
    events(services, 5)
    _, cp_seq = services.audit.write_checkpoint(admin)
    services.db.dispose()
    shutil.copyfile(old, db_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    events(services, 20)
    result = verify(admin)
    assert (result.ok, result.first_bad_seq, result.problem) == (
        False,
        cp_seq,
        "audit.checkpoint_mismatch",
    )


def test_parallel_threshold_is_injectable(services: Services, admin: Any, monkeypatch: Any) -> None:
    """The parallel path is really taken when forced (and not below the threshold)."""
    from caseintake.services.audit import trail as audit_trail

    calls: list[int] = []
    real = audit_trail.verify_parallel

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(audit_trail, "verify_parallel", spy)
    assert services.audit.verify(admin, workers=2).ok and calls == []
    services.audit.parallel_from = 1
    assert services.audit.verify(admin, workers=2).ok and calls == [1]
