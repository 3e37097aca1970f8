"""Timing and reporting helpers shared by the benchmarks."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The median wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def min_median(times: list[float]) -> dict[str, float]:
    """Milliseconds: the fastest and the median of the rounds."""
    return {"min_ms": min(times) * 1000, "median_ms": statistics.median(times) * 1000}


ROUND_S = 0.02  # a round of a sub-millisecond call repeats it for about this long


def paired(
    ours: Callable[[], object], baseline: Callable[[], object], rounds: int = 7
) -> dict[str, Any]:
    """Ours against its baseline, interleaved round by round after one warm-up each, so both
    see the same machine; the ratio is of the medians. A call shorter than a round's
    ``ROUND_S`` is repeated within each round (the same count on both sides) and its time is
    the round's divided by the count, so a 20 µs probe is not measured against the clock's and
    the scheduler's noise."""
    ours(), baseline()  # the warm-up: caches filled, statements prepared
    slowest = max(timed(ours), timed(baseline))  # sized warm, or a cold first call sets it
    calls = max(1, min(1000, int(ROUND_S / max(slowest, 1e-6))))

    def per_call(fn: Callable[[], object]) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        return (time.perf_counter() - start) / calls

    a, b = [], []
    for _ in range(rounds):
        a.append(per_call(ours))
        b.append(per_call(baseline))
    return {
        "rounds": rounds,
        "calls_per_round": calls,
        "ours": min_median(a),
        "baseline": min_median(b),
        "ratio": statistics.median(a) / statistics.median(b),
    }


def report(name: str, figures: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    figures = {"bench": name, "python": platform.python_version(), **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
    width = max(len(k) for k in figures)
    print(f"== {name}")
    for key, value in figures.items():
        if key != "bench":
            shown = f"{value:,.3f}" if isinstance(value, float) else value
            print(f"  {key:<{width}}  {shown}")
