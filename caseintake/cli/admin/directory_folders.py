"""``caseintake directory set-folder|folders`` (issue 24, transport): the drop folder an admin
configures for a partner line, that hand-offs are written into and read from by the app."""

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
from caseintake.cli.json_out import echo_json, iso
from caseintake.cli.terminal_text import escaped, table_row
from caseintake.i18n import t


def register(app: typer.Typer) -> None:
    app.command("set-folder")(set_folder)
    app.command("folders")(folders)


@handles_errors
def set_folder(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument()],
    user: UserOption,
    path: Annotated[str | None, typer.Argument()] = None,
    clear: Annotated[bool, typer.Option("--clear")] = False,
    database: DbOption = None,
) -> None:
    """Set (or clear) a partner line's drop folder (admin, audited)."""
    from caseintake.domain.errors import DomainError

    entry = given_text("ENTRY_ID", entry_id)
    if clear == (path is not None):  # exactly one of PATH and --clear
        raise DomainError("handoff_folders.path_or_clear")
    services = open_services(ctx, database)
    admin = login(services, user)
    if clear:
        services.drop_folders.clear(admin, entry)
        typer.echo(t("handoff_folders.cleared", id=escaped(entry)))
        return
    kept = services.drop_folders.set_folder(admin, entry, given_text("PATH", path or ""))
    typer.echo(t("handoff_folders.set", id=escaped(entry), path=escaped(str(kept))))


@handles_errors
def folders(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    database: DbOption = None,
) -> None:
    """The partner lines' drop folders (public: no login)."""
    services = open_services(ctx, database)
    found = services.drop_folders.folders()
    if as_json:
        echo_json([{"id": f.directory_id, "path": str(f.path), "set_at": iso(f.set_at),
                    "set_by": f.set_by} for f in found])  # fmt: skip
        return
    for f in found:
        typer.echo(table_row((f.directory_id, str(f.path), f.set_by)))
