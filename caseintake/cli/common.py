"""What every command shares: options, password input, and one-sentence errors."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from caseintake.i18n import t

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $CASEINTAKE_DB, then the user data dir)."),
]
UserOption = Annotated[str, typer.Option("--user", "-u", help="Your user name.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
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


def secret(env: str, prompt: str, confirm: bool = False) -> str:
    """A password from the environment, else a hidden prompt when a terminal is attached."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        from caseintake.domain.errors import DomainError

        raise DomainError("cli.no_secret", env=env)
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def settings_for(db: str | None) -> Any:
    from caseintake.services.settings import Settings

    return Settings.from_env(db)


def open_services(db: str | None) -> Any:
    from caseintake.services.container import open_existing

    return open_existing(settings_for(db))


def login(services: Any, user: str, allow_one_time: bool = False) -> Any:
    """Log in from ``CASEINTAKE_PASSWORD``; refuse a one-time password except to change it."""
    from caseintake.domain.errors import DomainError

    principal = services.auth.login(user, secret("CASEINTAKE_PASSWORD", t("cli.password_prompt")))
    if principal.must_change_password and not allow_one_time:
        raise DomainError("auth.must_change_password")
    return principal
