"""``caseintake referral list|update|rerefer``: the supervisor's queue and referral follow-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.cli.json_out import echo_json, iso
from caseintake.domain.routing.citations import basis_texts
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)
STATUSES = ("sent", "acknowledged", "in_progress", "done", "declined", "revoked")


def _desk(ctx: typer.Context, database: str | None, user: str) -> tuple[Any, Any]:
    from caseintake.services.supervisor_desk import SupervisorDesk

    services = open_services(ctx, database)
    return SupervisorDesk(services), login(services, user)


def row_json(row: Any) -> dict[str, Any]:
    esc = row.escalation
    return {
        "id": row.id,
        "case_number": row.case_number,
        "body": row.body,
        "entry": row.entry_name,
        "status": row.status,
        "due_spec": row.due_spec,
        "due_at": iso(row.due_at),
        "deadline": row.deadline,
        "overdue": row.overdue,
        "priority": row.priority,
        "operator": row.operator,
        "province_code": row.province_code,
        "ward_code": row.ward_code,
        "tampered": row.tampered,  # issue 20 item 2
        "escalation": None
        if esc is None
        else {
            "id": esc.referral_id,
            "rule": esc.rule_id,
            "body": esc.body,
            "area": esc.area,
            "province_code": esc.province_code,
            "due_at": iso(esc.due_at),
            "basis": list(esc.basis),  # citation keys, as route --json
            "basis_texts": basis_texts(esc.basis),
        },
        "escalation_decision": row.escalation_decision,
        # Sent as a hand-off package, no signed acceptance by its deadline (issue 24).
        "overdue_at_partner": None
        if row.at_partner is None
        else {"partner": row.at_partner, "accept_by": iso(row.at_partner_due)},
    }


@app.command("list")
@handles_errors
def list_referrals(
    ctx: typer.Context,
    user: UserOption,
    database: DbOption = None,
    overdue: Annotated[bool, typer.Option("--overdue")] = False,
    status: Annotated[str | None, typer.Option()] = None,
    body: Annotated[str | None, typer.Option()] = None,
    province: Annotated[int | None, typer.Option()] = None,
    commune: Annotated[int | None, typer.Option()] = None,
    priority: Annotated[str | None, typer.Option()] = None,
    operator: Annotated[str | None, typer.Option()] = None,
    escalations: Annotated[bool, typer.Option("--escalations")] = False,
    page: Annotated[int, typer.Option(min=1)] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Open referrals of every operator: overdue first, then due within the hour, then the rest."""
    from caseintake.domain.errors import DomainError
    from caseintake.domain.intake import taxonomy
    from caseintake.domain.referrals import states
    from caseintake.services.referrals import QueueFilter

    if status is not None and status not in states.REFERRAL_STATES:
        raise DomainError("state.error.unknown_state", kind="referral", state=status)
    if body is not None and not taxonomy.is_code("body", body):
        raise DomainError("supervisor.cli.unknown_body", body=body)
    desk, principal = _desk(ctx, database, user)
    where = QueueFilter(body, province, commune, priority, operator, status, overdue, escalations)
    result = desk.queue.page(principal, where, page - 1)
    if as_json:
        echo_json([row_json(r) for r in result.rows])
        return
    if not result.rows:
        typer.echo(t("supervisor.cli.queue_empty"))
    for r in result.rows:
        flag = t(f"supervisor.deadline.{r.deadline}")
        if r.at_partner:  # issue 24: waiting for the partner line's signed acceptance
            flag = t("handoff_deadlines.overdue_at_partner", line=r.at_partner)
        esc = f"\t⇑ {r.escalation.body}" if r.escalation else ""
        due = iso(r.due_at) or "-"
        mark = f"\t{t('records.row_mark')}" if r.tampered else ""
        typer.echo(f"{r.id}\t{r.case_number}\t{r.body}\t{r.status}\t{due}\t{flag}{esc}{mark}")
    if untrue := len({r.case_id for r in result.rows if r.tampered}):  # issue 20 item 2
        typer.echo(t("records.list_tampered", count=untrue), err=True)
    if result.has_more:
        typer.echo(t("supervisor.cli.more", page=page + 1), err=True)


@app.command("update")
@handles_errors
def update(
    ctx: typer.Context,
    referral_id: Annotated[str, typer.Argument()],
    status: Annotated[str, typer.Option()],
    user: UserOption,
    database: DbOption = None,
    note: Annotated[str | None, typer.Option()] = None,
    outcome: Annotated[str | None, typer.Option()] = None,
    reason: Annotated[str | None, typer.Option()] = None,
    via: Annotated[str | None, typer.Option()] = None,
    contacted: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record one step the receiving body reported; a refused move changes nothing."""
    from caseintake.domain.errors import DomainError
    from caseintake.domain.referrals.follow_up import FollowUp
    from caseintake.domain.referrals.states import state_label

    if status not in STATUSES:
        raise DomainError("supervisor.cli.bad_status", status=status, known=", ".join(STATUSES))
    desk, principal = _desk(ctx, database, user)
    step = FollowUp(status, via, contacted, note, outcome, reason)
    desk.services.referrals.record(principal, referral_id, step)
    typer.echo(t("supervisor.cli.updated", id=referral_id, status=state_label("referral", status)))


@app.command("rerefer")
@handles_errors
def rerefer(
    ctx: typer.Context,
    referral_id: Annotated[str, typer.Argument()],
    entry: Annotated[str, typer.Option("--to")],
    reason: Annotated[str, typer.Option()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Revoke a referral and refer the case to another directory entry (supervisors)."""
    desk, principal = _desk(ctx, database, user)
    new_id = desk.services.referrals.rerefer(principal, referral_id, entry, reason)
    typer.echo(t("supervisor.cli.rereferred", id=new_id, entry=entry))


@app.command("slip")
@handles_errors
def slip(
    ctx: typer.Context,
    referral_id: Annotated[str, typer.Argument()],
    out: Annotated[Path, typer.Option()],
    user: UserOption,
    database: DbOption = None,
    pdf: Annotated[bool, typer.Option("--pdf")] = False,
    with_caller: Annotated[bool, typer.Option("--with-caller")] = False,
) -> None:
    """Write the slip a receiving body needs to act on one referral (audited)."""
    desk, principal = _desk(ctx, database, user)
    fmt = "pdf" if pdf else "text"
    written = desk.slips.write(principal, referral_id, out, fmt, with_caller)
    typer.echo(t("supervisor.slip.written_to", number=written.case_number, path=out))
