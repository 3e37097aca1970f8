"""``python -m bench.chaos``: a long crash-and-tamper run (issue 10, "Done means").

Crash phase: W operator processes save reports, repeat calls and silent calls through the real
services on a fresh database while random ones are SIGKILLed at random moments and restarted; afterwards
every acknowledged save must be in the file and decrypt, no case may be half-written, and
``audit verify`` must say intact in one process and split over two.

Tamper phase: M random mutations of the trail, the users and the checkpoints, each on a fresh
copy of what the crash phase left; each must be named by ``audit verify`` on both paths (and,
for a user row, refused at login).

    python -m bench.chaos                       # 200 kills, 300 mutations, 8 writers
    python -m bench.chaos --kills 500 --mutations 1000
    python -m bench.chaos --seconds 120         # kill for two minutes instead of N kills
    python -m bench.chaos --quick               # 20 kills, 44 mutations
    python -m bench.chaos --json                # one JSON object on stdout

Exit status 1 when a save was lost, garbled or half-written, the trail did not verify after the
crashes, a mutation went undetected, or the two verify paths disagreed. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.chaos.report import failures, summary


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.split("\n")[0])
    p.add_argument("--writers", type=int, default=8, help="operator processes (default 8)")
    p.add_argument("--kills", type=int, help="SIGKILLs to survive (default 200)")
    p.add_argument(
        "--seconds", type=float, help="kill for this long (with --kills: what ends first)"
    )
    p.add_argument(
        "--pace", type=float, default=0.1, help="mean seconds between kills (default 0.1)"
    )
    p.add_argument("--mutations", type=int, default=300, help="tamper mutations (default 300)")
    p.add_argument(
        "--seed",
        type=int,
        help="random seed (printed): the same kill draws and mutations (the file itself "
        "depends on timing)",
    )
    p.add_argument("--quick", action="store_true", help="20 kills and 44 mutations")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.add_argument("--keep", type=Path, help="run in this new folder and keep it")
    args = p.parse_args(argv)
    if args.quick:
        args.kills, args.mutations = 20, 44
    if args.kills is None:
        args.kills = 0 if args.seconds else 200
    if (
        args.writers < 2
        or args.kills < 0
        or args.mutations < 0
        or args.pace <= 0
        or (args.seconds is not None and args.seconds <= 0)
    ):
        p.error(
            "--writers must be at least 2, --kills and --mutations not negative, "
            "--seconds and --pace above 0"
        )
    if not args.kills and not args.seconds:
        p.error("--kills 0 needs --seconds")
    return args


def run(
    folder: Path,
    writers: int,
    kills: int,
    seconds: float | None,
    mutations: int,
    seed: int,
    progress: Any = None,
    pace: float = 0.1,
) -> dict[str, Any]:
    """Both phases in ``folder``; the figures as one dictionary."""
    from bench.chaos.checks import check_saves, check_trail
    from bench.chaos.crash import prepare, run_crash
    from bench.chaos.tamper import run_tamper

    say = progress or (lambda _: None)
    rng = random.Random(seed)
    start = time.monotonic()
    db = prepare(folder, writers)
    bound = ([f"{kills} kills"] if kills else []) + ([f"{seconds:g} s"] if seconds else [])
    say(f"crash: {writers} writers, until {' or '.join(bound)}")
    crash = run_crash(db, kills, seconds, rng, say, pace)
    saves = check_saves(db, crash)
    trail = check_trail(db)
    say(f"tamper: {mutations} mutations")
    # Its own generator: the mutations drawn do not depend on how many kills timing allowed.
    tamper = (
        run_tamper(db, mutations, random.Random(seed + 1), say)
        if mutations
        else {"tried": [], "per_class": {}}
    )
    return {
        "seed": seed,
        "writers": writers,
        "pace": pace,
        "seconds": time.monotonic() - start,
        "crash": {
            "kills": crash.kills,
            "kills_holding_lock": crash.kills_holding_lock,
            "restarts": crash.restarts,
            "seconds": crash.seconds,
            "checkpoints": crash.checkpoints,
            "save_errors": len(crash.errors),
            "error_samples": crash.errors[:5],
            **saves,
            "verify": trail,
        },
        "tamper": {
            "seconds": tamper.get("seconds", 0.0),
            "mutations": len(tamper["tried"]),
            "signed_trail": tamper.get("signed_trail"),
            "per_class": tamper["per_class"],
            # Every attempt that was missed, misnamed, or named differently by the two paths.
            "notable": [
                t
                for t in tamper["tried"]
                if not t["detected"] or not t["named"] or not t["paths_agree"]
            ],
        },
    }


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    progress(f"chaos: seed {seed}")
    plan = (args.writers, args.kills, args.seconds, args.mutations, seed, progress, args.pace)
    if args.keep is not None:
        args.keep.mkdir(parents=True)
        figures = run(args.keep, *plan)
    else:
        with tempfile.TemporaryDirectory(prefix="caseintake-chaos-") as tmp:
            figures = run(Path(tmp), *plan)
    figures["failures"] = failures(figures)
    results = Path(__file__).parents[1] / "results"
    results.mkdir(exist_ok=True)
    (results / "chaos.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
    print(json.dumps(figures, default=str) if args.json else summary(figures))
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
