"""Issue 10 from the command line: one sentence, exit 1, for each refused security input."""

from __future__ import annotations

import os
from pathlib import Path


def test_cli_refuses_a_fifo_in_one_sentence(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = cli(
        "audit",
        "checkpoint",
        "--out",
        str(fifo),
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert result.exit_code == 1
    assert "out.fifo" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_failed_trail_then_acknowledged_from_the_cli(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    root = {"password": "amber-violet-72"}
    assert cli("audit", "checkpoint", "--user", "root", "--db", initialised, **root).exit_code == 0
    conn = sqlite3.connect(initialised.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("DROP TRIGGER audit_events_no_delete")
    conn.execute("DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 2 FROM audit_events)")
    conn.close()
    failed = cli("audit", "verify", "--user", "root", "--db", initialised, **root)
    assert failed.exit_code == 1 and len(failed.output.strip().splitlines()) == 1
    again = cli("audit", "verify", "--user", "root", "--db", initialised, **root)
    assert again.exit_code == 1  # appending (verify's own event) never masks it
    ack = cli(
        "audit", "acknowledge", "--reason", "test", "--user", "root", "--db", initialised, **root
    )
    assert ack.exit_code == 0, ack.output
    assert cli("audit", "verify", "--user", "root", "--db", initialised, **root).exit_code == 0
    bad = cli(
        "audit",
        "acknowledge",
        "--reason",
        "x\x1b]0;PWNED\x07",
        "--user",
        "root",
        "--db",
        initialised,
        **root,
    )
    assert bad.exit_code == 1 and "\x1b" not in bad.output


def test_security_settings_from_the_cli_audited_and_not_from_the_environment(
    cli, initialised: str
) -> None:  # type: ignore[no-untyped-def]
    root = {"password": "amber-violet-72"}
    shown = cli("security", "show", "--user", "root", "--db", initialised, **root)
    assert shown.exit_code == 0 and "5" in shown.output
    bad = cli(
        "security",
        "set",
        "--lockout-failures",
        "1000000",
        "--user",
        "root",
        "--db",
        initialised,
        **root,
    )
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1
    refused = cli(
        "security",
        "set",
        "--lockout-failures",
        "9",
        "--user",
        "lan",
        "--db",
        initialised,
        password="quiet-harbour-41",
    )
    assert refused.exit_code == 1
    assert (
        cli(
            "security",
            "set",
            "--lockout-failures",
            "2",
            "--user",
            "root",
            "--db",
            initialised,
            **root,
        ).exit_code
        == 0
    )
    for _ in range(2):
        cli(
            "audit",
            "verify",
            "--user",
            "lan",
            "--db",
            initialised,
            password="wrong-password",
            CASEINTAKE_LOCKOUT_FAILURES="1000000",
        )
    locked = cli(
        "audit", "verify", "--user", "lan", "--db", initialised, password="quiet-harbour-41"
    )
    from caseintake.i18n import t

    assert locked.exit_code == 1
    assert t("auth.locked").split("{")[0] in locked.output  # two failures locked it


def test_database_readable_by_others_is_warned(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    path = Path(initialised.removeprefix("sqlite:///"))
    assert path.stat().st_mode & 0o077 == 0  # created private
    path.chmod(0o644)
    result = cli(
        "audit", "checkpoint", "--user", "root", "--db", initialised, password="amber-violet-72"
    )
    assert result.exit_code == 0
    assert str(path) in result.output and "chmod 600" in result.output  # stderr is mixed in
