"""Issue 20 item 4: each CLI command that wrote signs the head when it ends; one that wrote
nothing signs nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.conftest import OPERATOR_PW
from tests.samples import design_example


def events(url: str) -> list[tuple[int, str]]:
    engine = create_engine(url)
    with engine.connect() as c:
        rows = c.execute(text("SELECT seq, action FROM audit_events ORDER BY seq")).all()
    engine.dispose()
    return [(int(seq), str(action)) for seq, action in rows]


def checkpoints(tmp_path: Path) -> list[int]:
    return sorted(int(p.stem) for p in (tmp_path / "state").rglob("0*.json"))


def test_a_command_that_wrote_signs_the_head(cli: Any, initialised: str, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(design_example()), encoding="utf-8")
    saved = cli("intake", str(path), "--user", "lan", "--db", initialised, password=OPERATOR_PW)
    assert saved.exit_code == 0, saved.output
    trail = events(initialised)
    assert trail[-1][1] == "checkpoint_written"  # the command's own last word
    saved_at = max(seq for seq, action in trail if action != "checkpoint_written")
    assert max(checkpoints(tmp_path)) >= saved_at
    # A command that is refused writes nothing of the operator's and signs nothing new.
    kept = checkpoints(tmp_path)
    bad = cli("intake", str(tmp_path / "none.json"), "--user", "lan", "--db", initialised,
              password=OPERATOR_PW)  # fmt: skip
    assert bad.exit_code != 0 and checkpoints(tmp_path) == kept
