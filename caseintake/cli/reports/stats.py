"""``caseintake stats export|calendar``: anonymised statistics for scripts and the directives."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from caseintake.cli.common import DbOption, UserOption, handles_errors, login, open_services
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)

LangOption = Annotated[str | None, typer.Option("--lang")]


@app.command("export")
@handles_errors
def export(
    ctx: typer.Context,
    user: UserOption,
    start: Annotated[str, typer.Option("--from")],
    end: Annotated[str, typer.Option("--to")],
    indicator: Annotated[list[str] | None, typer.Option("--indicator")] = None,
    threshold: Annotated[
        int | None,
        typer.Option(),
    ] = None,
    fmt: Annotated[str, typer.Option("--format")] = "json",
    out: Annotated[
        Path | None,
        typer.Option("--out"),
    ] = None,
    two_way: Annotated[
        bool,
        typer.Option(
            "--two-way",
        ),
    ] = False,
    lang: LangOption = None,
    database: DbOption = None,
) -> None:
    """Export the indicators of a period, small cells suppressed (supervisors and admins)."""
    from caseintake.domain.errors import DomainError
    from caseintake.domain.statistics.exportable import check_exportable
    from caseintake.domain.statistics.output import check_format, to_text
    from caseintake.domain.statistics.periods import Period
    from caseintake.domain.statistics.suppression import check_threshold
    from caseintake.services.core import check_new_path
    from caseintake.services.statistics import split_ids

    _set_language(lang)
    # Every refusal that needs no database comes first: nothing is opened, nothing written.
    period = check_exportable(Period.parse(start, end))
    chosen = check_format(fmt)
    if threshold is not None:
        check_threshold(threshold)
    split_ids(indicator)
    if out is None and chosen == "xlsx":
        raise DomainError("stats.xlsx_needs_out")
    if out is not None:
        check_new_path(out)  # again, with the live database's files, by the service
    services = open_services(ctx, database)
    principal = login(services, user)
    with _progress() as progress:
        report = services.statistics.export(
            principal, period, chosen, out, indicator, threshold, lang, progress, two_way
        )
    for it in report.tables:  # the offer: the same counts as two-way tables keep their totals
        if it.totals_lost and not two_way:
            typer.echo(t("linked_tables.offer", indicator=it.indicator.id), err=True)
    if out is None:
        if chosen == "json":
            typer.echo(to_text(report), nl=False)
        else:
            _echo_csv(report)
        return
    typer.echo(
        t(
            "stats.exported",
            count=len(report.tables) + (1 if report.median_asked else 0),
            start=period.start.isoformat(),
            end=period.end.isoformat(),
            threshold=report.threshold,
            path=out,
        ),
        err=True,
    )


@app.command("floor")
@handles_errors
def floor(
    ctx: typer.Context,
    value: Annotated[int, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Set the floor of the suppression threshold (admins; audited). --threshold may raise it."""
    from caseintake.domain.statistics.suppression import check_threshold

    check_threshold(value)
    services = open_services(ctx, database)
    principal = login(services, user)
    services.statistics.set_floor(principal, value)
    typer.echo(t("publication.floor_set", floor=value))


@app.command("calendar")
@handles_errors
def calendar(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    today: Annotated[str | None, typer.Option("--today")] = None,
    lang: LangOption = None,
) -> None:
    """The next due report of each kind, with its period and the document that asks for it."""
    from datetime import UTC, datetime

    from caseintake.domain.referrals.deadlines import to_local
    from caseintake.domain.statistics.calendar import upcoming

    _set_language(lang)
    from caseintake.domain.statistics.periods import parse_day

    day = parse_day(today) if today else to_local(datetime.now(UTC)).date()
    reports = upcoming(day)
    if as_json:
        rows = [
            {
                "id": r.id,
                "title": t(r.title_key),
                "due": r.due.isoformat(),
                "from": r.period.start.isoformat(),
                "to": r.period.end.isoformat(),
                "source": r.source,
                "source_short": r.source_short,
            }
            for r in reports
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in reports:
        typer.echo(
            t(
                "stats.calendar_line",
                title=t(r.title_key),
                due=r.due.strftime("%d/%m/%Y"),
                start=r.period.start.strftime("%d/%m/%Y"),
                end=r.period.end.strftime("%d/%m/%Y"),
                source=r.source,
            )
        )


def _set_language(lang: str | None) -> None:
    if lang is None:
        return
    from caseintake.domain.errors import DomainError
    from caseintake.i18n import set_language

    try:
        set_language(lang)
    except ValueError:
        raise DomainError("stats.bad_lang", value=lang[:10]) from None


def _echo_csv(report: Any) -> None:
    import csv

    from caseintake.domain.statistics.output import csv_rows

    csv.writer(sys.stdout, lineterminator="\n").writerows(csv_rows(report))


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """Rich progress on stderr when it is a terminal; nothing otherwise (scripts, pipes)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t("stats.progress"), total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
