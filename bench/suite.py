"""``python -m bench [--quick] [--json]``: every bar of DESIGN §8 and issue 11 in one run, each
as a ratio against its baseline measured in the same run.

Databases of 0, 100 k and 1 M contacts (``--quick``: 0 and 100 k) come from the cache folder
(``bench/build_db.py``), built there the first time. Reads, lookups and verify run on a copy, so
the cache stays as built. Progress goes to stderr; ``--json`` prints one object on stdout whose
``bars`` maps each bar to its figure (null, with a reason under ``missing``, when it could not
be measured).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.build_db import BenchDb, build, cache_dir
from bench.common import RESULTS

STATS_CONTACTS = 1_000_000
GOALS = {
    "startup_ratio": "<= 1.3",
    "save_ratio": "<= 3",
    "save_growth": "<= 1.2",
    "home_ratio": "<= 2",
    "search_ratio": "<= 2",
    "lookup_ratio": "<= 2",
    "queue_ratio": "<= 2",
    "stats_ratio": "<= 2",
    "verify_ratio": ">= 0.5",
    "rss_mb": "<= 150",
    "keystrokes": "<= 30",
    "locked_errors": "0",
    "lost_saves": "0",
    "handoff_ratio": "<= 2",
    "case_detail_ratio": "<= 2",
    "number_tail_ratio": "<= 2",
    "page_ratio": "<= 2",
    "queue_totals_ratio": "<= 2",
    "save_p99_ratio": "<= 3",
    "tab_login_s": "<= 0.5",
    "tab_unique_mb": "<= 50",
}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average_at_start": load,
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "platform": platform.platform(),
    }


def _copy(db: BenchDb, folder: Path) -> BenchDb:
    """A copy in a folder of its own: its own state folder too (the audit checkpoints are
    kept there by database id, which every copy of a database shares)."""
    folder.mkdir(exist_ok=True)
    target = folder / db.path.name
    shutil.copyfile(db.path, target)
    os.sync()  # the copy's gigabyte on disk first, not written back under the measurements
    return BenchDb(target, db.contacts, db.build_seconds)


def _module(name: str, setup: Callable[[Any], None] | None = None) -> dict[str, Any]:
    """Run one of the older benchmarks (its output to stderr) and read back its figures."""
    import importlib

    module = importlib.import_module(f"bench.{name}")
    if setup:
        setup(module)
    with contextlib.redirect_stdout(sys.stderr):
        module.main()
    short = name.removeprefix("bench_")
    return dict(json.loads((RESULTS / f"{short}.json").read_text()))


def _rss(db: BenchDb) -> dict[str, Any]:
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD

    out = subprocess.run(
        [sys.executable, "-m", "bench.tui_memory", db.url, "tv001", NATIONAL_PASSWORD],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _tabs(db: BenchDb, folder: Path, missing: dict[str, str]) -> dict[str, Any] | None:
    """``bench_tabs``: a tab's login and memory in Chromium; reported missing, not fatal,
    where Chromium or Playwright is not installed."""
    from bench import bench_tabs

    folder.mkdir(exist_ok=True)
    try:
        return bench_tabs.measure(db, folder)
    except Exception as err:
        missing["tab_login_s"] = missing["tab_unique_mb"] = f"bench_tabs failed: {err}"
        return None


def run(quick: bool) -> dict[str, Any]:
    from bench.scale import reads as scale_reads
    from bench.scale import real_kdf
    from bench.scale import saves as scale_saves
    from bench.scale import verify as scale_verify

    sizes = [0, 100_000] if quick else [0, 100_000, 1_000_000]
    figures: dict[str, Any] = {"machine": machine(), "quick": quick, "sizes": {}}
    missing: dict[str, str] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        work = Path(tmp)
        dbs = {}
        for n in sizes:
            say(f"database of {n:,} contacts")
            dbs[n] = build(n)
        say("saves, every size in each round")
        saves = scale_saves.measure(list(dbs.values()), work, rounds=15)
        for n, db in dbs.items():
            say(f"database of {n:,} contacts")
            at: dict[str, Any] = {"build_seconds": db.build_seconds, "file_mb": None}
            at["file_mb"] = db.path.stat().st_size / 2**20
            at["save"] = saves[n]
            if n:
                copy = _copy(db, work / f"reads-{n}")
                say("  reads")
                at["reads"] = scale_reads.measure(copy, rounds=7)
                say("  verify")
                at["verify"] = scale_verify.measure(copy, rounds=3)
                say("  the real key-derivation cost, logins")
                at["login"] = real_kdf.raise_to_default(copy)
                say("  memory")
                at["memory"] = _rss(copy)
                if n == sizes[-1]:
                    say("  browser tabs (Chromium)")
                    at["tabs"] = _tabs(copy, work / f"tabs-{n}", missing)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy.path}{suffix}").unlink(missing_ok=True)
            figures["sizes"][n] = at
    largest = figures["sizes"][sizes[-1]]
    reads = largest["reads"]
    bars: dict[str, Any] = {
        "save_ratio": max(figures["sizes"][n]["save"]["ratio"] for n in sizes),
        "save_growth": largest["save"]["service"]["median_ms"]
        / figures["sizes"][0]["save"]["service"]["median_ms"],
        "home_ratio": reads["home"]["ratio"],
        "search_ratio": max(v["ratio"] for k, v in reads.items() if k.startswith("search_")),
        "lookup_ratio": reads["lookup"]["ratio"],
        "queue_ratio": reads["queue"]["ratio"],
        "case_detail_ratio": reads["case_detail"]["ratio"],
        "number_tail_ratio": reads["search_number_tail"]["ratio"],
        "page_ratio": max(v["ratio"] for k, v in reads.items() if k.startswith("page_")),
        "queue_totals_ratio": reads["queue_totals"]["ratio"],
        "save_p99_ratio": largest["save"]["run"]["service"]["p99_ratio"],
        "verify_ratio": largest["verify"]["ratio"],
        "rss_mb": largest["memory"]["peak_rss_mb"],
        "tab_login_s": (largest.get("tabs") or {}).get("tab_login_s"),
        "tab_unique_mb": (largest.get("tabs") or {}).get("tab_unique_mb"),
    }
    say("start-up")

    def fewer_runs(module: Any) -> None:
        if quick:
            module.RUNS = 3

    startup = _module("bench_startup", fewer_runs)
    figures["startup"] = startup
    bars["startup_ratio"] = startup["caseintake_ratio"]
    say("statistics")
    if (Path(__file__).parent / "bench_stats.py").exists():
        # DESIGN §8 sets this bar on a year of 1 M contacts, quick or not: its database is
        # plain inserts, built once in the cache (about a minute) and copied for each run.
        os.environ.setdefault("BENCH_STATS_CONTACTS", str(STATS_CONTACTS))
        if quick:
            os.environ.setdefault("BENCH_STATS_QUICK", "1")
        stats = _module("bench_stats")
        figures["stats"] = stats
        ratios = [v for k, v in stats.items() if k.endswith("_ratio") and isinstance(v, float)]
        bars["stats_ratio"] = max(ratios) if ratios else None
        if not ratios:
            missing["stats_ratio"] = "bench_stats reported no ratio"
    else:
        bars["stats_ratio"] = None
        missing["stats_ratio"] = "bench/bench_stats.py (statistics engineer) is not there yet"
    say("keystrokes")
    try:
        keys = _module("bench_keystrokes")
        figures["keystrokes"] = keys
        bars["keystrokes"] = keys["keystrokes"]
    except (Exception, SystemExit) as err:  # another engineer's bench: reported, not fatal
        bars["keystrokes"] = None
        missing["keystrokes"] = f"bench_keystrokes failed: {err}"
    say("hand-off packages")
    handoff = _module("bench_handoff")
    figures["handoff"] = handoff
    bars["handoff_ratio"] = max(handoff["seal_ratio"], handoff["open_ratio"])
    say("20 concurrent operators")
    conc = _module("bench_concurrency")
    figures["concurrency"] = conc
    bars["locked_errors"] = conc["database_is_locked_errors"]
    bars["lost_saves"] = conc["lost_saves"]
    figures["seconds"] = time.perf_counter() - started
    figures["machine"]["load_average_at_end"] = os.getloadavg()[0]
    ordered = {name: bars.get(name) for name in GOALS}
    return {"bars": ordered, "goals": GOALS, "missing": missing, **figures}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 k contacts only, no 1 M")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.quick)
    RESULTS.mkdir(exist_ok=True)
    name = "suite-quick.json" if args.quick else "suite.json"
    text = json.dumps(result, indent=2, default=str)
    (RESULTS / name).write_text(text + "\n")
    if args.json:
        print(text)
        return
    for bar, value in result["bars"].items():
        shown = f"{value:.3f}" if isinstance(value, float) else value
        print(f"{bar:<15} {shown!s:>10}   goal {GOALS[bar]}")
    for bar, why in result["missing"].items():
        print(f"{bar}: {why}")
