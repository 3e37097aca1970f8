"""What every command shares: options, password input, and one-sentence errors."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import typer

from caseintake.cli.terminal_text import escaped, has_bad_utf8
from caseintake.i18n import t

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[str | None, typer.Option("--db")]
UserOption = Annotated[str, typer.Option("--user", "-u")]


@dataclass(frozen=True)
class CliState:
    """What the callback reads before the command: ``caseintake --db URL <command>``."""

    database: str | None = None


def fail(message: str, code: int = 1) -> typer.Exit:
    """One sentence on stderr: stored or typed text in it is shown escaped, never obeyed."""
    typer.echo(escaped(message), err=True)
    return typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn every expected failure into one sentence on stderr and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from caseintake.domain.errors import DomainError

        try:
            return func(*args, **kwargs)
        except DomainError as err:
            raise fail(err.message()) from None
        except OSError as err:
            raise fail(t("cli.os_error", detail=f"{err.strerror or err}")) from None
        except UnicodeError:  # bytes that are not UTF-8 where a check below did not look
            raise fail(t("cli.not_utf8")) from None
        except Exception as err:  # a database error must still be one sentence, not a traceback
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(err, SQLAlchemyError):
                raise fail(_db_sentence(err)) from None
            raise

    return wrapper  # type: ignore[return-value]


def _db_sentence(err: Exception) -> str:
    text = str(getattr(err, "orig", err)).splitlines()[0]
    if "disk" in text.lower() and "full" in text.lower():
        return t("db.disk_full")
    return t("db.error", detail=text)


def env_text(env: str) -> str | None:
    """An environment variable, refused in one sentence when its bytes are not UTF-8."""
    value = os.environ.get(env)
    if value is not None and has_bad_utf8(value):
        from caseintake.domain.errors import DomainError

        raise DomainError("cli.env_not_utf8", env=env)
    return value


def secret(env: str, prompt: str, confirm: bool = False) -> str:
    """A password from the environment, else a hidden prompt when a terminal is attached."""
    value = env_text(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        from caseintake.domain.errors import DomainError

        raise DomainError("cli.no_secret", env=env)
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def given_text(option: str, value: str) -> str:
    """A name or value from the command line, refused when its bytes are not UTF-8."""
    if has_bad_utf8(value):
        from caseintake.domain.errors import DomainError

        raise DomainError("cli.arg_not_utf8", option=option)
    return value


def chosen_db(ctx: typer.Context, database: str | None) -> str | None:
    """The ``--db`` given after the command, else the one given before it; both must agree."""
    state = ctx.find_object(CliState)
    before = state.database if state is not None else None
    if database and before and database != before:
        from caseintake.domain.errors import DomainError

        raise DomainError("cli.two_databases")
    chosen = database or before
    return None if chosen is None else given_text("--db", chosen)


def settings_for(ctx: typer.Context, db: str | None) -> Any:
    """Settings for the chosen database: ``--db``, then ``$CASEINTAKE_DB``, then the default."""
    from caseintake.services.core import Settings

    chosen = chosen_db(ctx, db)
    if chosen is None:
        env_text("CASEINTAKE_DB")
    return Settings.from_env(chosen)


def open_services(ctx: typer.Context, db: str | None) -> Any:
    from caseintake.services.container import open_existing

    services = open_existing(settings_for(ctx, db))
    # Closed at the end of the command, after its checkpoint (callbacks run last first): no
    # connection or presence marker outlives the command in a process that runs several.
    ctx.call_on_close(services.close)
    ctx.call_on_close(lambda: _checkpoint_if_wrote(services))
    for path in services.db.exposed:  # readable by other users of the machine (issue 10 #7)
        typer.echo(t("security.file_exposed", path=path), err=True)
    return services


def _checkpoint_if_wrote(services: Any) -> None:
    """After each command that wrote, its user signs the head (issue 20 item 4); a command
    that failed has already said why, so a failure here adds no second sentence."""
    principal = getattr(services, "cli_session", None)
    if principal is None or services.audit_log.since_checkpoint <= services.cli_baseline:
        return  # only logged in (and read): nothing of the command's own to sign
    try:
        services.checkpoint_if_wrote(principal)
    except Exception as err:
        typer.echo(t("access_checks.checkpoint_failed", detail=str(err)[:200]), err=True)


def login(services: Any, user: str, allow_one_time: bool = False) -> Any:
    """Log in from ``CASEINTAKE_PASSWORD``; refuse a one-time password except to change it."""
    from caseintake.domain.errors import DomainError

    name = given_text("--user", user)
    principal = services.auth.login(name, secret("CASEINTAKE_PASSWORD", t("cli.password_prompt")))
    if principal.must_change_password and not allow_one_time:
        raise DomainError("auth.must_change_password")
    services.cli_session = principal  # signs a checkpoint when the command ends, if it wrote
    services.cli_baseline = services.audit_log.since_checkpoint
    return principal
