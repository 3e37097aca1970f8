"""Issue 10 item 8: a crash in the TUI restores the terminal, prints one sentence, exits
non-zero, and shows no local variables (which hold case text) on screen or in the scrollback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CRASHING_APP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from textual.app import App
    from caseintake.i18n import set_language
    from caseintake.tui.crash_guard import guarded

    class Boom(App):
        def on_mount(self) -> None:
            narrative = "CANARY-NARRATIVE Nguyễn Văn A 0912345678"
            raise ValueError("markup [/closetag] " + narrative[:0])

    set_language("en")
    cls = guarded(Boom)
    cls.crash_log = Path(sys.argv[1])
    app = cls()
    app.run(headless=True)
    sys.exit(app.return_code or 0)
    """
)


def test_crash_prints_one_sentence_no_locals_and_exits_non_zero(tmp_path: Path) -> None:
    log = tmp_path / "state" / "crash.log"
    env = {**os.environ, "TEXTUAL": ""}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_APP, str(log)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).parents[2],
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1
    assert "CANARY" not in out and "Traceback" not in out and "narrative" not in out
    assert "stopped on an unexpected error" in out
    assert (
        len([line for line in done.stderr.splitlines() if line.strip()]) <= 3
    )  # one sentence, wrapped
    logged = log.read_text()
    assert "ValueError" in logged and "on_mount" in logged and "CANARY" not in logged
    assert (log.stat().st_mode & 0o777) == 0o600


def test_launch_exits_non_zero_after_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseintake.cli import tui_launch
    from caseintake.tui.app import CaseIntakeApp
    from caseintake.tui.crash_guard import CrashGuard, guarded

    def crashed_run(self: CaseIntakeApp) -> None:
        assert isinstance(self, CrashGuard)  # the app the launcher runs is the guarded one
        self._return_code = 1

    monkeypatch.setattr(CaseIntakeApp, "run", crashed_run)
    monkeypatch.setenv("CASEINTAKE_STATE_DIR", str(tmp_path / "state"))
    with pytest.raises(SystemExit) as exit_:
        tui_launch.launch(f"sqlite:///{tmp_path / 'x.db'}")
    assert exit_.value.code == 1
    assert guarded(CaseIntakeApp).__name__ == "CaseIntakeApp"
