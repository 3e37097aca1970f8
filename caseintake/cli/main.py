"""The command line: one Typer sub-app per noun (DESIGN §6). This is the composition root."""

from __future__ import annotations

from typing import Annotated

import typer

from caseintake.cli.admin import (
    backup,
    db,
    demo,
    directory,
    directory_admin,
    directory_folders,
    directory_lines,
    key,
    line,
    retention,
    security,
    setup,
    user,
    user_admin,
)
from caseintake.cli.cases import case, escalation, handoff, referral, route
from caseintake.cli.common import CliState, DbOption
from caseintake.cli.help_text import LocalizedGroup
from caseintake.cli.reports import audit, audit_list, stats
from caseintake.cli.serve import command as serve
from caseintake.cli.version import VersionOption

app = typer.Typer(
    name="caseintake",
    cls=LocalizedGroup,  # --help in the language asked for, from cli_help.toml
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(user.app, name="user")
app.add_typer(audit.app, name="audit")
app.add_typer(db.app, name="db")
app.add_typer(directory.app, name="directory")
app.add_typer(directory.rules_app, name="rules")
app.add_typer(stats.app, name="stats")
app.add_typer(referral.app, name="referral")
app.add_typer(handoff.app, name="handoff")
app.add_typer(escalation.app, name="escalation")
app.add_typer(case.app, name="case")
app.add_typer(security.app, name="security")
app.add_typer(key.app, name="key")
app.add_typer(line.app, name="line")
audit_list.register(audit.app)
setup.register(app)
route.register(app)
demo.register(app)
backup.register(app)
directory_admin.register(directory.app)
directory_lines.register(directory.app)
directory_folders.register(directory.app)
user_admin.register(user.app)
retention.register(case.app)
serve.register(app)
app.add_typer(retention.app, name="retention")


@app.callback()
def main(
    ctx: typer.Context,
    database: DbOption = None,
    lang: Annotated[str | None, typer.Option("--lang")] = None,
    version: VersionOption = False,
) -> None:
    """Without a command: open the terminal application."""
    import os

    ctx.obj = CliState(database)  # every command's settings_for() falls back to it

    from caseintake.i18n import set_language, t

    chosen = lang or os.environ.get("CASEINTAKE_LANG")
    if chosen:
        try:
            set_language(chosen)
        except ValueError:
            reason = t("cli_errors.unknown_language", value=repr(chosen))
            raise typer.BadParameter(reason, param_hint="'--lang'") from None
    if ctx.invoked_subcommand is None:
        from caseintake.cli.desk import launch

        launch(database)


def run() -> None:
    app()
