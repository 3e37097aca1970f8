"""``caseintake security show|set``: lockout and key derivation cost, kept in the database and
changed only by an admin, each change audited (issue 10 items 6, 7)."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)


def _service(services: object) -> object:
    from caseintake.services.access import SecuritySettingsService

    s: object = services
    return SecuritySettingsService(s.db, s.settings, s.audit_log)  # type: ignore[attr-defined]


def _print(values: dict[str, int]) -> None:
    for key, value in values.items():
        typer.echo(t(f"security.setting_{key}", value=value))


@app.command("show")
@handles_errors
def show(ctx: typer.Context, user: UserOption, database: DbOption = None) -> None:
    """Show the lockout and the key derivation cost of new key slots."""
    services = open_services(ctx, database)
    _print(_service(services).show(login(services, user)))  # type: ignore[attr-defined]


@app.command("set")
@handles_errors
def set_(
    ctx: typer.Context,
    user: UserOption,
    lockout_failures: Annotated[int | None, typer.Option()] = None,
    lockout_window: Annotated[int | None, typer.Option()] = None,
    lockout_duration: Annotated[int | None, typer.Option()] = None,
    kdf_memory_kib: Annotated[int | None, typer.Option()] = None,
    kdf_iterations: Annotated[int | None, typer.Option()] = None,
    checkpoint_every_events: Annotated[int | None, typer.Option()] = None,
    checkpoint_every_minutes: Annotated[int | None, typer.Option()] = None,
    database: DbOption = None,
) -> None:
    """Change them (admin); key slots follow the new cost at their owner's next login."""
    services = open_services(ctx, database)
    admin = login(services, user)
    values = _service(services).change(  # type: ignore[attr-defined]
        admin,
        lockout_failures=lockout_failures,
        lockout_window_minutes=lockout_window,
        lockout_duration_minutes=lockout_duration,
        kdf_memory_kib=kdf_memory_kib,
        kdf_iterations=kdf_iterations,
        checkpoint_every_events=checkpoint_every_events,
        checkpoint_every_minutes=checkpoint_every_minutes,
    )
    _print(values)
