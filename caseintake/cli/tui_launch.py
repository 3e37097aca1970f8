"""The console entry point: open the terminal application (``desk.launch``, the composition
root) or hand the command line to Typer.

``main`` is a console entry point for the plain launch (``caseintake [--db URL] [--lang L]``):
it opens the app without Typer, whose option parsing imports pydantic (about 0.1 s before the
first paint, bench/bench_startup.py), and hands any other command line to Typer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from caseintake.cli.desk import launch

_OPTIONS = ("--db", "--lang")


def plain_launch(argv: Sequence[str]) -> dict[str, str] | None:
    """The options of a plain launch, or None when the command line asks for anything else."""
    found: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, has_value, value = arg.partition("=")
        if name not in _OPTIONS or name in found:
            return None
        if not has_value:
            if not args:
                return None
            value = args.pop(0)
        found[name] = value
    return found


def main() -> None:
    from caseintake.i18n import LANGUAGES, set_language

    options = plain_launch(sys.argv[1:])
    chosen = (options or {}).get("--lang") or os.environ.get("CASEINTAKE_LANG")
    if options is None or (chosen is not None and chosen not in LANGUAGES):
        from caseintake.cli.main import run  # Typer: every command, help and usage errors

        run()
        return
    if chosen:
        set_language(chosen)
    launch(options.get("--db"))
