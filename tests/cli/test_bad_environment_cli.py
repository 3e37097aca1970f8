"""Issue 20 item 8: a bad CASEINTAKE_IDLE_LOCK_SECONDS is one sentence and exit 1, from a
command and from the plain launch of the terminal application, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from caseintake.domain.errors import DomainError
from caseintake.services.core.settings import idle_lock_from

BAD = ["abc", "1e20", "99999999999999999999", "-5", "0", "", "١٢"]


@pytest.mark.parametrize("value", BAD)
def test_a_bad_idle_lock_is_one_sentence(cli: Any, initialised: str, value: str) -> None:
    result = cli(
        "audit", "list", "--user", "root", "--db", initialised,
        password="amber-violet-72", CASEINTAKE_IDLE_LOCK_SECONDS=value,
    )  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        DomainError("access_checks.bad_idle_lock", max=86_400).message()
    ]


def test_the_plain_launch_says_it_in_one_sentence(initialised: str) -> None:
    import os

    env = {**os.environ, "CASEINTAKE_IDLE_LOCK_SECONDS": "1e20", "CASEINTAKE_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-c", "from caseintake.cli.tui_launch import main; main()",
         "--db", initialised],
        env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "CASEINTAKE_IDLE_LOCK_SECONDS" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_good_values_are_taken() -> None:
    assert idle_lock_from(" 300 ").total_seconds() == 300
