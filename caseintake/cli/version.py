"""``caseintake --version``: the version of the installed distribution, read from its metadata
(the wheel's, or the editable install's in a checkout), so it never disagrees with pip."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

DISTRIBUTION = "caseintake"


def installed_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def show_version(value: bool) -> None:
    """Eager: prints and exits before any other option or command is looked at."""
    if value:
        typer.echo(f"{DISTRIBUTION} {installed_version()}")
        raise typer.Exit()


VersionOption = Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True)]
