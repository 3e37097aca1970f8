"""Issue 24's command-line contract for hand-offs, on two real databases (lines 111 and HN,
each its own state folder): send, receive --json, accept, update, receipt, list --json; a
refusal is one sentence and exit 1 with nothing stored; and no name, phone or narrative is
in any package or receipt file in clear (the canary)."""

from __future__ import annotations

import functools
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import typer.testing

from tests.conftest import SUPERVISOR, SUPERVISOR_PW
from tests.services.handoff_fixtures import NAME, NARRATIVE, PHONE, PIN, pair_template

__all__ = ["pair_template"]
# Typer builds the whole command tree for every invocation (~0.4 s here); these tests run a
# dozen commands, so they build it once.
_COMMAND = functools.cache(typer.testing._get_command)


@pytest.fixture(autouse=True)
def _one_command_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.testing, "_get_command", _COMMAND)


def _line(cli: Any, template: Path, tmp_path: Path, code: str) -> Any:
    folder = tmp_path / code
    shutil.copytree(template / code, folder)
    url = f"sqlite:///{folder / 'line.db'}"

    def run(*args: str) -> Any:
        return cli(*args, "--db", url, "--user", SUPERVISOR, password=SUPERVISOR_PW,
                   CASEINTAKE_STATE_DIR=str(folder / "state"))  # fmt: skip

    return run


def _case_number(template: Path) -> str:
    with sqlite3.connect(template / "111" / "line.db") as conn:
        return str(conn.execute("SELECT number FROM cases").fetchone()[0])


def _one_sentence(result: Any) -> bool:
    lines = result.output.strip().splitlines()
    return result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.output


def test_the_loop_and_its_refusals_by_the_command_line(
    cli, pair_template: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    a = _line(cli, pair_template, tmp_path, "111")
    b = _line(cli, pair_template, tmp_path, "HN")
    number = _case_number(pair_template)
    package = tmp_path / "to-hn.cih"
    send = ("handoff", "send", number, "--to", "line-hn", "--out", str(package), "--basis")
    assert _one_sentence(a(*send, "gossip")) and not package.exists()
    sent = a(*send, "legal_duty")
    assert sent.exit_code == 0, sent.output
    changed = bytearray(package.read_bytes())
    changed[-3] ^= 1
    (tmp_path / "changed.cih").write_bytes(bytes(changed))
    assert _one_sentence(b("handoff", "receive", str(tmp_path / "changed.cih")))
    got = b("handoff", "receive", str(package), "--json")
    assert got.exit_code == 0, got.output
    handoff = json.loads(got.output)["id"]
    assert _one_sentence(b("handoff", "receive", str(package), "--json"))  # a replay
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(package, drop / "a.cih")
    folder = b("handoff", "receive-folder", str(drop), "--json")
    assert folder.exit_code == 1  # its one package was taken already
    assert [r["file"] for r in json.loads(folder.stdout)] == ["a.cih"]
    shown = b("handoff", "show", handoff)
    assert json.loads(shown.stdout)["package"]["basis"]["code"] == "legal_duty", shown.output
    receipts = [tmp_path / f"r{i}.cir" for i in range(2)]
    assert b("handoff", "accept", handoff, "--out", str(receipts[0])).exit_code == 0
    step = b("handoff", "update", handoff, "--status", "in_progress", "--out", str(receipts[1]))
    assert step.exit_code == 0, step.output
    for receipt in receipts:
        taken = a("handoff", "receipt", str(receipt))
        assert taken.exit_code == 0, taken.output
    [out] = json.loads(a("handoff", "list", "--json").output)
    assert {k: out[k] for k in ("case_number", "direction", "partner", "status")} == {
        "case_number": number, "direction": "out", "partner": "HN", "status": "in_progress"
    }  # fmt: skip
    [incoming] = json.loads(b("handoff", "list", "--json").output)
    assert (incoming["id"], incoming["direction"], incoming["partner"]) == (handoff, "in", "111")
    assert incoming["status"] == "in_progress" and incoming["case_number"].startswith("PL-")

    # The canary: the words of the case are in the sealed files, never in clear.
    secrets = [NAME, PHONE, "+84912345678", "84912345678", "Người Gọi Canary", NARRATIVE,
               "Canary", number, incoming["case_number"], PIN]  # fmt: skip
    for path in (package, *receipts):
        data = path.read_bytes()
        for secret in secrets:
            for form in (secret.encode("utf-8"), secret.encode("utf-16-le")):
                assert form not in data, (path.name, secret)
