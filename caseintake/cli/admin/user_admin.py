"""``caseintake user enable|role`` (issue 10, the admin's desk), beside ``user add|disable``."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.common import (
    DbOption,
    UserOption,
    given_text,
    handles_errors,
    login,
    open_services,
)
from caseintake.cli.terminal_text import escaped
from caseintake.domain.errors import role_label
from caseintake.i18n import t


def register(app: typer.Typer) -> None:
    app.command("enable")(enable)
    app.command("role")(role)


@handles_errors
def enable(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Enable a disabled user (admin, signed and audited)."""
    services = open_services(ctx, database)
    services.users.enable(login(services, user), given_text("NAME", name))
    typer.echo(t("admin.users.enabled", name=escaped(name)))


@handles_errors
def role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    new_role: Annotated[str, typer.Option("--role")],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Change a user's role (admin, signed and audited; never your own)."""
    services = open_services(ctx, database)
    chosen = given_text("--role", new_role)
    services.users.change_role(login(services, user), given_text("NAME", name), chosen)
    typer.echo(t("admin.users.role_changed", name=escaped(name), role=role_label(chosen)))
