"""Issue 20 item 5: a backup knows its place in the history (a checkpoint first); putting an
older copy in place of the live database is refused, naming what it would lose, unless the
admin says --accept-rollback (audited and checkpointed); replacing a file that other sessions
have open is refused, naming them; a copy restored under a new path keeps its own checkpoints
and never flags the live database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.conftest import OPERATOR, OPERATOR_PW
from tests.samples import design_example

PW = "amber-violet-72"


def _file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _rows(url: str, sql: str) -> list[Any]:
    conn = sqlite3.connect(_file(url))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _save_report(url: str, tmp_path: Path) -> None:
    svc = Services(Settings(db_url=url, state_dir=tmp_path / "state"))
    try:
        svc.intake.save(svc.auth.login(OPERATOR, OPERATOR_PW), parse_intake(design_example()))
    finally:
        svc.close()


def _backup(cli: Any, url: str, out: Path) -> None:
    result = cli("backup", str(out), "--user", "root", "--db", url, password=PW)
    assert result.exit_code == 0, result.output


def test_a_backup_writes_a_checkpoint_first(cli: Any, initialised: str, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    _backup(cli, initialised, out)
    copy = f"sqlite:///{out}"
    assert _rows(copy, "SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1") == [
        ("checkpoint_written",)
    ]
    kept = list((tmp_path / "state" / "checkpoints").glob("*/0*.json"))
    head = _rows(copy, "SELECT max(seq) FROM audit_events")[0][0]
    assert any(int(p.stem) == head - 1 for p in kept)  # the copy's head is signed outside it


def test_a_rollback_restore_is_refused_then_accepted(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    _backup(cli, initialised, old)
    _save_report(initialised, tmp_path)
    head = _rows(initialised, "SELECT max(seq) FROM audit_events")[0][0]
    refused = cli(
        "--lang", "en", "restore", str(old), "--user", "root", "--db", initialised, "--replace",
        password=PW,
    )  # fmt: skip
    assert refused.exit_code == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "1 cases" in lines[0] and "--accept-rollback" in lines[0]
    assert _rows(initialised, "SELECT max(seq) FROM audit_events")[0][0] == head  # untouched
    assert _rows(initialised, "SELECT count(*) FROM cases") == [(1,)]
    accepted = cli(
        "restore", str(old), "--user", "root", "--db", initialised, "--replace",
        "--accept-rollback", password=PW,
    )  # fmt: skip
    assert "Traceback" not in accepted.output
    assert _rows(initialised, "SELECT count(*) FROM cases") == [(0,)]
    actions = [a for (a,) in _rows(initialised, "SELECT action FROM audit_events ORDER BY seq")]
    assert "restore_rollback_accepted" in actions
    assert actions[-1] == "checkpoint_written"  # the new history's place, signed


def test_replacing_a_file_others_have_open_is_refused_naming_them(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    same = tmp_path / "same.db"
    _backup(cli, initialised, same)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, initialised, str(tmp_path / "state"), OPERATOR],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env(),
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        refused = cli(
            "--lang", "en", "restore", str(same), "--user", "root", "--db", initialised,
            "--replace", "--accept-rollback", password=PW,
        )  # fmt: skip
        assert refused.exit_code == 1
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and f"{OPERATOR} (pid {holder.pid})" in lines[0]
    finally:
        assert holder.stdin is not None
        holder.stdin.close()  # the holder ends its session and exits
        holder.wait(timeout=60)
    done = cli(
        "restore", str(same), "--user", "root", "--db", initialised, "--replace",
        "--accept-rollback", password=PW,
    )  # fmt: skip
    assert "other sessions" not in done.stderr and "phiên khác" not in done.stderr


def test_a_copy_restored_elsewhere_never_flags_the_live_database(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    _backup(cli, initialised, old)
    for _ in range(2):
        assert cli("audit", "checkpoint", "--user", "root", "--db", initialised, password=PW)
    elsewhere = f"sqlite:///{tmp_path / 'look.db'}"
    restored = cli("restore", str(old), "--user", "root", "--db", elsewhere, password=PW)
    assert restored.exit_code == 0, restored.output
    # Sessions on the copy write checkpoints of their own: the live ones stay as they were.
    for url in (elsewhere, elsewhere, initialised):
        check = cli("audit", "checkpoint", "--user", "root", "--db", url, password=PW)
        assert check.exit_code == 0, check.output
        verify = cli("audit", "verify", "--user", "root", "--db", url, password=PW)
        assert verify.exit_code == 0, (url, verify.output)


_HOLDER = """
import os, sys
os.environ["CASEINTAKE_STATE_DIR"] = sys.argv[2]
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from pathlib import Path
svc = Services(Settings(db_url=sys.argv[1], state_dir=Path(sys.argv[2])))
svc.auth.login(sys.argv[3], os.environ["HOLDER_PW"])
print("ready", flush=True)
sys.stdin.read()
svc.close()
"""


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "HOLDER_PW": OPERATOR_PW}
