"""A decade of the national line, 5,000,000 contacts, built once and measured (issue 11 item 6).

Not part of the suite or of CI: the build takes a quarter of an hour and 6-7 GB here.

```
python -m bench.scale.five_million            # build (or find) national-5000000, then measure
python -m bench.scale.five_million 2000000    # another size, the same way
python -m bench.scale.five_million --stats FILE --verify-alone
    # statistics from a bench_stats JSON made at this size before; verify timed without the
    # bare loop beside it (which checks every signature again: minutes at 5 M)
```

The database comes from ``bench.build_db`` (its cache folder); the reads, the lookup and the
queue (``scale_reads.measure``) and ``audit verify`` (``scale_verify.measure``, one round: a
round is minutes at this size) run on a copy, as the suite runs them, because audited reads
append events. The statistics figures come from ``bench_stats`` at the same size (it builds its
own database of that many contacts). The figures go to ``bench/results/five-million.json``
after each step, so a run cut short keeps what it measured; progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.build_db import BenchDb, build, cache_dir
from bench.common import RESULTS
from bench.scale import reads as scale_reads
from bench.scale import verify as scale_verify
from bench.suite import machine

CONTACTS = 5_000_000
OUT = RESULTS / "five-million.json"


def say(text: str) -> None:
    print(f"[five-million {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def rows_per_table(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def statistics_figures(contacts: int) -> dict[str, Any]:
    """``bench_stats`` at this size, in its own process (its size is read at import); the
    suite's own ``stats.json`` is put back afterwards."""
    mine = RESULTS / "stats.json"
    kept = mine.read_text() if mine.exists() else None
    env = dict(os.environ, BENCH_STATS_CONTACTS=str(contacts))
    try:
        subprocess.run(
            [sys.executable, "-m", "bench.bench_stats"],
            env=env,
            stdout=sys.stderr,
            check=True,
            timeout=3600,
        )
        return dict(json.loads(mine.read_text()))
    finally:
        if kept is not None:
            mine.write_text(kept)


def _save(figures: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2, default=str) + "\n")


def verify_alone(db: BenchDb) -> dict[str, Any]:
    """``audit verify`` on every core, once, without the bare loop of ``scale_verify``."""
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.container import Services

    svc = Services(db.settings())
    admin = svc.auth.login("quantri", NATIONAL_PASSWORD)
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    result = svc.audit.verify(admin, workers=workers)
    seconds = time.perf_counter() - started
    svc.close()
    return {
        "workers": workers,
        "verify_s": seconds,
        "ok": result.ok,
        "events": result.checked,
        "signatures": result.signatures,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale.five_million")
    parser.add_argument("contacts", type=int, nargs="?", default=CONTACTS)
    parser.add_argument(
        "--stats", type=Path, help="a bench_stats JSON made at this size (waited for)"
    )
    parser.add_argument("--verify-alone", action="store_true")
    parser.add_argument("--skip-stats", action="store_true")
    parser.add_argument(
        "--in-place", action="store_true", help="measure the cached file itself (no copy)"
    )
    args = parser.parse_args(argv)
    contacts = args.contacts
    figures: dict[str, Any] = {"machine": machine(), "contacts": contacts}
    say(f"building (or finding) {contacts:,} contacts")
    db = build(contacts)
    info = json.loads(db.path.with_suffix(".json").read_text())
    figures["build"] = {
        "seconds": info["seconds"],
        "cached": db.build_seconds is None,
        "load_average_after": os.getloadavg(),
        "file_bytes": db.path.stat().st_size,
        "cases": info["cases"],
        "rows": rows_per_table(db.path),
    }
    say(f"built in {info['seconds']:.0f} s, {db.path.stat().st_size / 1e9:.2f} GB")
    _save(figures)
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        copy = db
        if not args.in_place:
            target = Path(tmp) / db.path.name
            say("copying for the reads and verify")
            shutil.copyfile(db.path, target)
            copy = BenchDb(target, db.contacts, db.build_seconds)
        figures["measured_on"] = "the cached file" if args.in_place else "a copy"
        say("reads: home, searches, lookup, queue")
        figures["load_average_before_reads"] = os.getloadavg()
        figures["reads"] = scale_reads.measure(copy, rounds=7)
        _save(figures)
        say("statistics")
        figures["load_average_before_stats"] = os.getloadavg()
        if args.skip_stats:
            pass
        elif args.stats is not None:
            while not args.stats.exists():  # a bench_stats run at this size still under way
                time.sleep(10)
            figures["stats"] = json.loads(args.stats.read_text())
            figures["stats_from"] = str(args.stats)
        else:
            figures["stats"] = statistics_figures(contacts)
        _save(figures)
        say("audit verify")
        figures["load_average_before_verify"] = os.getloadavg()
        if args.verify_alone:
            figures["verify_alone"] = verify_alone(copy)
        else:
            figures["verify"] = scale_verify.measure(copy, rounds=1)
    figures["load_average_at_end"] = os.getloadavg()
    _save(figures)
    say(f"written {OUT}")


if __name__ == "__main__":
    main()
