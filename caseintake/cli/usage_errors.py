"""Typer's own usage errors in the reader's language (issue 19): a missing option or argument,
a command or option that does not exist, a value that is not a number, a date, one of the
choices or an existing path, an extra argument. Typer writes these sentences in English inside
the frame ``help_text`` already translates; the root group hands each one to ``translated``,
which writes it again from ``cli_errors.toml``, one sentence, with the same exit code (2).

The error's kind is read from its class and fields, and from the pydantic error a bad value
came from (``int_parsing``, ``greater_than_equal``...). The few that Typer only gives as text
(no such command, extra arguments, an option without its value) are matched on Typer's own
words; ``tests/cli/test_usage_errors_cli.py`` runs each kind, so a Typer that changes them
fails there. A message that matches nothing (a command's own ``typer.BadParameter``, written
from the catalogues already) is kept as it was written.
"""

from __future__ import annotations

import re
from typing import Any

# Typer 0.29 vendors Click; its exception classes are not exported by name (only BadParameter).
# tests/cli/test_usage_errors_cli.py fails loudly if they move.
from typer._click.exceptions import (
    BadArgumentUsage,
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)

from caseintake.i18n import t

_TEXT = (
    (
        re.compile(r"No such command (?P<name>'.*?')\.(?: Did you mean (?P<guesses>.+)\?)?$"),
        "no_such_command",
    ),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<values>.*)\)$"), "extra_arguments"),
    (re.compile(r"Missing command\.$"), "missing_command"),
    (
        re.compile(r"Option (?P<name>'.*?') requires (?:an argument|(?P<n>\d+) arguments)\.$"),
        "option_needs_value",
    ),
    (re.compile(r"Option (?P<name>'.*?') does not take a value\.$"), "option_takes_no_value"),
    (re.compile(r"Argument (?P<name>'.*?') takes (?P<n>\d+) values\.$"), "argument_takes_values"),
)
_PATH = (
    (re.compile(r"^\w+ (?P<value>'.*') does not exist\.$"), "path_missing"),
    (re.compile(r"^\w+ (?P<value>'.*') is a file\.$"), "path_is_file"),
    (re.compile(r"^\w+ (?P<value>'.*') is a directory\.$"), "path_is_directory"),
    (re.compile(r"^\w+ (?P<value>'.*') is not readable\.$"), "path_unreadable"),
    (re.compile(r"^\w+ (?P<value>'.*') is not writable\.$"), "path_unwritable"),
)
_PYDANTIC = {
    "int_parsing": "not_integer",
    "int_from_float": "not_integer",
    "int_type": "not_integer",
    "float_parsing": "not_number",
    "float_type": "not_number",
    "literal_error": "not_choice",
    "enum": "not_choice",
    "greater_than_equal": "at_least",
    "greater_than": "above",
    "less_than_equal": "at_most",
    "less_than": "below",
}
_LIMIT = {"at_least": "ge", "above": "gt", "at_most": "le", "below": "lt"}
_STRFTIME = {"%Y": "yyyy", "%m": "mm", "%d": "dd", "%H": "HH", "%M": "MM", "%S": "SS"}


def translated(err: UsageError) -> UsageError:
    """The same error, its sentence from the catalogue (the frame keeps its context)."""
    if type(err).__name__ == "NoArgsIsHelpError":  # not an error: the help is shown
        return err
    sentence = _sentence(err)
    if sentence is None:
        return err
    again = UsageError(sentence, ctx=err.ctx)
    again.exit_code = err.exit_code
    return again


def _sentence(err: UsageError) -> str | None:
    if isinstance(err, MissingParameter):
        kind = err.param_type or (err.param.param_type_name if err.param else "parameter")
        kind = kind if kind in ("option", "argument") else "parameter"
        return t(f"cli_errors.missing_{kind}", name=_hint(err))
    if isinstance(err, NoSuchOption):
        guesses = ", ".join(f"'{p}'" for p in err.possibilities or ())
        key = "cli_errors.no_such_option_guess" if guesses else "cli_errors.no_such_option"
        return t(key, name=repr(err.option_name), guesses=guesses)
    if isinstance(err, BadParameter):
        return t("cli_errors.bad_value", name=_hint(err), reason=_reason(err))
    if isinstance(err, BadOptionUsage | BadArgumentUsage | UsageError):
        for pattern, key in _TEXT:
            found = pattern.match(err.message)
            if found:
                words = {k: v or "" for k, v in found.groupdict().items()}
                return t(f"cli_errors.{key}{'_guess' if words.get('guesses') else ''}", **words)
    return None


def _hint(err: BadParameter) -> str:
    if err.param_hint is not None:
        hint = err.param_hint
        return hint if isinstance(hint, str) else " / ".join(f"'{h}'" for h in hint)
    param: Any = err.param
    if param is None:
        return "?"
    if param.param_type_name == "option" and param.opts:
        return " / ".join(f"'{o}'" for o in param.opts)
    return f"'{param.name}'"


def _reason(err: BadParameter) -> str:
    cause: Any = err.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    if errors:
        first = errors[0]
        key = _PYDANTIC.get(first.get("type", ""))
        context = first.get("ctx") or {}
        value = repr(first.get("input"))
        if key in _LIMIT:
            return t(f"cli_errors.{key}", value=value, limit=context.get(_LIMIT[key]))
        choices = getattr(getattr(err.param, "type_descriptor", None), "choices", None)
        if key == "not_choice" or choices:
            shown = ", ".join(repr(getattr(c, "value", c)) for c in choices or ())
            return t("cli_errors.not_choice", value=value, choices=shown or context.get("expected"))
        if key:
            return t(f"cli_errors.{key}", value=value)
        formats = _formats(err)
        if formats:
            return t("cli_errors.not_date", value=value, formats=formats)
    for pattern, key in _PATH:
        found = pattern.match(err.message)
        if found:
            return t(f"cli_errors.{key}", value=found["value"])
    return err.message


def _formats(err: BadParameter) -> str:
    """A date option's formats as a person reads them (yyyy-mm-dd), when the value was one."""
    info = getattr(getattr(err.param, "type_descriptor", None), "parameter_info", None)
    formats = getattr(info, "formats", None) or ()
    if not formats or not getattr(err.param.type_descriptor, "is_datetime", False):  # type: ignore[union-attr]
        return ""
    shown = []
    for fmt in formats:
        for code, word in _STRFTIME.items():
            fmt = fmt.replace(code, word)
        shown.append(fmt)
    return t("cli_errors.or_join").join(shown)
