"""``caseintake handoff send|receive|accept|reject|update|receipt|list``: a case crossing
lines as a signed, sealed package, and its receipts back (issue 24)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from caseintake.cli.cases.handoff_deadlines import (
    deadline_mark,
    handoff_json,
    local_midnight,
    partner_line,
    partners_json,
)
from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.cli.json_out import echo_json, iso
from caseintake.cli.terminal_text import escaped
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)
OutOption = Annotated[
    Path | None,
    typer.Option("--out"),
]
JsonOption = Annotated[bool, typer.Option("--json")]


def _services(ctx: typer.Context, database: str | None, user: str) -> tuple[Any, Any]:
    services = open_services(ctx, database)
    return services, login(services, user)


@app.command("send")
@handles_errors
def send(
    ctx: typer.Context,
    case_number: Annotated[str, typer.Argument()],
    to: Annotated[str, typer.Option("--to")],
    basis: Annotated[str, typer.Option()],
    user: UserOption,
    out: OutOption = None,
    database: DbOption = None,
    representative: Annotated[str | None, typer.Option()] = None,
    child_consented: Annotated[bool, typer.Option("--child-consented")] = False,
    as_json: JsonOption = False,
) -> None:
    """Send a referral of a case to a partner line as a signed, sealed package."""
    from caseintake.domain.handoff.basis import Consent

    services, principal = _services(ctx, database, user)
    consent = Consent(representative, child_consented) if basis == "consent" else None
    sent = services.handoffs.send(principal, case_number, to, basis, out, consent)
    if as_json:
        echo_json({"id": sent.handoff_id, "package_id": sent.file_id, "file": str(sent.path)})
        return
    typer.echo(t("handoff.cli.sent", id=sent.handoff_id, path=escaped(str(sent.path))))


@app.command("receive")
@handles_errors
def receive(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check, open and keep a package from a partner line (refused in one sentence if not)."""
    services, principal = _services(ctx, database, user)
    handoff_id = services.handoffs.receive(principal, file)
    matches = services.handoffs.matches(principal, handoff_id)  # asked about before accepting
    if as_json:
        echo_json({"id": handoff_id, "matches": [m.to_json() for m in matches]})
        return
    typer.echo(t("handoff.cli.received", id=handoff_id))
    if matches:
        cases = ", ".join(m.case_number for m in matches)
        typer.echo(t("handoff_matching.cli.matches", cases=cases))


