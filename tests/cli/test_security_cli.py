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
        password="root-password-1",
    )
    assert result.exit_code == 1
    assert "out.fifo" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
