"""``caseintake line show|card``: this line's code, name and fingerprint, and its public card
(issue 24 item 1). Both read only public values: no user logs in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseintake.cli.common import DbOption, handles_errors, open_services
from caseintake.cli.json_out import echo_json, plain
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)


@app.command("show")
@handles_errors
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    database: DbOption = None,
) -> None:
    """The line's code, name and the fingerprint partners read out by phone."""
    services = open_services(ctx, database)
    info = services.line.show()
    if as_json:
        echo_json({"code": info.code, "name": info.name, "fingerprint": info.fingerprint})
        return
    typer.echo(t("line.show", code=info.code, name=plain(info.name), fingerprint=info.fingerprint))


@app.command("card")
@handles_errors
def card(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out")],
    database: DbOption = None,
) -> None:
    """Write the public card (name, code, public keys, self-signed) to a new file."""
    services = open_services(ctx, database)
    written = services.line.write_card(out)
    typer.echo(t("line.card_written", path=str(out), fingerprint=written.fingerprint))