@app.command("receive-folder")
@handles_errors
def receive_folder(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take every package of a drop folder; each refused one is named with its sentence."""
    from caseintake.domain.errors import DomainError

    if not folder.is_dir():
        raise DomainError("cli.file_missing", path=str(folder))
    services, principal = _services(ctx, database, user)
    results = services.handoffs.receive_folder(principal, folder)
    if as_json:
        echo_json([{"file": p.name, "id": v if ok else None, "refused": None if ok else v}
                   for p, v, ok in results])  # fmt: skip
    else:
        for path, value, ok in results:
            # A file name in the folder is shown, never obeyed as terminal codes.
            typer.echo(f"{escaped(path.name)}\t{escaped(value)}", err=not ok)
    if not all(ok for _, _, ok in results):
        raise typer.Exit(1)


@app.command("poll")
@handles_errors
def poll(
    ctx: typer.Context, user: UserOption, database: DbOption = None, as_json: JsonOption = False
) -> None:
    """Read every partner's drop folder once: take what is addressed to this line."""
    services, principal = _services(ctx, database, user)
    result = services.handoffs.poll(principal)
    if as_json:
        echo_json(
            {"files": [{"folder": str(f.folder), "file": f.name, "kind": f.kind,
                        "from": f.sender, "id": f.said if f.taken else None,
                        "refused": None if f.taken else f.said, "moved_to": str(f.moved_to)}
                       for f in result.files],
             "errors": result.errors}
        )  # fmt: skip
    else:
        for f in result.files:
            # A file name in the folder is shown, never obeyed as terminal codes.
            typer.echo(f"{escaped(f.name)}\t{escaped(f.said)}", err=not f.taken)
        for error in result.errors:
            typer.echo(escaped(error), err=True)
        typer.echo(t("handoff_folders.polled", taken=len(result.taken),
                     refused=len(result.refused)))  # fmt: skip
    if result.refused or result.errors:
        raise typer.Exit(1)


def _answered(sent: Any, as_json: bool) -> None:
    if as_json:
        echo_json(
            {"id": sent.handoff_id, "receipt_id": sent.file_id, "status": sent.status,
             "case_number": sent.case_number, "file": str(sent.path), "merged": sent.merged,
             "candidates": list(sent.candidates)}
        )  # fmt: skip
        return
    path = escaped(str(sent.path))
    typer.echo(t("handoff.cli.answered", id=sent.handoff_id, status=sent.status, path=path))
    if sent.merged:
        typer.echo(t("handoff_matching.cli.merged", case=sent.case_number))
    elif sent.case_number and sent.status == "accepted":
        typer.echo(t("handoff.cli.case_opened", case=sent.case_number))
        if sent.candidates:  # opened all the same: one sentence naming them
            cases = ", ".join(sent.candidates)
            typer.echo(t("handoff_matching.cli.candidates_left", cases=cases))
    elif sent.case_number:
        typer.echo(t("handoff.cli.case_opened", case=sent.case_number))


@app.command("accept")
@handles_errors
def accept(
    ctx: typer.Context,
    handoff_id: Annotated[str, typer.Argument()],
    user: UserOption,
    out: OutOption = None,
    database: DbOption = None,
    into: Annotated[
        str | None,
        typer.Option("--into"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Accept a received package: a local case linked to the sender's, and a receipt."""
    services, principal = _services(ctx, database, user)
    _answered(services.handoffs.accept(principal, handoff_id, out, into), as_json)


@app.command("reject")
@handles_errors
def reject(
    ctx: typer.Context,
    handoff_id: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option()],
    user: UserOption,
    out: OutOption = None,
    database: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a received package, with a reason, in a receipt."""
    services, principal = _services(ctx, database, user)
    _answered(services.handoffs.reject(principal, handoff_id, reason, out), as_json)


@app.command("update")
@handles_errors
def update(
    ctx: typer.Context,
    handoff_id: Annotated[str, typer.Argument()],
    status: Annotated[str, typer.Option()],
    user: UserOption,
    out: OutOption = None,
    database: DbOption = None,
    outcome: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """Report a later step of an accepted hand-off in a receipt."""
    services, principal = _services(ctx, database, user)
    _answered(services.handoffs.update(principal, handoff_id, status, outcome, out), as_json)


@app.command("receipt")
@handles_errors
def receipt(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take a partner's receipt: the hand-off and its referral move the same way."""
    services, principal = _services(ctx, database, user)
    handoff_id, status = services.handoffs.take_receipt(principal, file)
    if as_json:
        echo_json({"id": handoff_id, "status": status})
        return
    typer.echo(t("handoff.cli.receipt", id=handoff_id, status=status))


@app.command("show")
@handles_errors
def show(
    ctx: typer.Context,
    handoff_id: Annotated[str, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """The package as sent or received: legal basis, routing and deadline, the case (JSON)."""
    services, principal = _services(ctx, database, user)
    echo_json(services.handoffs.show(principal, handoff_id))


@app.command("list")
@handles_errors
def list_handoffs(
    ctx: typer.Context, user: UserOption, database: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every hand-off sent and received, newest first, with its acceptance deadline."""
    services, principal = _services(ctx, database, user)
    rows = services.handoffs.rows(principal)
    if as_json:
        echo_json([handoff_json(r) for r in rows])
        return
    if not rows:
        typer.echo(t("handoff.cli.none"))
    for r in rows:
        typer.echo(
            f"{r.id}\t{r.direction}\t{r.partner}\t{r.status}\t{r.case_number or '-'}"
            f"{deadline_mark(r)}"
        )


@app.command("partners")
@handles_errors
def partners(
    ctx: typer.Context,
    user: UserOption,
    database: DbOption = None,
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"]),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Time to accept per partner line: sent, accepted, rejected, waiting, overdue there."""
    services, principal = _services(ctx, database, user)
    report = services.handoffs.partners(principal, local_midnight(since) if since else None)
    if as_json:
        echo_json(partners_json(report))
        return
    typer.echo(t("handoff_deadlines.cli.partners_title", since=iso(report.since)))
    if not report.partners:
        typer.echo(t("handoff_deadlines.cli.no_partners"))
    for p in report.partners:
        typer.echo(partner_line(p))
