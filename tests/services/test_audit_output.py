"""Issue 10 item 10: where a checkpoint may be written, and what is audited about it."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from caseintake.domain.errors import DomainError
from caseintake.services.container import Services
from caseintake.store.models import AuditEvent, Meta


def written_events(services: Services) -> int:
    with services.db.read() as s:
        actions = s.execute(select(AuditEvent.action)).scalars().all()
    return actions.count("checkpoint_written")


def refused(services: Services, admin: Any, out: Path) -> str:
    before = written_events(services)
    with pytest.raises(DomainError) as err:
        services.audit.write_checkpoint(admin, out)
    assert written_events(services) == before  # nothing audited that was not written
    return err.value.key


def test_fifo_symlink_and_folder_are_refused(
    services: Services, admin: Any, tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert refused(services, admin, fifo) == "exports.exists_fifo"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert refused(services, admin, link) == "exports.exists_link"
    assert os.path.islink(link) and target.read_text() == "keep me"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere")
    assert refused(services, admin, dangling) == "exports.exists_link"
    assert not (tmp_path / "nowhere").exists()
    assert refused(services, admin, tmp_path) == "exports.exists_folder"
    assert refused(services, admin, tmp_path / "no" / "cp.json") == "exports.no_folder"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_device_is_not_replaced_even_as_root(
    services: Services, admin: Any, tmp_path: Path
) -> None:
    """The attack on /dev/null, on a device node of our own (never the real /dev/null)."""
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    assert refused(services, admin, null) == "exports.exists_device"
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_new_path_is_written_private_and_an_existing_file_never_replaced(
    services: Services, admin: Any, tmp_path: Path
) -> None:
    new = tmp_path / "new.json"
    services.audit.write_checkpoint(admin, new)
    assert '"seq"' in new.read_text() and stat.S_IMODE(new.stat().st_mode) == 0o600
    old = tmp_path / "old.json"
    old.write_text("stale")
    old.chmod(0o644)
    assert refused(services, admin, old) == "exports.exists_file"
    assert old.read_text() == "stale" and stat.S_IMODE(old.stat().st_mode) == 0o644
    assert written_events(services) == 1
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["new.json", "old.json"]
    assert not list(tmp_path.glob(".*.part"))
    folder = services.audit.checkpoint_dir(services.audit_log.db_id_cached())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.glob("*.json"))


def test_failed_write_is_not_audited(
    services: Services, admin: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from caseintake.services.core import new_files

    def disk_full(path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(new_files, "fsync_file", disk_full)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(DomainError) as err:
        services.audit.write_checkpoint(admin, folder / "cp.json")
    assert err.value.key == "exports.disk_full"
    assert written_events(services) == 0
    assert not list(folder.iterdir())  # no file, no temporary file


@pytest.mark.parametrize("db_id", ["/tmp/elsewhere", "../../escape", "", "x" * 36])
def test_db_id_is_validated_before_use_in_a_path(
    services: Services, admin: Any, tmp_path: Path, db_id: str
) -> None:
    with services.db.write() as s:
        s.execute(update(Meta).values(db_id=db_id))
    fresh = Services(services.settings)
    try:
        with pytest.raises(DomainError) as err:
            fresh.audit.write_checkpoint(admin)
        assert err.value.key == "security.bad_db_id"
    finally:
        fresh.close()
    assert not Path("/tmp/elsewhere").exists()
    assert not (tmp_path / "escape").exists() and not (tmp_path.parent / "escape").exists()
