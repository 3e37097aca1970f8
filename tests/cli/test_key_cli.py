"""``caseintake key rotate|rotate-recovery`` from the command line: it works for an admin, a
stopped rotation resumes, and every wrong input is one sentence with exit 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caseintake.crypto import key_ring

ROOT = {"password": "amber-violet-72"}


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)


def one_sentence(result: Any) -> bool:
    lines = result.output.strip().splitlines()
    return result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.output


def test_rotate_as_admin_then_again(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    first = cli("key", "rotate", "--user", "root", "--db", initialised, **ROOT)
    assert first.exit_code == 0, first.output
    assert "1 → 2" in first.output and "phiên bản 2" in first.output.splitlines()[-1]
    second = cli("key", "rotate", "--user", "root", "--db", initialised, **ROOT)
    assert second.exit_code == 0 and "2 → 3" in second.output
    # The operator's slot was sealed to the new key: they still log in and work.
    lan = cli("audit", "list", "--user", "root", "--db", initialised, **ROOT)
    assert "key_rotation_finished" in lan.output


def test_a_stopped_rotation_resumes_from_the_cli(  # type: ignore[no-untyped-def]
    cli, initialised: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings
    from caseintake.services.keys import rotation as key_rotation
    from caseintake.services.keys.rotation import KeyRotationService

    svc = Services(Settings(db_url=initialised, state_dir=tmp_path / "state"))
    admin = svc.auth.login("root", "amber-violet-72")
    monkeypatch.setattr(key_rotation, "BATCH", 1)

    def stop(_fields: int) -> None:
        raise KeyboardInterrupt  # as if killed after the first batch

    with pytest.raises(KeyboardInterrupt):
        KeyRotationService(svc.db, svc.settings, svc.audit_log).rotate(admin, stop)
    svc.close()
    result = cli("key", "rotate", "--user", "root", "--db", initialised, **ROOT)
    assert result.exit_code == 0, result.output
    assert "2" in result.output.splitlines()[0] and "Tiếp tục" in result.output
    assert "1 → 2" not in result.output  # resumed, not a second rotation


def test_refusals_are_one_sentence(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    operator = cli(
        "key", "rotate", "--user", "lan", "--db", initialised, password="quiet-harbour-41"
    )
    assert one_sentence(operator)
    wrong = cli("key", "rotate", "--user", "root", "--db", initialised, password="nope-nope-1")
    assert one_sentence(wrong)
    unknown = cli("key", "rotat", "--user", "root", "--db", initialised, **ROOT)
    assert one_sentence(unknown) and "key rotat" in unknown.output
    no_key = cli(
        "key", "rotate-recovery", "--user", "root", "--db", initialised,
        CASEINTAKE_RECOVERY_KEY="AAAA-BBBB-CCCC-DDDD", **ROOT,
    )  # fmt: skip
    assert one_sentence(no_key)


def test_rotate_recovery_prints_the_new_key_once_and_the_old_one_is_refused(  # type: ignore[no-untyped-def]
    cli, url: str
) -> None:
    init = cli("init", "--admin", "root", "--db", url, **ROOT)
    old = init.output.strip().splitlines()[-1].split(": ")[-1]
    result = cli(
        "key", "rotate-recovery", "--user", "root", "--db", url,
        CASEINTAKE_RECOVERY_KEY=old, **ROOT,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    new = result.output.strip().splitlines()[-1].split(": ")[-1]
    assert new != old and len(new) == len(old)
    cli("user", "add", "lan", "--role", "operator", "--user", "root", "--db", url,
        new_password="one-time-pass-1", **ROOT)  # fmt: skip
    refused = cli("user", "reset", "lan", "--db", url, CASEINTAKE_RECOVERY_KEY=old)
    assert one_sentence(refused)
    reset = cli("user", "reset", "lan", "--db", url, CASEINTAKE_RECOVERY_KEY=new)
    assert reset.exit_code == 0, reset.output
