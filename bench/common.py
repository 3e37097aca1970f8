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


def paired(
    ours: Callable[[], object], baseline: Callable[[], object], rounds: int = 7
) -> dict[str, Any]:
    """Ours against its baseline, interleaved round by round after one warm-up each, so both
    see the same machine; the ratio is of the medians."""
    ours()
    baseline()
    a, b = [], []
    for _ in range(rounds):
        a.append(timed(ours))
        b.append(timed(baseline))
    return {
        "rounds": rounds,
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
