from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caseintake.cli.main import app


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run a command as a script would: env for secrets, a real SQLite file."""
    monkeypatch.setenv("CASEINTAKE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("CASEINTAKE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the default database, here
    runner = CliRunner()

    def run(*args: str, password: str | None = None, new_password: str | None = None, **env: str):  # type: ignore[no-untyped-def]
        envs = dict(env)
        if password is not None:
            envs["CASEINTAKE_PASSWORD"] = password
        if new_password is not None:
            envs["CASEINTAKE_NEW_PASSWORD"] = new_password
        return runner.invoke(app, list(args), env=envs, catch_exceptions=False)

    return run


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def initialised(cli, url: str) -> str:  # type: ignore[no-untyped-def]
    result = cli("init", "--admin", "root", "--db", url, password="amber-violet-72")
    assert result.exit_code == 0, result.output
    result = cli(
        "user",
        "add",
        "lan",
        "--role",
        "operator",
        "--user",
        "root",
        "--db",
        url,
        password="amber-violet-72",
        new_password="one-time-pass-1",
    )
    assert result.exit_code == 0, result.output
    result = cli(
        "user",
        "passwd",
        "--user",
        "lan",
        "--db",
        url,
        password="one-time-pass-1",
        new_password="quiet-harbour-41",
    )
    assert result.exit_code == 0, result.output
    return url
