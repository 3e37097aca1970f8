"""``caseintake case erase NUMBER`` and ``caseintake retention show|set|sweep`` (admin)."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.common import (
    DbOption,
    UserOption,
    fail,
    given_text,
    handles_errors,
    login,
    open_services,
)
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)


def register(case_app: typer.Typer) -> None:
    case_app.command("erase")(erase)


def _erased_sentence(result: object) -> str:
    number, fields, compacted = (getattr(result, k) for k in ("number", "fields", "compacted"))
    if getattr(result, "pending", False):  # not done while the file still holds it (issue 20)
        return t("access_checks.erasure_pending", number=number, fields=fields)
    key = "admin.retention.erased" if compacted else "admin.retention.erased_not_compacted"
    return t(key, number=number, fields=fields)


@handles_errors
def erase(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Destroy a closed case's encrypted content for good; its audit events stay."""
    services = open_services(ctx, database)
    result = services.retention.erase(login(services, user), given_text("NUMBER", number))
    if result.pending:
        raise fail(_erased_sentence(result))
    typer.echo(_erased_sentence(result))


@app.command("show")
@handles_errors
def show(ctx: typer.Context, database: DbOption = None) -> None:
    """The retention period (none by default)."""
    days = open_services(ctx, database).retention.period()
    typer.echo(
        t("admin.retention.period_none")
        if days is None
        else t("admin.retention.period_days", days=days)
    )


@app.command("set")
@handles_errors
def set_period(
    ctx: typer.Context,
    days: Annotated[str, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Set the retention period (admin, audited)."""
    from caseintake.domain.errors import DomainError
    from caseintake.services.admin import MAX_DAYS

    text = given_text("DAYS", days).strip().lower()
    if text == "none":
        value = None
    elif text.isascii() and text.isdigit() and len(text) <= 6:
        value = int(text)
    else:
        raise DomainError("admin.retention.bad_days", max=MAX_DAYS)
    services = open_services(ctx, database)
    services.retention.set_period(login(services, user), value)
    typer.echo(t("admin.retention.set"))


@app.command("sweep")
@handles_errors
def sweep(ctx: typer.Context, user: UserOption, database: DbOption = None) -> None:
    """Erase the content of every closed case past the retention period."""
    services = open_services(ctx, database)
    done = services.retention.sweep(login(services, user))
    for result in done:
        typer.echo(_erased_sentence(result))
    if any(result.pending for result in done):
        raise fail(t("admin.retention.swept", n=len(done)))
    typer.echo(t("admin.retention.swept", n=len(done)))
