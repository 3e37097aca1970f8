"""Issue 10 items 7 and 9: offline guessing made dear (private files, key derivation cost per
slot and raised at the next login, weak passwords refused) and tampered key slots refused in
one sentence (no hang, no MemoryError)."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.kdf import STRONG, KdfCost
from caseintake.domain.errors import DomainError
from caseintake.services.access.passwords import check_new_password
from caseintake.services.access.security_settings import SecuritySettingsService
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import AuditEvent, KeySlotRow, SecuritySettings, User
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW


def slot_row(services: Services, name: str) -> KeySlotRow:
    with services.db.read() as s:
        user_id = s.execute(select(User.id).where(User.name == name)).scalar_one()
        return s.execute(select(KeySlotRow).where(KeySlotRow.user_id == user_id)).scalar_one()


# --- item 9: tampered key-slot parameters ------------------------------------------------------

GOOD = {"algorithm": "argon2id", "salt": "00" * 16, "memory_kib": 256, "iterations": 1, "lanes": 1}
TAMPERED = [
    {**GOOD, "algorithm": "scrypt"},
    {**GOOD, "algorithm": None},
    {**GOOD, "salt": "zz"},
    {**GOOD, "salt": "00" * 4},
    {**GOOD, "salt": "00" * 100_000},
    {**GOOD, "memory_kib": 4 << 30},  # 4 TiB: MemoryError before
    {**GOOD, "iterations": 100_000},  # hung before
    {**GOOD, "iterations": 0},
    {**GOOD, "lanes": 0},
    {**GOOD, "lanes": 1 << 24},
    {**GOOD, "memory_kib": "256"},
    {**GOOD, "memory_kib": True},
    {**GOOD, "memory_kib": 1 << 20, "iterations": 64},  # each in bounds, together hours
    {k: v for k, v in GOOD.items() if k != "salt"},
    [1, 2, 3],
]


@pytest.mark.parametrize(
    "kdf", [json.dumps(p) for p in TAMPERED] + ["not json", "[" * 3000, "1e999"]
)
def test_tampered_slot_parameters_give_one_sentence(services: Services, kdf: str) -> None:
    with services.db.write() as s:
        s.execute(
            update(KeySlotRow)
            .where(KeySlotRow.id == slot_row(services, OPERATOR).id)
            .values(kdf=kdf)
        )
    start = time.perf_counter()
    with pytest.raises(CryptoError) as err:
        services.auth.login(OPERATOR, OPERATOR_PW)
    assert time.perf_counter() - start < 2.0
    assert err.value.key == "crypto.slot_damaged"
    assert err.value.message("en").count(".") == 1  # one sentence


@pytest.mark.parametrize(
    "change",
    [{"nonce": b"\x00" * 5}, {"wrapped": b"\x00" * 3}, {"kind": "magic"}, {"key_version": 0}],
)
def test_tampered_slot_shape_gives_one_sentence(services: Services, change: dict[str, Any]) -> None:
    with services.db.write() as s:
        s.execute(
            update(KeySlotRow)
            .where(KeySlotRow.id == slot_row(services, OPERATOR).id)
            .values(**change)
        )
    with pytest.raises(CryptoError) as err:
        services.auth.login(OPERATOR, OPERATOR_PW)
    assert err.value.key == "crypto.slot_damaged"


# --- item 7: key derivation cost -----------------------------------------------------------------


def test_cost_is_stored_per_slot_and_raised_at_next_login(services: Services, admin: Any) -> None:
    assert json.loads(slot_row(services, OPERATOR).kdf)["memory_kib"] == 256  # the fixture's
    policy = SecuritySettingsService(services.db, services.settings, services.audit_log)
    policy.change(admin, kdf_memory_kib=1024, kdf_iterations=2)
    services.auth.login(OPERATOR, OPERATOR_PW)
    params = json.loads(slot_row(services, OPERATOR).kdf)
    assert (params["memory_kib"], params["iterations"]) == (1024, 2)
    with services.db.read() as s:
        actions = s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars().all()
    assert actions[-2:] == ["login", "key_slot_upgraded"]
    services.auth.login(OPERATOR, OPERATOR_PW)  # the new slot opens; no second upgrade
    with services.db.read() as s:
        assert (
            s.execute(select(AuditEvent.action).order_by(AuditEvent.seq.desc())).first()[0]
            == "login"
        )
    with pytest.raises(DomainError) as err:
        policy.change(admin, kdf_memory_kib=4 << 30)
    assert err.value.key == "crypto.kdf_out_of_bounds"


def test_default_cost_is_strong_and_kept_in_the_database(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseintake.services.access.setup import SetupService

    monkeypatch.undo()  # the fixtures' cheap cost off: what init uses outside the tests
    assert SetupService.default_kdf == STRONG
    svc = Services(settings)
    svc.setup.init(ADMIN, ADMIN_PW, kdf=KdfCost(512, 3))
    with svc.db.read() as s:
        row = s.execute(select(SecuritySettings)).scalar_one()
    assert (row.kdf_memory_kib, row.kdf_iterations) == (512, 3)
    svc.close()


# --- item 7: weak passwords ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("aaaaaaaaaa", "auth.weak_repeat"),
        ("          ", "auth.weak_repeat"),
        ("1234567890", "auth.weak_common"),
        ("qwertyuiop", "auth.weak_common"),
        ("password12", "auth.weak_common"),
        ("abcdefghijk", "auth.weak_sequence"),
        ("tea-tea-tea-tea", "auth.weak_repeat"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, key: str) -> None:
    with pytest.raises(DomainError) as err:
        check_new_password("lan", password)
    assert err.value.key == key
    assert "easy to guess" in err.value.message("en")


@pytest.mark.parametrize("bad", ["abc\x00defghijkl", "\ud800-surrogate-pw-1", "x" * 2000])
def test_control_surrogate_and_huge_passwords_are_refused(bad: str) -> None:
    with pytest.raises(DomainError):
        check_new_password("lan", bad)


def test_readme_demo_and_fixture_passwords_pass() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    rows = [line.split("`") for line in readme.splitlines() if "| `demo-" in line]
    demo = [(cells[1], cells[-2]) for cells in rows]  # the table: | `name` | role | `password` |
    assert len(demo) >= 4
    for name, password in [
        *demo,
        (OPERATOR, OPERATOR_PW),
        (ADMIN, ADMIN_PW),
    ]:
        check_new_password(name, password)


def test_weak_password_refused_at_init_add_and_change(settings: Settings) -> None:
    svc = Services(settings)
    with pytest.raises(DomainError):
        svc.setup.init(ADMIN, "aaaaaaaaaa")
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
    with pytest.raises(DomainError):
        svc.users.add(admin, OPERATOR, "operator", "1234567890")
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    with pytest.raises(DomainError):
        svc.auth.change_password(OPERATOR, "one-time-pass-1", "qwertyuiop")
    svc.close()


# --- item 7: private files -----------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_and_folders_are_private_whatever_the_umask(
    tmp_path: Path, clock: Any
) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "new" / "deeper" / "db.sqlite"
        svc = Services(
            Settings(db_url=f"sqlite:///{path}", state_dir=tmp_path / "st" / "ate", clock=clock)
        )
        admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
        svc.audit.write_checkpoint(admin)
        assert Path(f"{path}-wal").exists()
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert mode(p) == 0o600, p
        for d in (path.parent, path.parent.parent, tmp_path / "st", tmp_path / "st" / "ate"):
            assert mode(d) == 0o700, d
        for f in svc.audit.checkpoint_dir(svc.audit_log.db_id_cached()).glob("*.json"):
            assert mode(f) == 0o600
        assert svc.db.exposed == []
        svc.close()
    finally:
        os.umask(old)


def test_existing_database_readable_by_others_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.write_bytes(b"")
    path.chmod(0o644)
    db = Database(f"sqlite:///{path}")
    assert db.exposed == [path]
    db.dispose()
    path.chmod(0o600)
    db = Database(f"sqlite:///{path}")
    assert db.exposed == []
    db.dispose()
