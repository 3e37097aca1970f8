"""``caseintake db upgrade``."""

from __future__ import annotations

import typer

from caseintake.cli.common import DbOption, handles_errors, settings_for
from caseintake.i18n import t

app = typer.Typer(no_args_is_help=True)


@app.command("upgrade")
@handles_errors
def upgrade(ctx: typer.Context, database: DbOption = None) -> None:
    """Bring the schema to this version's head by running the migrations."""
    from caseintake.domain.errors import DomainError
    from caseintake.services.container import Services, sqlite_path
    from caseintake.store import deferred_indexes, migrate

    settings = settings_for(ctx, database)
    path = sqlite_path(settings.db_url)
    if path is not None and not path.exists():
        raise DomainError("db.missing", path=str(path))
    services = Services(settings)
    current = migrate.current_revision(services.db.engine)
    if current is not None and current not in migrate.known_revisions():
        raise DomainError("db.newer_schema", revision=current)
    migrate.upgrade(services.db.engine)
    made = deferred_indexes.restore(services.db.engine)
    if made:
        typer.echo(t("cli.indexes_restored", count=len(made), names=", ".join(made)))
    typer.echo(t("cli.upgraded", revision=migrate.head_revision()))
