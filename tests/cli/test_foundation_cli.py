"""The foundation commands as scripts use them, and every failure as one sentence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from caseintake.store import migrate


def one_sentence(text: str) -> bool:
    lines = [line for line in text.strip().splitlines() if line]
    return len(lines) == 1 and "Traceback" not in text


def test_init_prints_recovery_key(cli, url: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "init", "--admin", "root", "--db", url, password="amber-violet-72")
    assert result.exit_code == 0
    assert "RECOVERY KEY" in result.output
    again = cli("--lang", "en", "init", "--admin", "root", "--db", url, password="amber-violet-72")
    assert again.exit_code == 1 and one_sentence(again.output)
    assert "already initialised" in again.output


def test_user_add_generates_one_time_password(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "--lang",
        "en",
        "user",
        "add",
        "minh",
        "--role",
        "supervisor",
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert result.exit_code == 0
    otp = result.output.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    refused = cli(
        "--lang", "en", "user", "list", "--user", "minh", "--db", initialised, password=otp
    )
    assert refused.exit_code == 1 and "one-time password" in refused.output
    listed = cli("user", "list", "--user", "root", "--db", initialised, password="amber-violet-72")
    assert "minh\tsupervisor\tone-time-password" in listed.output
    assert "lan\toperator\tactive" in listed.output


def test_user_disable(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    assert (
        cli(
            "user",
            "disable",
            "lan",
            "--user",
            "root",
            "--db",
            initialised,
            password="amber-violet-72",
        ).exit_code
        == 0
    )
    result = cli(
        "--lang",
        "en",
        "user",
        "list",
        "--user",
        "lan",
        "--db",
        initialised,
        password="quiet-harbour-41",
    )
    assert result.exit_code == 1 and "disabled" in result.output


def test_bad_role_and_forbidden(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    bad = cli(
        "--lang",
        "en",
        "user",
        "add",
        "x",
        "--role",
        "boss",
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert bad.exit_code == 1 and one_sentence(bad.output) and "boss" in bad.output
    forbidden = cli(
        "--lang",
        "en",
        "user",
        "add",
        "x",
        "--role",
        "operator",
        "--user",
        "lan",
        "--db",
        initialised,
        password="quiet-harbour-41",
    )
    assert forbidden.exit_code == 1 and "may not" in forbidden.output


def test_audit_verify_and_checkpoint(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cp.json"
    cp = cli(
        "audit",
        "checkpoint",
        "--out",
        str(out),
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert cp.exit_code == 0 and out.exists()
    ok = cli(
        "--lang",
        "en",
        "audit",
        "verify",
        "--user",
        "root",
        "--db",
        initialised,
        "--checkpoint",
        str(out),
        password="amber-violet-72",
    )
    assert ok.exit_code == 0 and "intact" in ok.output
    path = initialised.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_events_no_update")
    conn.execute("UPDATE audit_events SET action = 'tampered' WHERE seq = 3")
    conn.commit()
    bad = cli(
        "--lang",
        "en",
        "audit",
        "verify",
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert bad.exit_code == 1 and "event 3" in bad.output


def test_errors_are_one_sentence(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (("audit", "verify", "--user", "root", "--db", initialised), "wrong-password", "wrong"),
        (("audit", "verify", "--user", "nobody", "--db", initialised), "whatever-1", "wrong"),
        (
            ("audit", "verify", "--user", "root", "--db", f"sqlite:///{tmp_path}/none.db"),
            "x",
            "no database",
        ),
        (("audit", "verify", "--user", "root", "--db", "mysql://h/db"), "x", "Only SQLite"),
        (("audit", "verify", "--user", "root", "--db", "::nonsense::"), "x", "not valid"),
        (
            (
                "audit",
                "verify",
                "--user",
                "root",
                "--db",
                initialised,
                "--checkpoint",
                str(tmp_path / "no.json"),
            ),
            "amber-violet-72",
            "Cannot read",
        ),
    ]
    for args, password, expected in cases:
        result = cli("--lang", "en", *args, password=password)
        assert result.exit_code == 1, (args, result.output)
        assert one_sentence(result.output), result.output
        assert expected in result.output, result.output


def test_locked_account_message(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        cli("user", "list", "--user", "lan", "--db", initialised, password="wrong-password")
    result = cli(
        "--lang",
        "en",
        "user",
        "list",
        "--user",
        "lan",
        "--db",
        initialised,
        password="quiet-harbour-41",
    )
    assert result.exit_code == 1 and "locked" in result.output and one_sentence(result.output)


def test_newer_and_older_schema(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    path = initialised.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    conn.commit()
    newer = cli(
        "--lang",
        "en",
        "user",
        "list",
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert newer.exit_code == 1 and "newer caseintake" in newer.output
    refused = cli("--lang", "en", "db", "upgrade", "--db", initialised)
    assert refused.exit_code == 1 and "newer" in refused.output
    conn.execute(f"UPDATE alembic_version SET version_num = '{migrate.head_revision()}'")
    conn.commit()
    ok = cli("--lang", "en", "db", "upgrade", "--db", initialised)
    assert ok.exit_code == 0 and "newest schema" in ok.output


def test_no_password_without_terminal(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "user", "list", "--user", "root", "--db", initialised)
    assert result.exit_code == 1 and "CASEINTAKE_PASSWORD" in result.output
