"""``caseintake audit verify|checkpoint|acknowledge|adopt``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.i18n import t
from caseintake.services.audit import VerifyResult

app = typer.Typer(no_args_is_help=True)


@app.command("verify")
@handles_errors
def verify(
    ctx: typer.Context,
    user: UserOption,
    database: DbOption = None,
    checkpoint: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """Check the whole chain; exit 1 naming the first bad event."""
    services = open_services(ctx, database)
    result = services.audit.verify(login(services, user), checkpoint, workers=os.cpu_count() or 1)
    if result.ok:
        key = "audit.intact_checkpoint" if result.checkpoint_seq else "audit.intact"
        typer.echo(t(key, count=result.checked, checkpoint=result.checkpoint_seq))
        if result.signatures:
            typer.echo(t("audit.signatures_checked", signatures=result.signatures))
        if result.unsigned_before:
            typer.echo(t("audit.legacy_events", count=result.unsigned_before))
        _records(result, err=False)
        return
    typer.echo(result.message(), err=True)
    _records(result, err=True)
    raise typer.Exit(1)


def _records(result: VerifyResult, err: bool) -> None:
    """The records held against the trail (issue 20): how many, and each one that differs."""
    if result.records and not err:
        typer.echo(t("audit.records_checked", count=result.records))
    if result.unbound_records and not err:
        typer.echo(t("audit.records_unbound", count=result.unbound_records))
    leading = (result.problem or "").startswith("audit.record_")
    if result.record_count > 1 or (result.record_count and not leading):
        typer.echo(t("audit.record_more", count=result.record_count), err=True)
        for kind, record, seq, name in result.record_problems:
            line = t(
                "audit.record_line",
                kind=t(f"records.kind_{kind}"),
                record=record,
                seq=seq if seq is not None else "-",
                name=name or "-",
            )
            typer.echo(line, err=True)


@app.command("checkpoint")
@handles_errors
def checkpoint(
    ctx: typer.Context,
    user: UserOption,
    out: Annotated[Path | None, typer.Option()] = None,
    database: DbOption = None,
) -> None:
    """Write a signed checkpoint of the chain's head (also kept in the state directory)."""
    services = open_services(ctx, database)
    principal = login(services, user)
    path, seq = services.audit.write_checkpoint(principal, out)
    typer.echo(t("audit.checkpoint_written", seq=seq, path=path))


@app.command("acknowledge")
@handles_errors
def acknowledge(
    ctx: typer.Context,
    reason: Annotated[str, typer.Option()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Admin: accept a failed trail as it now stands (audited); a new checkpoint is signed."""
    services = open_services(ctx, database)
    result = services.audit.acknowledge(login(services, user), reason)
    typer.echo(t("audit.acknowledged", problem=result.message()))


@app.command("adopt")
@handles_errors
def adopt(ctx: typer.Context, user: UserOption, database: DbOption = None) -> None:
    """Admin: bind, once and audited, the records of a database upgraded from before records
    were bound to the trail (they show as unbound in audit verify until then)."""
    from caseintake.services.admin import RecordAdoption

    services = open_services(ctx, database)
    admin = login(services, user)
    done = RecordAdoption(services.db, services.settings, services.audit_log).adopt(admin)
    typer.echo(t("records.adopted", rows=done.rows, events=done.events, seq=done.checkpoint))
