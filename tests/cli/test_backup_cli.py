"""``caseintake backup`` and ``restore``: one sentence for every refusal, the flag on an old copy."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from caseintake.i18n import t

PW = "amber-violet-72"


def test_backup_then_restore_elsewhere(cli: Any, initialised: str, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    result = cli("backup", str(out), "--user", "root", "--db", initialised, password=PW)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    again = cli("backup", str(out), "--user", "root", "--db", initialised, password=PW)
    assert again.exit_code == 1 and "copy.db" in again.stderr and "Traceback" not in again.output
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    result = cli("restore", str(out), "--user", "root", "--db", target, password=PW)
    assert result.exit_code == 0, result.output
    refused = cli("restore", str(out), "--user", "root", "--db", target, password=PW)
    assert refused.exit_code == 1 and "--replace" in refused.stderr
    # The copy has events of its own since (its restore, its verify): replacing it with the
    # backup would lose them, so it needs --accept-rollback (issue 20 item 5).
    back = cli("restore", str(out), "--user", "root", "--db", target, "--replace", password=PW)
    assert back.exit_code == 1 and "--accept-rollback" in back.stderr
    replaced = cli(
        "restore", str(out), "--user", "root", "--db", target, "--replace", "--accept-rollback",
        password=PW,
    )  # fmt: skip
    # The copy's own checkpoint (signed after its restore) no longer matches: flagged.
    assert replaced.exit_code == 1 and "acknowledge" in replaced.stderr, replaced.output


def test_backup_refuses_fifo_and_operators(cli: Any, initialised: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli("backup", str(fifo), "--user", "root", "--db", initialised, password=PW)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    op = cli(
        "backup",
        str(tmp_path / "x.db"),
        "--user",
        "lan",
        "--db",
        initialised,
        password="quiet-harbour-41",
    )
    assert op.exit_code == 1 and not (tmp_path / "x.db").exists()


def test_restore_of_an_older_copy_is_flagged(cli: Any, initialised: str, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    assert (
        cli("backup", str(old), "--user", "root", "--db", initialised, password=PW).exit_code == 0
    )
    for _ in range(2):
        out = cli("audit", "checkpoint", "--user", "root", "--db", initialised, password=PW)
        assert out.exit_code == 0, out.output
    result = cli(
        "restore", str(old), "--user", "root", "--db", initialised, "--replace", password=PW
    )
    assert result.exit_code == 1 and "--accept-rollback" in result.stderr  # issue 20 item 5
    # Put in place by hand, past the restore's checks: the trail is flagged, for ever.
    import shutil

    live = Path(initialised.removeprefix("sqlite:///"))
    for extra in (Path(f"{live}-wal"), Path(f"{live}-shm")):
        extra.unlink(missing_ok=True)
    placed = live.with_name("placed.db")
    shutil.copyfile(old, placed)
    placed.replace(live)  # a file of its own, as a copy dropped in place would be
    verify = cli("audit", "verify", "--user", "root", "--db", initialised, password=PW)
    # The restored copy ends at event 10; the pinned checkpoints reached 13.
    truncated = t("audit.truncated", checkpoint=13, last=10, seq=11)
    assert verify.exit_code == 1 and truncated in verify.stderr, verify.stderr
    again = cli("audit", "verify", "--user", "root", "--db", initialised, password=PW)
    # Verifying again (its own event now numbered 11...) still flags the rolled-back trail.
    assert again.exit_code == 1, again.stderr
    assert t("audit.checkpoint_mismatch", seq=13) in again.stderr, again.stderr
    # Accepted through restore instead: audited and signed, and flagged all the same until an
    # admin acknowledges it.
    accepted = cli(
        "restore", str(old), "--user", "root", "--db", initialised, "--replace",
        "--accept-rollback", password=PW,
    )  # fmt: skip
    assert accepted.exit_code == 1 and "acknowledge" in accepted.stderr


def test_restore_refuses_garbage_in_one_sentence(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x1b]0;PWNED\x07 not a database")
    target = f"sqlite:///{tmp_path / 'new.db'}"
    result = cli("restore", str(junk), "--user", "root", "--db", target, password=PW)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "new.db").exists()
