"""``caseintake route FILE.json [--json]`` and ``caseintake intake FILE.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from caseintake.cli.common import (
    DbOption,
    chosen_db,
    handles_errors,
    login,
    open_services,
    settings_for,
)
from caseintake.cli.files import read_json
from caseintake.cli.terminal_text import escaped, json_text
from caseintake.i18n import language, t

FileArg = Annotated[Path, typer.Argument()]


def register(app: typer.Typer) -> None:
    app.command("route")(route)
    app.command("intake")(intake)


@handles_errors
def route(
    ctx: typer.Context,
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    database: DbOption = None,
) -> None:
    """Show the routing decision for an intake; saves nothing."""
    from caseintake.domain.intake.validation import parse_intake

    intake = parse_intake(read_json(file))
    routed = _decide(ctx, intake, database)
    if as_json:
        out = routed.decision.to_json(language())
        for item, proposed in zip(out["referrals"], routed.referrals, strict=True):
            entry = proposed.entry
            item["entry"] = (
                None
                if entry is None
                else {"id": entry.id, "name": entry.name, "phones": list(entry.phones)}
            )
        typer.echo(json_text(out))
    else:
        typer.echo(render_decision(routed))


def _decide(ctx: typer.Context, intake: Any, database: str | None) -> Any:
    """The desks come from the chosen database's directory (``--db``, ``$CASEINTAKE_DB``, or
    the default file when it exists); with no database at all, from the shipped seed."""
    import os

    from caseintake.domain.directory import load_directory
    from caseintake.services.container import open_existing, sqlite_path
    from caseintake.services.routing import RoutedDecision, RoutingService

    settings = settings_for(ctx, database)
    named = chosen_db(ctx, database) or os.environ.get("CASEINTAKE_DB")
    path = sqlite_path(settings.db_url)
    if named or path is None or path.exists():
        return open_existing(settings).routing.decide(intake)
    from caseintake.domain.referrals.deadlines import WorkingCalendar
    from caseintake.domain.routing.engine import route_intake
    from caseintake.domain.routing.rules import load_rules

    decision = route_intake(intake, load_rules(), WorkingCalendar())
    return RoutedDecision(decision, RoutingService.attach(decision, load_directory()))


def render_decision(routed: Any) -> str:
    """The decision as an operator reads it, in the chosen language: the legal basis in full,
    no rule ids (those are in ``--json``)."""
    from caseintake.domain.intake.taxonomy import label
    from caseintake.domain.referrals.deadlines import Deadline, format_local
    from caseintake.domain.routing.citations import basis_texts
    from caseintake.domain.routing.notes import plan_notes

    d = routed.decision
    lines = [
        t("route.priority", priority=label("priority", d.priority)),
        t("route.level", level=label("protection_level", d.protection_level)),
    ]
    if d.crime_signs:
        signs = ", ".join(label("crime_sign", c) for c in d.crime_signs)
        lines.append(f"{t('law.crime_signs')}: {signs}")
    if d.actions_now:
        lines.append(t("route.actions_now"))
    for a in d.actions_now:
        lines.append(f"  ! {label('body', a.code)}")
        lines += [f"    · {b}" for b in basis_texts(a.basis)]
    if d.referrals:
        lines.append(t("route.referrals"))
    for p in routed.referrals:
        plan, entry = p.plan, p.entry
        desk = escaped(f"{entry.name} ({', '.join(entry.phones)})") if entry else t("route.no_desk")
        lines.append(f"  - {label('body', plan.body)}: {desk}")
        spec = Deadline.parse(plan.due_spec).label()
        lines.append("    " + t("route.due", due=format_local(plan.due_at), spec=spec))
        lines += [f"    {note}" for note, _ in plan_notes(plan, d)]
        lines += [f"    · {b}" for b in basis_texts(plan.basis)]
    if not d.referrals and not d.actions_now:
        lines.append(t("route.nothing"))
    if d.implied:
        lines.append(t("routing_display.implied") + ":")
        lines += [f"  → {t(i.reason)}" for i in d.implied]
    lines += [f"  ⚠ {w.message()}" for w in d.warnings]
    return "\n".join(lines)


@handles_errors
def intake(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument()] = None,
    user: Annotated[str | None, typer.Option("--user", "-u")] = None,
    database: DbOption = None,
    schema: Annotated[bool, typer.Option("--schema")] = False,
) -> None:
    """Save a contact from JSON and print its case number; --schema prints the JSON Schema."""
    from caseintake.domain.errors import DomainError
    from caseintake.domain.intake.validation import parse_intake

    if schema:  # documentation: needs no database and no password
        from caseintake.domain.intake.schema import intake_schema

        typer.echo(json_text(intake_schema()))
        return
    if file is None:
        raise DomainError("cli.intake_needs_file")
    if user is None:
        raise DomainError("cli.intake_needs_user")
    data = read_json(file)
    services = open_services(ctx, database)
    parsed = parse_intake(data, now=services.settings.clock())
    saved = services.intake.save(login(services, user), parsed)
    if saved.case_number:
        typer.echo(t("route.saved_case", number=saved.case_number, referrals=saved.referral_count))
    else:
        typer.echo(t("route.saved_contact", id=saved.contact_id))
