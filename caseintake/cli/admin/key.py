"""``caseintake key rotate|rotate-recovery``: a new data key version for every field, and a
new recovery key (admin; issue 10, the admin's desk)."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from caseintake.cli.common import (
    DbOption,
    UserOption,
    fail,
    handles_errors,
    login,
    open_services,
    secret,
)
from caseintake.i18n import t


class _OneSentenceGroup(TyperGroup):
    """An unknown subcommand is a wrong input like any other: one sentence, exit 1."""

    # Typer carries its own click: the types stay ``Any`` so that nothing imports the
    # separate ``click`` package, which an installed wheel does not have.
    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise fail(t("keys.unknown_command", name=name, commands=", ".join(self.commands)))
        return super().resolve_command(ctx, args)


app = typer.Typer(
    no_args_is_help=True,
    cls=_OneSentenceGroup,
)


def _services(services: Any) -> tuple[Any, Any]:
    from caseintake.services.keys import KeyRotationService, RecoveryRotationService

    args = (services.db, services.settings, services.audit_log)
    return KeyRotationService(*args), RecoveryRotationService(*args)


@app.command("rotate")
@handles_errors
def rotate(ctx: typer.Context, user: UserOption, database: DbOption = None) -> None:
    """Re-encrypt every field under a new data key version, in batches, while others work;
    run it again to resume one that was stopped."""
    services = open_services(ctx, database)
    admin = login(services, user)
    rotation, _recovery = _services(services)
    admin.require("admin")
    unfinished = rotation.unfinished()
    if unfinished is not None:
        typer.echo(t("keys.rotation_resumed", to_version=unfinished[1]))
    shown = [0]

    def progress(fields: int) -> None:
        if fields - shown[0] >= 5000:
            shown[0] = fields
            typer.echo(t("keys.rotation_progress", fields=fields))

    result = rotation.rotate(admin, progress)
    if not result.resumed:
        typer.echo(
            t(
                "keys.rotation_started",
                from_version=result.from_version,
                to_version=result.to_version,
                slots=result.slots_sealed,
            )
        )
    if result.disabled_left:
        typer.echo(t("keys.rotation_disabled_left", names=", ".join(result.disabled_left)))
    typer.echo(t("keys.rotation_finished", to_version=result.to_version, fields=result.fields))


@app.command("rotate-recovery")
@handles_errors
def rotate_recovery(ctx: typer.Context, user: UserOption, database: DbOption = None) -> None:
    """Replace the recovery key (the current one, $CASEINTAKE_RECOVERY_KEY, is needed); the
    new one is printed once, on the last line."""
    from caseintake.services.audit import current_anchor

    services = open_services(ctx, database)
    admin = login(services, user)
    admin.require("admin")
    current = secret("CASEINTAKE_RECOVERY_KEY", t("keys.current_recovery_prompt"))
    _rotation, recovery = _services(services)
    fresh = recovery.rotate(admin, current)
    with services.db.read() as s:
        anchor = current_anchor(s, services.settings.state_dir)
    typer.echo(t("keys.recovery_rotated", fingerprint=anchor.fingerprint if anchor else "-"))
    typer.echo(t("keys.recovery_new_key", key=fresh))
