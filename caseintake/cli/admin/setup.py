"""``caseintake init``: a new database with its first admin and recovery key."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.common import DbOption, handles_errors, secret, settings_for
from caseintake.i18n import t


def register(app: typer.Typer) -> None:
    app.command("init")(init)


@handles_errors
def init(
    ctx: typer.Context,
    admin: Annotated[str, typer.Option("--admin")],
    database: DbOption = None,
    line: Annotated[str, typer.Option("--line")] = "111",
    line_name: Annotated[str | None, typer.Option("--line-name")] = None,
) -> None:
    """Create a database: schema, data key, first admin, recovery key (printed once)."""
    from caseintake.services.container import Services, sqlite_path

    settings = settings_for(ctx, database)
    path = sqlite_path(settings.db_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    from caseintake.crypto.line_identity import check_code

    check_code(line)  # before the password is asked for
    password = secret("CASEINTAKE_PASSWORD", t("cli.new_password_prompt"), confirm=True)
    services = Services(settings)
    _principal, recovery = services.setup.init(admin, password, line=line, line_name=line_name)
    typer.echo(t("cli.initialised", url=settings.db_url, admin=admin))
    # The fingerprint first: scripts read the recovery key from the last line.
    typer.echo(t("security.anchor_printed", fingerprint=services.setup.anchor_fingerprint))
    typer.echo(t("cli.recovery_key", key=recovery))
