"""``caseintake case list|show|close|reopen|assign|approve-plan``: case review from scripts."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.cli.json_out import echo_json, iso, plain
from caseintake.domain.referrals.slip import step_lines
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)
NumberArgument = Annotated[str, typer.Argument()]


def _desk(ctx: typer.Context, database: str | None, user: str) -> tuple[Any, Any]:
    from caseintake.services.supervisor_desk import SupervisorDesk

    services = open_services(ctx, database)
    return SupervisorDesk(services), login(services, user)


@app.command("show")
@handles_errors
def show(
    ctx: typer.Context,
    number: NumberArgument,
    user: UserOption,
    database: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The whole case, decrypted for reading (audited as a view of case content)."""
    desk, principal = _desk(ctx, database, user)
    detail = desk.services.cases.detail(principal, desk.review.case_id(principal, number))
    if as_json:
        echo_json(detail)
        return
    summary = detail.summary
    if detail.tampered is not None:  # issue 20 item 2: said first, on stderr too
        what = ", ".join(detail.tampered.tables)
        seq = detail.tampered.seq
        key = "records.tampered_none" if seq is None else "records.tampered"
        typer.echo(t(key, seq=seq, what=what), err=True)
    typer.echo(f"{summary.number}\t{summary.status}\t{summary.priority}")
    typer.echo(plain(detail.narrative))
    # The whole case (issue 19 item 4): every call's words, every child and perpetrator,
    # and each referral's follow-up steps.
    for c in reversed(detail.contacts):  # oldest first, as the case happened
        typer.echo(f"call\t{iso(c.received_at)}\t{c.contact_type}\t{plain(c.narrative) or '-'}")
    for i, k in enumerate(detail.children, 1):
        name, address = plain(k.name or "-"), plain(k.address or "-")
        typer.echo(f"child {i}\t{k.age if k.age is not None else '-'}\t{k.sex}\t{name}\t{address}")
    for i, p in enumerate(detail.perpetrators, 1):
        typer.echo(f"perpetrator {i}\t{p.relationship}\t{plain(p.name or '-')}")
    for r in detail.referrals:
        typer.echo(f"{r.id}\t{r.body}\t{r.status}\t{iso(r.due_at) or '-'}")
        for key, words in (("tui.detail.outcome", r.outcome), ("tui.detail.reason", r.reason)):
            if words:  # what the body reported when it finished, or why it declined
                typer.echo(f"\t{t(key)}: {plain(words)}")
        for line in step_lines(r.steps):
            typer.echo(f"\t{plain(line)}")
    for n in detail.notes:
        typer.echo(f"{iso(n.at)}\t{plain(n.author)}\t{plain(n.text)}")


@app.command("list")
@handles_errors
def list_cases(
    ctx: typer.Context,
    user: UserOption,
    database: DbOption = None,
    query: Annotated[str, typer.Option()] = "",
    status: Annotated[str | None, typer.Option()] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Cases, newest first, as the search screen finds them; a case whose rows were changed
    outside the application is marked (issue 20 item 2)."""
    from dataclasses import replace

    from caseintake.domain.errors import DomainError
    from caseintake.domain.referrals import states
    from caseintake.services.cases import CaseQuery

    if status is not None and status not in states.CASE_STATES:
        raise DomainError("state.error.unknown_state", kind="case", state=status)
    services = open_services(ctx, database)
    principal = login(services, user)
    wanted = CaseQuery(text=query, status=status)
    found = services.cases.search(principal, wanted)
    for number in range(1, page):  # pages are keyset-paged: walk to the one asked for
        if not found.has_more:
            found = replace(found, items=[], page=number)
            break
        found = services.cases.search(principal, wanted, number, after=found.after)
    if as_json:
        echo_json([
            {"number": c.number, "status": c.status, "priority": c.priority,
             "opened_at": iso(c.opened_at), "next_due_at": iso(c.next_due_at),
             "tampered": c.tampered}
            for c in found.items
        ])  # fmt: skip
        return
    for c in found.items:
        mark = f"\t{t('records.row_mark')}" if c.tampered else ""
        typer.echo(f"{c.number}\t{c.status}\t{c.priority}\t{iso(c.next_due_at) or '-'}{mark}")
    if untrue := sum(1 for c in found.items if c.tampered):
        typer.echo(t("records.list_tampered", count=untrue), err=True)
    if found.has_more:
        typer.echo(t("supervisor.cli.more", page=page + 1), err=True)


@app.command("close")
@handles_errors
def close(
    ctx: typer.Context,
    number: NumberArgument,
    user: UserOption,
    note: Annotated[str | None, typer.Option()] = None,
    database: DbOption = None,
) -> None:
    """Close a case whose referrals are all done, declined or revoked (supervisors)."""
    desk, principal = _desk(ctx, database, user)
    desk.review.close(principal, desk.review.case_id(principal, number), note or "")
    typer.echo(t("supervisor.cli.closed", number=number))


@app.command("reopen")
@handles_errors
def reopen(
    ctx: typer.Context,
    number: NumberArgument,
    user: UserOption,
    reason: Annotated[str | None, typer.Option()] = None,
    database: DbOption = None,
) -> None:
    """Reopen a closed case, with a reason (supervisors)."""
    desk, principal = _desk(ctx, database, user)
    desk.review.reopen(principal, desk.review.case_id(principal, number), reason or "")
    typer.echo(t("supervisor.cli.reopened", number=number))


@app.command("assign")
@handles_errors
def assign(
    ctx: typer.Context,
    number: NumberArgument,
    to: Annotated[str, typer.Option("--to")],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Reassign a case to another operator (supervisors)."""
    desk, principal = _desk(ctx, database, user)
    desk.review.assign(principal, desk.review.case_id(principal, number), to)
    typer.echo(t("supervisor.cli.assigned", number=number, user=to))


@app.command("approve-plan")
@handles_errors
def approve_plan(
    ctx: typer.Context, number: NumberArgument, user: UserOption, database: DbOption = None
) -> None:
    """Approve the support plan: the case moves from referred to in support (supervisors)."""
    desk, principal = _desk(ctx, database, user)
    desk.review.approve_plan(principal, desk.review.case_id(principal, number))
    typer.echo(t("supervisor.cli.plan_approved", number=number))
