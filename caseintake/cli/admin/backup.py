"""``caseintake backup OUT`` and ``caseintake restore IN --db URL`` (admin only)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from caseintake.cli.common import (
    DbOption,
    UserOption,
    fail,
    given_text,
    handles_errors,
    login,
    open_services,
    settings_for,
)
from caseintake.i18n import t


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


@handles_errors
def backup(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
) -> None:
    """Copy the database while operators work: consistent, still encrypted, mode 0600."""
    out = Path(given_text("OUT", str(out)))
    services = open_services(ctx, database)
    admin = login(services, user)
    with _progress("admin.tui.backup.run") as progress:
        result = services.backup.backup(admin, out, progress=progress)
    typer.echo(t("admin.backup.done", path=result.path, size=result.size, seq=result.audit_seq))


@handles_errors
def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument()],
    user: UserOption,
    database: DbOption = None,
    replace: Annotated[bool, typer.Option("--replace")] = False,
    accept_rollback: Annotated[bool, typer.Option("--accept-rollback")] = False,
) -> None:
    """Check a backup (integrity, schema) and put it at --db; then verify its audit trail
    against the pinned checkpoints, flagging an older copy until an admin acknowledges it.
    Replacing a database by a copy that lacks some of its events or cases is refused unless
    --accept-rollback; replacing one that other sessions have open is refused."""
    from caseintake.services.admin import restore_copy as restore_file

    source = Path(given_text("IN", str(source)))
    settings = settings_for(ctx, database)
    with _progress("admin.tui.restore.run") as progress:
        facts, loss = restore_file(
            source,
            settings.db_url,
            replace=replace,
            progress=progress,
            accept_rollback=accept_rollback,
        )
    typer.echo(t("admin.restore.done", seq=facts.audit_seq, users=facts.users))
    services = open_services(ctx, database)
    rollback = loss if loss is not None and loss.any else None
    admin = login(services, user)
    result = services.backup.record_restore(admin, source, rollback, copy=loss is None)
    if not result.ok:
        problem = result.message()  # every placeholder filled (issue 20 item 8)
        raise fail(t("admin.restore.flagged", problem=problem))
    typer.echo(t("admin.restore.trail_ok", seq=result.last_seq))


@contextmanager
def _progress(label: str) -> Iterator[Callable[[float], None] | None]:
    """Rich progress on stderr when it is a terminal; nothing otherwise (scripts, pipes)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t(label), total=100)

        def advance(share: float) -> None:
            bar.update(task, completed=share * 100)

        yield advance
