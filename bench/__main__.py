"""``python -m bench [--quick] [--json]``: the whole suite (``bench/suite.py``);
``python -m bench NAME...``: only the named ``bench_NAME`` modules, as before."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    args = sys.argv[1:]
    if not args or all(a.startswith("-") for a in args):
        from bench.suite import main as suite

        suite(args)
        return
    here = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if info.name.startswith("bench_") and info.name.removeprefix("bench_") in args:
            importlib.import_module(f"bench.{info.name}").main()


main()
