"""Launch to the login screen painted, against a bare Textual app (one Static), in the same run.

Measured: the ``caseintake`` command as installed, and ``tui_launch.main`` (the plain launch
without Typer, whose option parsing imports pydantic) for when the console script points there.
Each program starts as a fresh process on its own pseudo-terminal (100×30), interleaved, after
one warm-up each. The clock stops when the program writes the marker file named by
``CASEINTAKE_BENCH_PAINTED``, which both do right after their first paint. DESIGN §8: ≤ 1.3×.
"""

from __future__ import annotations

import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

from bench.common import report

RUNS = 9
SIZE = (30, 100)  # rows, columns
GOAL = 1.3

BARE_APP = """
import os
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("caseintake")

    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        with open(os.environ["CASEINTAKE_BENCH_PAINTED"], "w") as f:
            f.write("painted")
        self.exit()

Bare().run()
"""


def _drain(fd: int) -> None:
    """Read the terminal's output so the program never blocks writing it."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def time_to_paint(command: list[str], env: dict[str, str], marker: Path) -> float:
    marker.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
    reader = threading.Thread(target=_drain, args=(master,), daemon=True)
    reader.start()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    try:
        while not marker.exists():
            if proc.poll() is not None:
                raise RuntimeError(f"{command[0]} exited ({proc.returncode}) before painting")
            time.sleep(0.001)
        elapsed = time.perf_counter() - start
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(slave)
        os.close(master)
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        marker = folder / "painted"
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "CASEINTAKE_BENCH_PAINTED": str(marker),
            "CASEINTAKE_STATE_DIR": str(folder / "state"),
        }
        env.pop("NO_COLOR", None)
        bare_script = folder / "bare_app.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        database = ["--db", f"sqlite:///{folder / 'bench.db'}"]
        fast_entry = "from caseintake.cli.tui_launch import main; main()"
        programs = {
            "bare_textual": [sys.executable, str(bare_script)],
            "caseintake": [str(Path(sys.executable).parent / "caseintake"), *database],
            "tui_launch_main": [sys.executable, "-c", fast_entry, *database],
        }
        times: dict[str, list[float]] = {name: [] for name in programs}
        for command in programs.values():  # warm-up: bytecode caches, page cache
            time_to_paint(command, env, marker)
        for _ in range(RUNS):
            for name, command in programs.items():
                times[name].append(time_to_paint(command, env, marker))
    medians = {name: statistics.median(found) for name, found in times.items()}
    bare = medians["bare_textual"]
    figures: dict[str, object] = {"runs": RUNS, "goal": GOAL}
    for name, median in medians.items():
        figures[f"{name}_s"] = median
    for name in ("caseintake", "tui_launch_main"):
        figures[f"{name}_ratio"] = medians[name] / bare
        figures[f"{name}_met"] = medians[name] / bare <= GOAL
    for name, found in times.items():
        figures[f"{name}_all_s"] = [round(t, 4) for t in found]
    report("startup", figures)


if __name__ == "__main__":
    main()
