"""``user enable`` and ``user role``: the change lands, a refusal is one sentence."""

from __future__ import annotations

from typing import Any

PW = "amber-violet-72"


def test_enable_and_role(cli: Any, initialised: str) -> None:
    db = ("--db", initialised)
    assert cli("user", "role", "lan", "--role", "supervisor", "--user", "root", *db,
               password=PW).exit_code == 0  # fmt: skip
    assert cli("user", "disable", "lan", "--user", "root", *db, password=PW).exit_code == 0
    assert cli("user", "enable", "lan", "--user", "root", *db, password=PW).exit_code == 0
    listed = cli("user", "list", "--user", "root", *db, password=PW).output
    assert "lan\tsupervisor\tactive" in listed
    for args in (
        ("user", "role", "lan", "--role", "wizard"),
        ("user", "role", "root", "--role", "operator"),
        ("user", "enable", "lan"),
        ("user", "enable", "nobody\x1b[2J"),
    ):
        result = cli(*args, "--user", "root", *db, password=PW)
        assert result.exit_code == 1, args
        assert len(result.stderr.strip().splitlines()) == 1 and "\x1b" not in result.stderr
