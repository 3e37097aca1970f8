"""``caseintake directory add|edit|retire|search`` (issue 10, the admin's desk)."""

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
from caseintake.cli.terminal_text import escaped, table_row
from caseintake.i18n import t

Field = Annotated[str | None, typer.Option()]


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("edit")(edit)
    app.command("retire")(retire)
    app.command("search")(search)


def _fields(**values: str | None) -> dict[str, object]:
    return {
        k: given_text(f"--{k.replace('_', '-')}", v) for k, v in values.items() if v is not None
    }


@handles_errors
def add(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument()],
    body: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option()],
    user: UserOption,
    province_code: Field = None,
    ward_code: Field = None,
    phones: Annotated[str | None, typer.Option()] = None,
    email: Field = None,
    hours: Field = None,
    source: Field = None,
    database: DbOption = None,
) -> None:
    """Add a directory entry (admin, audited)."""
    fields = _fields(
        id=entry_id, body=body, name=name, province_code=province_code, ward_code=ward_code,
        phones=phones, email=email, hours=hours, source=source,
    )  # fmt: skip
    services = open_services(ctx, database)
    entry = services.directory_admin.add(login(services, user), fields)
    typer.echo(t("admin.directory.added", id=entry.id))


@handles_errors
def edit(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument()],
    user: UserOption,
    body: Field = None,
    name: Field = None,
    province_code: Field = None,
    ward_code: Field = None,
    phones: Field = None,
    email: Field = None,
    hours: Field = None,
    source: Field = None,
    database: DbOption = None,
) -> None:
    """Change fields of an entry; referrals already sent keep the version they were sent to."""
    changes = _fields(
        body=body, name=name, province_code=province_code, ward_code=ward_code, phones=phones,
        email=email, hours=hours, source=source,
    )  # fmt: skip
    if not changes:
        from caseintake.domain.errors import DomainError

        raise DomainError("admin.directory.no_fields")
    services = open_services(ctx, database)
    result = services.directory_admin.edit(
        login(services, user), given_text("ENTRY_ID", entry_id), changes
    )
    typer.echo(t("admin.directory.edited", id=result.entry.id, version=result.version))


@handles_errors
def retire(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Retire an entry: no longer routed to; referrals made to it stay as they were."""
    services = open_services(ctx, database)
    services.directory_admin.retire(login(services, user), given_text("ENTRY_ID", entry_id))
    typer.echo(t("admin.directory.retired", id=escaped(entry_id)))


@handles_errors
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument()] = "",
    retired: Annotated[bool, typer.Option("--retired")] = False,
    database: DbOption = None,
) -> None:
    """Search the directory (not secret: no login); one tab-separated line per entry."""
    services = open_services(ctx, database)
    for found in services.directory_admin.search(given_text("TEXT", text), include_retired=retired):
        e = found.entry
        area = e.ward_code or e.province_code or "VN"
        state = "retired" if found.retired else f"v{found.version}"
        cells = (e.id, e.body, str(area), e.name, ", ".join(e.phones), e.hours, state)
        typer.echo(table_row(cells, phones=4))
