"""``caseintake directory import|list`` and ``caseintake rules check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.cli.files import read_text
from caseintake.cli.terminal_text import escaped, table_row
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)
rules_app = typer.Typer(no_args_is_help=True)


@app.command("import")
@handles_errors
def import_csv(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
    preview: Annotated[bool, typer.Option("--preview")] = False,
) -> None:
    """Add or update directory entries from a CSV file (all rows or none)."""
    text = read_text(file)
    services = open_services(ctx, database)
    if preview:  # issue 10: every new and changed entry, before anything is written
        shown = services.directory_admin.preview_import(text)
        for e in shown.added:
            typer.echo("\t".join(escaped(c) for c in ("+", e.id, e.name, ", ".join(e.phones))))
        for old, new in shown.changed:
            typer.echo("\t".join(escaped(c) for c in ("~", old.id, old.name, "->", new.name)))
        n = (len(shown.added), len(shown.changed), shown.unchanged)
        typer.echo(t("admin.directory.preview", added=n[0], changed=n[1], unchanged=n[2]))
        return
    done = services.directory_admin.import_csv(login(services, user), text, file.name)
    typer.echo(t("directory.imported", added=len(done.added), updated=len(done.changed)))


@app.command("list")
@handles_errors
def list_entries(
    ctx: typer.Context,
    database: DbOption = None,
    body: Annotated[str | None, typer.Option()] = None,
    province: Annotated[int | None, typer.Option()] = None,
) -> None:
    """List the directory (not secret: no login needed); one tab-separated line per entry."""
    services = open_services(ctx, database)
    for e in services.directory.list(body, province):
        area = e.ward_code or e.province_code or "VN"
        cells = (e.id, e.body, str(area), e.name, ", ".join(e.phones), e.hours or "")
        typer.echo(table_row(cells, phones=4))


@rules_app.command("check")
@handles_errors
def check(
    file: Annotated[Path | None, typer.Argument()] = None,
) -> None:
    """Validate a routing rules file: unknown codes, unreachable rules, missing basis."""
    from caseintake.domain.routing.rules_check import check_rules, has_errors

    if file is not None:
        read_text(file)  # one sentence for a missing or unreadable file
    problems = check_rules(file)
    for p in problems:
        typer.echo(p.message(), err=True)
    if has_errors(problems):
        raise typer.Exit(1)
    typer.echo(t("rules.ok", n=len(problems)))
