"""Issue 24, transport, by the command line: ``directory set-folder`` (admin; a bad path one
sentence, exit 1), ``handoff send`` without ``--out`` into the partner's drop folder (none
configured: one sentence, exit 1), ``handoff poll --json`` at the other line, ``accept`` without
``--out`` and ``poll`` back at the sender; ``--clear``. (What poll refuses and where it
puts it: tests/services/test_handoff_drop_folders.py.)"""

from __future__ import annotations

import functools
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import typer.testing

from tests.conftest import ADMIN, ADMIN_PW, SUPERVISOR, SUPERVISOR_PW
from tests.services.handoff_fixtures import pair_template

__all__ = ["pair_template"]
_COMMAND = functools.cache(typer.testing._get_command)


@pytest.fixture(autouse=True)
def _one_command_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.testing, "_get_command", _COMMAND)


def _line(cli: Any, template: Path, tmp_path: Path, code: str) -> Any:
    folder = tmp_path / code
    shutil.copytree(template / code, folder)
    url = f"sqlite:///{folder / 'line.db'}"

    def run(*args: str, admin: bool = False, user: bool = True) -> Any:
        name, password = (ADMIN, ADMIN_PW) if admin else (SUPERVISOR, SUPERVISOR_PW)
        who = ("--user", name) if user else ()
        return cli(*args, "--db", url, *who, password=password,
                   CASEINTAKE_STATE_DIR=str(folder / "state"))  # fmt: skip

    return run


def _one_sentence(result: Any) -> bool:
    lines = result.output.strip().splitlines()
    return result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.output


def test_set_folder_send_and_poll_by_the_command_line(
    cli, pair_template: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    a = _line(cli, pair_template, tmp_path, "111")
    b = _line(cli, pair_template, tmp_path, "HN")
    with sqlite3.connect(pair_template / "111" / "line.db") as conn:
        number = str(conn.execute("SELECT number FROM cases").fetchone()[0])
    send = ("handoff", "send", number, "--to", "line-hn", "--basis", "legal_duty", "--json")
    assert _one_sentence(a(*send))  # no drop folder and no --out
    assert _one_sentence(a("directory", "set-folder", "line-hn", str(tmp_path / "no"), admin=True))
    assert _one_sentence(a("directory", "set-folder", "line-hn", admin=True))  # PATH or --clear
    shared = tmp_path / "shared"
    shared.mkdir()
    done = a("directory", "set-folder", "line-hn", str(shared), admin=True)
    assert done.exit_code == 0 and str(shared) in done.output, done.output
    assert b("directory", "set-folder", "line-111", str(shared), admin=True).exit_code == 0

    sent = a(*send)
    assert sent.exit_code == 0, sent.output
    package = Path(json.loads(sent.output)["file"])
    assert package.parent == shared and package.name.startswith("111-to-HN-")

    polled = b("handoff", "poll", "--json")
    assert polled.exit_code == 0, polled.output
    [got] = json.loads(polled.stdout)["files"]
    assert (got["kind"], got["from"], got["refused"]) == ("package", "111", None)
    accepted = b("handoff", "accept", got["id"], "--json")
    assert accepted.exit_code == 0, accepted.output
    assert Path(json.loads(accepted.output)["file"]).parent == shared

    back = a("handoff", "poll")
    assert back.exit_code == 0 and "1" in back.stdout, back.output
    assert [p.parent.name for p in shared.glob("*/*.ci?")] == ["done", "done"]

    assert a("directory", "set-folder", "line-hn", "--clear", admin=True).exit_code == 0
    assert json.loads(a("directory", "folders", "--json", user=False).output) == []
