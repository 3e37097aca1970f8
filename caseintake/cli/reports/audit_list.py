"""``caseintake audit list``: the trail, newest first, filtered and paged; with ``--details``
each event's details as the viewer shows them (each reading audited, as the viewer's is)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.cli.json_out import echo_json, iso, plain


def register(audit_app: typer.Typer) -> None:
    audit_app.command("list")(list_events)


def _local_midnight(day: date) -> datetime:
    from caseintake.domain.referrals.deadlines import VN_TZ

    return datetime.combine(day, time(0), VN_TZ)


@handles_errors
def list_events(
    ctx: typer.Context,
    user: UserOption,
    database: DbOption = None,
    actor: Annotated[str | None, typer.Option()] = None,
    action: Annotated[str | None, typer.Option()] = None,
    case: Annotated[str | None, typer.Option("--case")] = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    until: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    with_details: Annotated[bool, typer.Option("--details")] = False,
) -> None:
    """List audit events, newest first (supervisors and admins)."""
    from caseintake.services.audit import AuditFilter, AuditQueryService, detail_lines

    services = open_services(ctx, database)
    principal = login(services, user)
    trail = AuditQueryService(services.db, services.settings, services.audit_log)
    where = AuditFilter(
        actor,
        action,
        case,
        _local_midnight(since.date()) if since else None,
        _local_midnight(until.date() + timedelta(days=1)) if until else None,
    )
    result = trail.page(principal, where, page - 1)
    shown: dict[int, list[str]] = {}
    if with_details:  # each one read on request, as the viewer's Enter does, and audited so
        shown = {r.seq: detail_lines(trail.details(principal, r.seq)) for r in result.rows}
    if as_json:
        out = []
        for r in result.rows:
            item: dict[str, object] = {
                "seq": r.seq,
                "at": iso(r.at),
                "actor": r.actor,
                "action": r.action,
                "entity": r.entity,
                "entity_id": r.entity_id,
                "signer": r.signer,
            }
            if with_details:
                item["details"] = shown[r.seq]
            out.append(item)
        echo_json(out)
        return
    for r in result.rows:
        row = (r.seq, iso(r.at), plain(r.actor), r.action, r.entity, r.entity_id, plain(r.signer))
        typer.echo("\t".join(map(str, row)))
        for line in shown.get(r.seq, []):
            typer.echo(f"\t{plain(line)}")
