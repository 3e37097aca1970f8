"""``caseintake user add|passwd|disable|list|reset``."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.common import (
    DbOption,
    UserOption,
    env_text,
    given_text,
    handles_errors,
    login,
    open_services,
    secret,
)
from caseintake.cli.terminal_text import escaped
from caseintake.domain.errors import role_label
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)


@app.command("add")
@handles_errors
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Add a user with a one-time password ($CASEINTAKE_NEW_PASSWORD, or generated, shown once)."""
    services = open_services(ctx, database)
    admin = login(services, user)
    given = env_text("CASEINTAKE_NEW_PASSWORD")
    otp = services.users.add(admin, given_text("NAME", name), given_text("--role", role), given)
    typer.echo(t("cli.user_added", name=name, role=role_label(role)))
    if given is None:
        typer.echo(t("cli.one_time_password", password=otp))


@app.command("passwd")
@handles_errors
def passwd(ctx: typer.Context, user: UserOption, database: DbOption = None) -> None:
    """Change your password (current: $CASEINTAKE_PASSWORD, new: $CASEINTAKE_NEW_PASSWORD)."""
    services = open_services(ctx, database)
    current = secret("CASEINTAKE_PASSWORD", t("cli.password_prompt"))
    new = secret("CASEINTAKE_NEW_PASSWORD", t("cli.new_password_prompt"), confirm=True)
    services.auth.change_password(given_text("--user", user), current, new)
    typer.echo(t("cli.password_changed", name=user))


@app.command("disable")
@handles_errors
def disable(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Disable a user: they can no longer log in; their records stay."""
    services = open_services(ctx, database)
    services.users.disable(login(services, user), given_text("NAME", name))
    typer.echo(t("cli.user_disabled", name=name))


@app.command("list")
@handles_errors
def list_users(ctx: typer.Context, user: UserOption, database: DbOption = None) -> None:
    """List users, roles and state."""
    services = open_services(ctx, database)
    for info in services.users.list(login(services, user)):
        flags = [
            f
            for f, on in (
                ("disabled", info.disabled),
                ("one-time-password", info.must_change_password),
                ("locked", info.locked),
            )
            if on
        ]
        typer.echo(f"{escaped(info.name)}\t{info.role}\t{','.join(flags) or 'active'}")


@app.command("reset")
@handles_errors
def reset(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    database: DbOption = None,
) -> None:
    """Give a user a new one-time password using the recovery key ($CASEINTAKE_RECOVERY_KEY)."""
    services = open_services(ctx, database)
    recovery = services.auth.recover(secret("CASEINTAKE_RECOVERY_KEY", t("cli.recovery_prompt")))
    otp = services.users.reset_with_recovery(recovery, given_text("NAME", name))
    typer.echo(t("cli.one_time_password", password=otp))
