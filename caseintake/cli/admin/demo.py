"""``caseintake demo``: a demo database to try the product on."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.common import DbOption, handles_errors, settings_for
from caseintake.domain.errors import role_label
from caseintake.i18n import t


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


@handles_errors
def demo(
    ctx: typer.Context,
    database: DbOption = None,
    contacts: Annotated[int, typer.Option(min=0, max=100_000)] = 400,
) -> None:
    """Create a demo database with users, the directory and realistic contacts."""
    from caseintake.services.bulk import build_demo
    from caseintake.services.container import Services, sqlite_path

    settings = settings_for(ctx, database)
    path = sqlite_path(settings.db_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    services = Services(settings)
    result = build_demo(services, contacts)
    typer.echo(
        t("cli.demo_built", url=settings.db_url, contacts=result.contacts, cases=result.cases)
    )
    for name, role, password in result.users:  # the role in words, as every screen names it
        typer.echo(f"  {name:10} {role_label(role)!s:15} {password}")
    services.close()
