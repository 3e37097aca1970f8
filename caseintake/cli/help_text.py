"""``--help`` in the reader's language: every command's and parameter's help is read from the
message catalogues (``i18n/<lang>/cli_help.toml``), never from the code.

Typer builds the command tree from the functions. Before the command line is parsed, the root
group reads the language it asks for (``--lang`` wherever it stands before ``--``, else
``$CASEINTAKE_LANG``, else the current one) and writes the tree's help from the catalogue:

- ``cli_help.<path>.help`` for a command (``cli_help.help`` for the root, ``cli_help.user.add.help``),
- ``cli_help.<path>.<parameter>`` for one of its parameters (Python names: ``as_json``),
- else ``cli_help.common.<parameter>`` for a parameter many commands share (``database``).

So a new command needs only its keys in both languages (until then it shows its docstring);
tests/cli/test_help_language.py names any that are missing, and refuses a ``help=`` string in
the code (the catalogue would hide it). Typer's own words (usage,
panel titles, required, default, the help option) come from ``cli_words``. Nothing here runs
before Typer is already loaded.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from caseintake.cli.usage_errors import UsageError, translated
from caseintake.i18n import LANGUAGES, has, language, set_language, t

_PANELS = {"Arguments": "arguments", "Options": "options", "Commands": "commands"}
_RICH_WORDS = {
    "REQUIRED_LONG_STRING": "required",
    "DEFAULT_STRING": "default",
    "ERRORS_PANEL_TITLE": "error",
    "RICH_HELP": "try_help",
}


def asked_language(args: Sequence[str]) -> str | None:
    """The language a command line asks for: its last valid ``--lang`` before ``--``, else
    ``$CASEINTAKE_LANG``; an unknown code is left for the callback to refuse in one sentence."""
    chosen = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        name, has_value, value = arg.partition("=")
        if name != "--lang":
            continue
        value = value if has_value else (args[i + 1] if i + 1 < len(args) else "")
        if value in LANGUAGES:
            chosen = value
    env = os.environ.get("CASEINTAKE_LANG")
    return chosen or (env if env in LANGUAGES else None)


def commands(root: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every command of the tree with its dotted path ('' for the root, 'user.add')."""
    yield path, root
    for name, sub in getattr(root, "commands", {}).items():
        yield from commands(sub, f"{path}.{name}" if path else name)


def help_key(path: str, name: str = "help") -> str:
    return f"cli_help.{path}.{name}" if path else f"cli_help.{name}"


def param_key(path: str, param_name: str, lang: str | None = None) -> str:
    """The parameter's own key on this command, else the shared one."""
    own = help_key(path, param_name)
    return own if has(own, lang) else f"cli_help.common.{param_name}"


# Typer's type labels and their catalogue words (cli_words.type.*).
_TYPE_WORDS = {
    "str": "text",
    "int": "int",
    "float": "float",
    "int range": "int_range",
    "float range": "float_range",
    "path": "path",
    "list[str]": "list_text",
    "%Y-%m-%d": "date",
}


def type_word(shown: str | None) -> str | None:
    """Typer's type label in the language: ``<int range>`` as ``<số nguyên trong khoảng>``;
    none for a flag (``<bool>``: it takes no value); a label the catalogue does not know (a
    list of choices) stays as Typer wrote it."""
    if not (isinstance(shown, str) and shown.startswith("<") and shown.endswith(">")):
        return shown
    if shown == "<bool>":
        return None
    word = _TYPE_WORDS.get(shown[1:-1])
    return f"<{t('cli_words.type.' + word)}>" if word else shown


def _words_for_types() -> None:
    """Typer 0.29 prints each parameter's Python type (``<str>``, ``<bool>``); its parameter
    class has no public hook for that label, so its one method is wrapped, once."""
    from typer import core

    parameter = core._TyperParameter  # no public name for the label
    if getattr(parameter, "_typed_in_words", False):
        return
    label = parameter.display_type

    def display_type(self: Any, ctx: Any) -> str | None:
        return type_word(label(self, ctx))

    parameter.display_type = display_type  # type: ignore[method-assign]
    parameter._typed_in_words = True  # type: ignore[attr-defined]


def localize(root: Any) -> None:
    """Write the whole tree's help in the current language (a dictionary look-up each)."""
    _words_for_types()
    arguments, options = t("cli_words.arguments"), t("cli_words.options")
    for path, command in commands(root):
        command.help = _text(help_key(path), command.help)
        command.context_class = HelpContext
        command.options_metavar = t("cli_words.options_metavar")
        if hasattr(command, "subcommand_metavar"):
            command.subcommand_metavar = t("cli_words.subcommand_metavar")
        for sub in getattr(command, "commands", {}).values():
            sub.rich_help_panel = t("cli_words.commands")
        for param in command.params:
            if getattr(param, "hidden", False) or param.name is None:
                continue
            param.help = _text(param_key(path, param.name), getattr(param, "help", None))
            param.rich_help_panel = options if param.param_type_name == "option" else arguments


def _text(key: str, written: str | None) -> str | None:
    """The catalogue's words; a command merged before its keys keeps the help it was written
    with (the completeness test names the missing keys)."""
    text = t(key)
    return written if text == key else text


class _HelpFormatter(typer.Context.formatter_class):  # type: ignore[misc,name-defined]
    """The plain (no rich) help: its usage prefix and section titles in the language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix or f"{t('cli_words.usage')} ")

    def write_heading(self, heading: str) -> None:
        key = _PANELS.get(heading)
        super().write_heading(t(f"cli_words.{key}") if key else heading)


class HelpContext(typer.Context):
    """Called for every usage line and help page, so Typer's own words are set just then."""

    formatter_class = _HelpFormatter

    def make_formatter(self) -> Any:
        option = self.command.get_help_option(self)
        if option is not None:
            option.help = t("cli_words.help_option")
            option.rich_help_panel = t("cli_words.options")
        rich_utils = sys.modules.get("typer.rich_utils")  # loaded by Typer only to print
        for constant, key in _RICH_WORDS.items() if rich_utils is not None else ():
            setattr(rich_utils, constant, t(f"cli_words.{key}"))  # templates Typer fills
        return super().make_formatter()


class LocalizedGroup(TyperGroup):
    """The root group: sets the language the command line asks for, then the tree's help."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        chosen = asked_language(sys.argv[1:] if args is None else args)
        if chosen is not None and chosen != language():
            set_language(chosen)
        localize(self)
        return super().main(args, *rest, **extra)

    def make_context(self, *args: Any, **extra: Any) -> Any:
        try:
            return super().make_context(*args, **extra)
        except UsageError as err:  # the root's own options: --lang without a value...
            raise translated(err) from err

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as err:  # every subcommand's parsing and its own BadParameter
            raise translated(err) from err
