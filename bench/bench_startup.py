"""Launch to a login that accepts a password, on a real database file, against a bare Textual
app reaching the same point with what it needs, in the same run (DESIGN §8: ≤ 1.3×; issue 23:
time to what the user can use, not a first paint).

Measured: the ``caseintake`` command as installed, and ``tui_launch.main`` (the plain launch
without Typer, whose option parsing imports pydantic) for when the console script points there,
each on a database made by ``init`` (the migrations) in the run's folder. Each program starts
as a fresh process on its own pseudo-terminal (100×30), interleaved, after one warm-up each.
The clock stops when the program writes the marker file named by ``CASEINTAKE_BENCH_USABLE``:
ours once the schema's revision is read and checked and Argon2id and AES-GCM are loaded: a
password typed from then on starts its key derivation at once while the services load beside
it (``services/access/early_login.py``, issue 23 item 3); the bare app (a title and a password
field) once it has painted, imported the cryptography a password check needs (Argon2id,
AES-GCM), read the schema's revision (a login must not write to a file of another schema) and
the users table through ``sqlite3``. The first paint alone (``CASEINTAKE_BENCH_PAINTED``,
against a bare app with one Static) is measured too, as before: ``*_paint_*`` in the figures.
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


BARE_USABLE = """
import os, sqlite3, threading
from textual.app import App
from textual.widgets import Input, Static

class Bare(App):
    def compose(self):
        yield Static("caseintake")
        yield Input(password=True)

    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        threading.Thread(target=self.ready, daemon=True).start()

    def ready(self):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
        conn = sqlite3.connect(os.environ["BENCH_DB"])
        # The schema's revision, as any program must check before a login writes to the file.
        conn.execute("SELECT version_num FROM alembic_version").fetchone()
        conn.execute("SELECT count(*) FROM users").fetchone()
        conn.close()
        with open(os.environ["CASEINTAKE_BENCH_USABLE"], "w") as f:
            f.write("usable")
        self.call_from_thread(self.exit)

Bare().run()
"""


def _database(folder: Path) -> Path:
    """A database made by ``init`` (the migrations, an admin); the login is not timed here,
    so the admin's slot takes the test cost."""
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    path = folder / "bench.db"
    svc = Services(Settings(db_url=f"sqlite:///{path}", state_dir=folder / "state"))
    svc.setup.init("quantri", "startup-bench-2026", kdf=KdfCost(256, 1, 1))
    svc.close()
    return path


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


def _medians(
    programs: dict[str, list[str]], env: dict[str, str], marker: Path
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in programs}
    for command in programs.values():  # warm-up: bytecode caches, page cache
        time_to_paint(command, env, marker)
    for _ in range(RUNS):
        for name, command in programs.items():
            times[name].append(time_to_paint(command, env, marker))
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        marker = folder / "marker"
        db = _database(folder)
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "CASEINTAKE_STATE_DIR": str(folder / "state"),
            "BENCH_DB": str(db),
        }
        env.pop("NO_COLOR", None)
        env.pop("CASEINTAKE_BENCH_PAINTED", None)
        bare_usable, bare_paint = folder / "bare_usable.py", folder / "bare_app.py"
        bare_usable.write_text(BARE_USABLE, encoding="utf-8")
        bare_paint.write_text(BARE_APP, encoding="utf-8")
        database = ["--db", f"sqlite:///{db}"]
        fast_entry = "from caseintake.cli.tui_launch import main; main()"
        ours = {
            "caseintake": [str(Path(sys.executable).parent / "caseintake"), *database],
            "tui_launch_main": [sys.executable, "-c", fast_entry, *database],
        }
        usable = _medians(
            {"bare_textual": [sys.executable, str(bare_usable)], **ours},
            {**env, "CASEINTAKE_BENCH_USABLE": str(marker)},
            marker,
        )
        painted = _medians(
            {"bare_textual": [sys.executable, str(bare_paint)], **ours},
            {**env, "CASEINTAKE_BENCH_PAINTED": str(marker)},
            marker,
        )
    figures: dict[str, object] = {"runs": RUNS, "goal": GOAL}
    for label, times in (("", usable), ("paint_", painted)):
        medians = {name: statistics.median(found) for name, found in times.items()}
        bare = medians["bare_textual"]
        for name, median in medians.items():
            figures[f"{name}_{label}s"] = median
        for name in ours:
            figures[f"{name}_{label}ratio"] = medians[name] / bare
            figures[f"{name}_{label}met"] = medians[name] / bare <= GOAL
        for name, found in times.items():
            figures[f"{name}_{label}all_s"] = [round(t, 4) for t in found]
    report("startup", figures)


if __name__ == "__main__":
    main()
