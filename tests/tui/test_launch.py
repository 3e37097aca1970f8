"""The plain launch: its command line, and nothing heavy loaded before the login screen shows."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from caseintake.cli.tui_launch import plain_launch

PAINT_THEN_REPORT = """
import atexit, sys
from pathlib import Path
out = Path(sys.argv.pop())
heavy = ("sqlalchemy", "cryptography", "alembic", "typer", "pydantic", "openpyxl", "reportlab",
         "caseintake.store.models", "caseintake.services.container")
atexit.register(lambda: out.write_text(" ".join(m for m in heavy if m in sys.modules)))
from caseintake.cli.tui_launch import main
main()
"""


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        ([], {}),
        (["--db", "sqlite:///x.db"], {"--db": "sqlite:///x.db"}),
        (["--db=sqlite:///x.db", "--lang", "en"], {"--db": "sqlite:///x.db", "--lang": "en"}),
        (["--db"], None),
        (["--db", "a", "--db", "b"], None),
        (["--help"], None),
        (["user", "list"], None),
    ],
)
def test_plain_launch_or_typer(argv: list[str], options: dict[str, str] | None) -> None:
    assert plain_launch(argv) == options


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_login_paints_before_the_database_stack_loads(tmp_path: Path) -> None:
    from bench.bench_startup import time_to_paint

    marker, report = tmp_path / "painted", tmp_path / "modules"
    env = {**os.environ, "CASEINTAKE_BENCH_PAINTED": str(marker), "TERM": "xterm-256color"}
    command = [sys.executable, "-c", PAINT_THEN_REPORT, "--db", "sqlite:///x.db", str(report)]
    time_to_paint(command, env, marker)
    assert report.read_text() == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_a_login_accepts_a_password_before_the_database_stack_loads(
    tmp_path: Path, services: object
) -> None:
    """Issue 23 item 3: on a real database at the schema's head, the launch is ready to check
    a password (the schema read, the crypto loaded: early_login.py) with neither SQLAlchemy,
    the models, Alembic nor the services imported; the login's own test is test_login.py."""
    from bench.bench_startup import time_to_paint

    marker, report = tmp_path / "usable", tmp_path / "modules"
    env = {
        **os.environ,
        "CASEINTAKE_BENCH_USABLE": str(marker),
        "TERM": "xterm-256color",
        "CASEINTAKE_STATE_DIR": str(tmp_path / "state"),
    }
    url = services.settings.db_url  # type: ignore[attr-defined]
    time_to_paint([sys.executable, "-c", PAINT_THEN_REPORT, "--db", url, str(report)], env, marker)
    assert report.read_text() == "cryptography"
