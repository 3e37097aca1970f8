"""Run every benchmark: ``make bench`` (or ``python -m bench NAME`` for one)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    wanted = set(sys.argv[1:])
    here = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if info.name.startswith("bench_") and (
            not wanted or info.name.removeprefix("bench_") in wanted
        ):
            importlib.import_module(f"bench.{info.name}").main()


main()
