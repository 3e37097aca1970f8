"""Every ``--help`` follows the language (issue 19, item 13): the help of each command and
option comes from ``cli_help.toml`` in the language ``--lang`` or ``$CASEINTAKE_LANG`` asks for.

The walk over every command renders Typer's plain help (``rich_markup_mode=None``: the same
texts, ~2 ms a page instead of ~100 ms); a few pages go through the rich renderer users see.
A command added later fails ``test_every_command_and_parameter_has_its_help_in_both_languages``
until its keys are in both catalogues, with the missing keys named.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout, suppress
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from caseintake.cli.help_text import commands, help_key, param_key
from caseintake.cli.main import app
from caseintake.i18n import catalogue, set_language

WORD = re.compile(r"[^\W\d_]+")
# Quoted as typed in the Vietnamese help: values, codes, formats, standards ("Viet Nam" in
# the English one), the plain renderer's own tags ([required], [default: 3; 0<=x<=9]).
QUOTED = frozenset(
    WORD.findall(
        """
        acknowledged admin argon backup body case caseintake code committee commune csv dd
        declined default dispatch done email en help hours https id in intake json letter m mm
        n nam name none operator person phone phones progress province provincial readme
        cih consent duty emergency hotline legal open
        required revoked schema sent source stdout supervisor tab tcp url vi viewed ward web x
        xlsx yyyy zalo
        """
    )
)
METAVAR = re.compile(r"<[^>]*>|\{[^}]*\}|\b[A-Z_]{2,}\b")  # <str>, {name}, PATH
# Typer's own type labels (Python's names), which a Vietnamese page must say in words.
TYPE_LABEL = re.compile(r"<(str|int|float|bool|path|list\[|%Y)[^>]*>")


@pytest.fixture(scope="module")
def tree() -> Iterator[Any]:
    """The command tree Typer builds (~0.3 s), once for the module, rendered without rich."""
    root = typer.main.get_command(app)
    for _path, command in commands(root):
        command.rich_markup_mode = None
    yield root
    set_language("vi")


def visible(command: Any) -> list[Any]:
    return [p for p in command.params if not getattr(p, "hidden", False)]


def render(root: Any, argv: list[str]) -> str:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out), suppress(SystemExit):
        root.main(argv, prog_name="caseintake", standalone_mode=False)
    return out.getvalue()


def flat(text: str) -> str:
    """Whitespace as one space; a line broken after a hyphen ('--accept-' 'rollback') joined."""
    return re.sub(r"- ", "-", " ".join(text.split()))


def squeezed(text: str) -> str:
    """The text without its whitespace: Click wraps a long word anywhere ('phone' 's'), so a
    help is looked for in order, wherever the page broke its lines."""
    return "".join(text.split())


def test_every_command_and_parameter_has_its_help_in_both_languages(tree: Any) -> None:
    missing = []
    for lang in ("vi", "en"):
        messages = catalogue(lang)
        for path, command in commands(tree):
            if help_key(path) not in messages:
                missing.append(f"{lang}: {help_key(path)}")
            for param in visible(command):
                if param_key(path, param.name, lang) not in messages:
                    missing.append(f"{lang}: {help_key(path, param.name)}")
    assert missing == [], "help missing from cli_help.toml:\n" + "\n".join(missing)


def test_every_vietnamese_help_is_vietnamese_and_differs_from_the_english() -> None:
    vi, en = catalogue("vi"), catalogue("en")
    keys = [k for k in vi if k.startswith("cli_help.")]
    assert len(keys) > 170
    not_vietnamese = [k for k in keys if not re.search(r"[à-ỹđĐ]", vi[k])]
    assert not_vietnamese == []
    assert [k for k in keys if vi[k] == en.get(k)] == []
    assert sorted(keys) == sorted(k for k in en if k.startswith("cli_help."))


def test_every_help_page_shows_its_language_and_no_english_on_the_vietnamese_side(
    tree: Any,
) -> None:
    checked = 0
    every_name = " ".join(n for _path, command in commands(tree) for n in _names(command))
    names = {w.lower() for w in WORD.findall(every_name)}
    for path, command in commands(tree):
        argv = [*path.split("."), "--help"] if path else ["--help"]
        pages = {lang: render(tree, ["--lang", lang, *argv]) for lang in ("vi", "en")}
        assert not TYPE_LABEL.search(pages["vi"]), (path, TYPE_LABEL.findall(pages["vi"]))
        for lang, page in pages.items():
            messages = catalogue(lang)
            assert squeezed(messages[help_key(path)]) in squeezed(page), (lang, path)
            for param in visible(command):
                assert squeezed(messages[param_key(path, param.name, lang)]) in squeezed(page), (
                    lang,
                    path,
                    param.name,
                )
        # Words of the English page that the Vietnamese page still shows, other than names one
        # types (commands, options, metavars) and what the Vietnamese help quotes as typed.
        allowed = QUOTED | names
        vi_words, en_words = (
            {w.lower() for w in WORD.findall(METAVAR.sub(" ", pages[x]))} for x in ("vi", "en")
        )
        leaked = (vi_words & en_words) - allowed - set(path.split("."))
        assert leaked == set(), (path, sorted(leaked))
        checked += 1
    assert checked == len(list(commands(tree))) > 50


def _names(command: Any) -> list[str]:
    names = [str(n) for n in getattr(command, "commands", {})]
    for param in command.params:
        names += [*param.opts, *param.secondary_opts, str(param.metavar or ""), param.name or ""]
    return names


@pytest.mark.parametrize(
    ("argv", "env", "shown", "not_shown"),
    [
        (["--lang", "vi", "user", "add", "--help"], {}, "Tên của người dùng mới.", "new user"),
        (["--help", "--lang", "vi"], {}, "Người dùng và vai trò.", "Users and roles"),
        (["user", "add", "--help"], {"CASEINTAKE_LANG": "en"}, "The new user's name.", "Tên"),
        (["stats", "export", "--lang", "en", "--help"], {}, "indicators of a period", "Xuất"),
        (["--lang", "en", "user"], {}, "Change your password", "Đổi mật khẩu"),
    ],
)
def test_help_as_the_user_sees_it_follows_the_language(
    argv: list[str], env: dict[str, str], shown: str, not_shown: str
) -> None:
    """Through the rich renderer, as typed: --lang before or after --help, or the setting."""
    result = CliRunner().invoke(app, argv, env={"CASEINTAKE_LANG": "", **env, "COLUMNS": "200"})
    set_language("vi")
    assert result.exit_code in (0, 2), result.output
    page = flat(result.output)
    assert shown in page and not_shown not in page
    vietnamese = "Tên" in shown or "Người" in shown
    frame = ("Cách dùng:", "Tùy chọn", "In trợ giúp này") if vietnamese else ("Usage:", "Options")
    assert all(word in page for word in frame), page
    if "add" in argv:
        assert ("[bắt buộc]" if vietnamese else "[required]") in page


def test_a_usage_error_is_framed_in_the_language_and_still_exits_2() -> None:
    result = CliRunner().invoke(app, ["--lang", "vi", "user", "add", "lan"])
    set_language("vi")
    assert result.exit_code == 2
    assert "Cách dùng: caseintake user add" in result.output
    assert "Xem 'caseintake user add --help' để được trợ giúp." in flat(result.output)


def test_an_unknown_language_still_gets_one_sentence_and_help_in_the_current_one() -> None:
    result = CliRunner().invoke(app, ["--lang", "fr", "user", "list", "--user", "x"], env={})
    assert result.exit_code == 2 and "không có ngôn ngữ 'fr'" in result.output
    page = CliRunner().invoke(app, ["--lang", "fr", "--help"], env={"CASEINTAKE_LANG": ""})
    assert page.exit_code == 0 and "Người dùng và vai trò." in flat(page.output)


def test_no_help_is_written_in_the_code() -> None:
    """The catalogue is the one source of ``--help``: a ``help=`` string in a command's code is
    never shown (its catalogue key overrides it) and only drifts from it (issue 19 review)."""
    import ast
    from pathlib import Path

    import caseintake.cli

    found = []
    for path in Path(caseintake.cli.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and any(k.arg == "help" for k in node.keywords):
                found.append(f"{path.name}:{node.lineno}")
    assert found == [], found
