"""``case erase`` and ``retention show|set|sweep``: one sentence for each refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.services.test_retention import closed_case, number_of

PW = "amber-violet-72"


def test_retention_period_from_the_command_line(cli: Any, initialised: str) -> None:
    db = ("--db", initialised)
    assert "none" in cli("--lang", "en", "retention", "show", *db).output
    for bad in ("0", "abc", "1e3", "９", "99999999"):
        result = cli("retention", "set", bad, "--user", "root", *db, password=PW)
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1, bad
    assert cli("retention", "set", "365", "--user", "root", *db, password=PW).exit_code == 0
    assert "365" in cli("retention", "show", *db).output
    op = cli("retention", "set", "1", "--user", "lan", *db, password="quiet-harbour-41")
    assert op.exit_code == 1
    assert cli("retention", "set", "none", "--user", "root", *db, password=PW).exit_code == 0
    swept = cli("--lang", "en", "retention", "sweep", "--user", "root", *db, password=PW)
    assert swept.exit_code == 0 and "0 cases" in swept.output


def test_case_erase(cli: Any, initialised: str, tmp_path: Path) -> None:
    svc = Services(Settings(db_url=initialised, state_dir=tmp_path / "state"))
    admin = svc.auth.login("root", PW)
    svc.users.add(admin, "minh", "supervisor", "one-time-pass-2")
    svc.auth.change_password("minh", "one-time-pass-2", "cedar-window-63")
    case = closed_case(
        svc, svc.auth.login("lan", "quiet-harbour-41"), svc.auth.login("minh", "cedar-window-63")
    )
    number = number_of(svc, case.case_id)
    svc.close()
    db = ("--db", initialised)
    op = cli("case", "erase", number, "--user", "lan", *db, password="quiet-harbour-41")
    assert op.exit_code == 1
    done = cli("--lang", "en", "case", "erase", number, "--user", "root", *db, password=PW)
    assert done.exit_code == 0 and "Destroyed" in done.output, done.output
    again = cli("case", "erase", number, "--user", "root", *db, password=PW)
    assert again.exit_code == 1 and len(again.stderr.strip().splitlines()) == 1
    missing = cli("case", "erase", "nope\x1b[2J", "--user", "root", *db, password=PW)
    assert missing.exit_code == 1 and "\x1b" not in missing.stderr
