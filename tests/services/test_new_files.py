"""The one way a file leaves (issue 21 item 1), on its own: refusals, a file that appears while
writing, a failure after the file was placed, and what a backup does with the live database."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseintake.domain.errors import DomainError
from caseintake.services.core.new_files import NewFile, check_new_path, database_files
from caseintake.services.supervisor_desk import SupervisorDesk
from caseintake.store.models import AuditEvent
from tests.services import test_referral_slips

commune = test_referral_slips.commune  # the fixture, shared


def test_each_kind_of_existing_path_is_named(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "file")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    kinds = {}
    for name in ("file", "link", "dangling", "fifo", "folder"):
        with pytest.raises(DomainError) as err:
            check_new_path(tmp_path / name)
        kinds[name] = err.value.key
    assert kinds == {
        "file": "exports.exists_file",
        "link": "exports.exists_link",
        "dangling": "exports.exists_link",
        "fifo": "exports.exists_fifo",
        "folder": "exports.exists_folder",
    }
    with pytest.raises(DomainError) as err:
        check_new_path(tmp_path / "no" / "x")
    assert err.value.key == "exports.no_folder"


def test_the_database_files_are_refused_even_before_they_exist(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    db.write_bytes(b"")
    (tmp_path / "alias").symlink_to(tmp_path)  # the same folder by another road
    for name in ("live.db-wal", "live.db-shm", "live.db-journal"):
        for folder in (tmp_path, tmp_path / "alias"):
            with pytest.raises(DomainError) as err:
                NewFile(folder / name, database_files(db))
            assert err.value.key == "exports.live_database"
            assert not (tmp_path / name).exists()


def test_placed_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with NewFile(tmp_path / "a.csv") as new:
            new.place(b"a,b\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").read_bytes() == b"a,b\n"
    assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_a_link_planted_while_writing_is_not_followed(tmp_path: Path) -> None:
    """Checked, then an attacker plants a symlink at the name before the file is placed: the
    link stays, its target is untouched, the temporary file is gone."""
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    new = NewFile(tmp_path / "out.json")
    (tmp_path / "out.json").symlink_to(victim)
    with pytest.raises(DomainError) as err:
        new.place(b"{}")
    assert err.value.key == "exports.appeared"
    assert victim.read_text() == "keep me" and (tmp_path / "out.json").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "victim"]


def test_a_failure_after_placing_withdraws_the_file(tmp_path: Path) -> None:
    out = tmp_path / "slip.txt"
    with pytest.raises(RuntimeError), NewFile(out) as new:
        new.place(b"slip")
        assert out.exists()
        raise RuntimeError("the audit could not be written")
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_file_put_there_by_someone_else_is_not_withdrawn(tmp_path: Path) -> None:
    out = tmp_path / "slip.txt"
    with pytest.raises(RuntimeError), NewFile(out) as new:
        new.place(b"ours")
        out.unlink()
        out.write_text("theirs")
        raise RuntimeError("later failure")
    assert out.read_text() == "theirs"


def test_a_backup_is_never_written_over_the_live_database(
    services: Any, admin: Any, db_path: Path
) -> None:
    for out in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-journal")):
        with pytest.raises(DomainError) as err:
            services.backup.backup(admin, out)
        assert err.value.key in ("exports.exists_file", "exports.live_database")
    assert not Path(f"{db_path}-journal").exists()
    with services.db.read() as s:
        actions = set(s.execute(select(AuditEvent.action)).scalars())
    assert "backup_written" not in actions


def test_a_slip_whose_audit_fails_leaves_no_file(
    services: Any,
    supervisor: Any,
    commune: str,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(services.audit_log, "append", broken)
    out = tmp_path / "out" / "slip.txt"
    out.parent.mkdir()
    with pytest.raises(RuntimeError):
        SupervisorDesk(services).slips.write(supervisor, commune, out)
    assert not list(out.parent.iterdir())
