"""``caseintake escalation confirm|dismiss``: the supervisor's decision on an escalation."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)
IdArgument = Annotated[str, typer.Argument()]


def _desk(ctx: typer.Context, database: str | None, user: str):  # type: ignore[no-untyped-def]
    from caseintake.services.supervisor_desk import SupervisorDesk

    services = open_services(ctx, database)
    return SupervisorDesk(services), login(services, user)


@app.command("confirm")
@handles_errors
def confirm(
    ctx: typer.Context, escalation_id: IdArgument, user: UserOption, database: DbOption = None
) -> None:
    """Create the proposed referral to the next body, with its own deadline."""
    desk, principal = _desk(ctx, database, user)
    new_id = desk.escalations.confirm(principal, escalation_id)
    typer.echo(t("supervisor.cli.escalation_confirmed", id=new_id))


@app.command("dismiss")
@handles_errors
def dismiss(
    ctx: typer.Context,
    escalation_id: IdArgument,
    user: UserOption,
    reason: Annotated[str | None, typer.Option()] = None,
    database: DbOption = None,
) -> None:
    """Dismiss the escalation, with a reason."""
    desk, principal = _desk(ctx, database, user)
    desk.escalations.dismiss(principal, escalation_id, reason or "")
    typer.echo(t("supervisor.cli.escalation_dismissed", id=escalation_id))
