"""``caseintake directory add-line|retire-line|lines`` (issue 24 item 2): other lines' cards in
the directory, each pinned only when the fingerprint read out by phone matches."""

from __future__ import annotations

from pathlib import Path
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
from caseintake.cli.json_out import echo_json, iso, plain
from caseintake.cli.terminal_text import escaped, table_row
from caseintake.i18n import t


def register(app: typer.Typer) -> None:
    app.command("add-line")(add_line)
    app.command("retire-line")(retire_line)
    app.command("lines")(lines)
    app.command("export-hsds")(export_hsds)
    app.command("import-hsds")(import_hsds)


@handles_errors
def add_line(
    ctx: typer.Context,
    card: Annotated[Path, typer.Argument()],
    fingerprint: Annotated[str, typer.Option("--fingerprint")],
    user: UserOption,
    entry: Annotated[str | None, typer.Option("--entry")] = None,
    body: Annotated[str | None, typer.Option("--body")] = None,
    province_code: Annotated[int | None, typer.Option("--province-code")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    database: DbOption = None,
) -> None:
    """Add another line (or a body that runs caseintake) to the directory (admin, audited)."""
    from caseintake.services.line import read_card_file

    data = read_card_file(card)
    typed = given_text("--fingerprint", fingerprint)
    services = open_services(ctx, database)
    admin = login(services, user)
    directory_id = services.line_cards.add_line(
        admin, data, typed,
        entry_id=given_text("--entry", entry) if entry is not None else None,
        body=given_text("--body", body) if body is not None else None,
        province_code=province_code,
    )  # fmt: skip
    if as_json:
        echo_json({"id": directory_id})
        return
    partner = services.line_cards.partner(directory_id)
    typer.echo(
        t("line.added", code=partner.code, name=plain(partner.name), id=escaped(directory_id))
    )


@handles_errors
def retire_line(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Retire a line's card: packages signed with it are refused from now on (audited)."""
    services = open_services(ctx, database)
    retired = services.line_cards.retire_card(
        login(services, user), given_text("ENTRY_ID", entry_id)
    )
    typer.echo(t("line.retired", code=retired.code, id=escaped(retired.directory_id)))


@handles_errors
def lines(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    database: DbOption = None,
) -> None:
    """The other lines' cards in the directory (public: no login), retired ones included."""
    services = open_services(ctx, database)
    found = services.line_cards.cards()
    if as_json:
        echo_json(
            [
                {"id": p.directory_id, "code": p.code, "name": p.name,
                 "fingerprint": p.fingerprint, "retired": p.retired,
                 "added_at": iso(p.added_at), "retired_at": iso(p.retired_at)}
                for p in found
            ]
        )  # fmt: skip
        return
    for p in found:
        state = "retired" if p.retired else "active"
        typer.echo(table_row((p.directory_id, p.code, p.name, p.fingerprint, state)))


@handles_errors
def export_hsds(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out")],
    database: DbOption = None,
) -> None:
    """Export the directory as Open Referral HSDS 3.0 services, line cards as an extension."""
    services = open_services(ctx, database)
    count = services.hsds.export(out)
    typer.echo(t("line.hsds_exported", n=count, path=str(out)))


@handles_errors
def import_hsds(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument()],
    user: UserOption,
    preview: Annotated[bool, typer.Option("--preview")] = False,
    database: DbOption = None,
) -> None:
    """Import HSDS 3.0 services into the directory (admin, all or none, audited)."""
    from caseintake.services.routing import read_import_file

    data = read_import_file(file).encode("utf-8")
    services = open_services(ctx, database)
    if preview:
        done, key = services.hsds.preview(data), "line.hsds_preview"
    else:
        done = services.hsds.import_document(login(services, user), data, file.name)
        key = "line.hsds_imported"
    p = done.preview
    typer.echo(t(key, added=len(p.added), changed=len(p.changed), unchanged=p.unchanged,
                 cards=done.cards_seen))  # fmt: skip
