"""Typer's own usage errors speak the reader's language (issue 19, the second walk): each kind
Typer raises for our commands is one sentence from ``cli_errors.toml`` inside the translated
frame, exit 2, with none of Typer's English words left. The two kinds none of our commands can
raise today (a choice, a path that must exist) run through a small app on the same root group.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from caseintake.cli.help_text import LocalizedGroup
from caseintake.cli.main import app
from caseintake.i18n import set_language

ENGLISH = re.compile(
    r"Missing (option|argument)|No such (command|option)|Invalid value|Did you mean|"
    r"requires an argument|does not take|unexpected extra|not a valid|Input should|"
    r"does not match|does not exist|Possible options"
)


def panel(output: str) -> str:
    """The words inside the error panel, its borders and line breaks taken out."""
    rows = [line.strip("│ ") for line in output.splitlines() if line.startswith("│")]
    return " ".join(rows)


def run(*argv: str, lang: str = "vi") -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--lang", lang, *argv], env={"COLUMNS": "200"})
    set_language("vi")
    return result.exit_code, panel(result.output)


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["user", "add"], "Thiếu đối số 'name'."),
        (["user", "add", "lan"], "Thiếu tùy chọn '--role'."),
        (["user", "add", "lan", "--role", "operator"], "Thiếu tùy chọn '--user' / '-u'."),
        (["xyz"], "Không có lệnh 'xyz'."),
        (["usr"], "Không có lệnh 'usr'; có phải bạn muốn gõ 'user'?"),
        (["audit", "list", "--nope"], "Không có tùy chọn '--nope'; có phải bạn muốn gõ"),
        (["audit", "list", "--zzzzzz"], "Không có tùy chọn '--zzzzzz'."),
        (["directory", "list", "--province"], "Tùy chọn '--province' cần một giá trị ngay sau nó."),
        (["audit", "list", "--json=yes"], "Tùy chọn '--json' không nhận giá trị."),
        (
            ["audit", "list", "--page", "abc"],
            "Giá trị của '--page' không hợp lệ: 'abc' không phải số nguyên.",
        ),
        (
            ["serve", "--session-timeout", "x"],
            "Giá trị của '--session-timeout' không hợp lệ: 'x' không phải số.",
        ),
        (
            ["serve", "--port", "0"],
            "Giá trị của '--port' không hợp lệ: phải từ 1 trở lên ('0' là quá nhỏ).",
        ),
        (["serve", "--port", "70000"], "phải không quá 65535 ('70000' là quá lớn)."),
        (
            ["audit", "list", "--since", "2026-13-01"],
            "Giá trị của '--since' không hợp lệ: '2026-13-01' không phải ngày theo dạng yyyy-mm-dd.",
        ),
        (["user", "list", "--user", "a", "b", "c"], "Thừa đối số mà lệnh không dùng: b c."),
        (
            ["--lang", "fr", "user", "list"],
            "Giá trị của '--lang' không hợp lệ: không có ngôn ngữ 'fr'",
        ),
    ],
)
def test_each_usage_error_is_one_vietnamese_sentence(argv: list[str], sentence: str) -> None:
    code, words = run(*argv)
    assert code == 2
    assert sentence in words, words
    assert not ENGLISH.search(words), words


def test_the_english_reader_gets_the_english_catalogue() -> None:
    code, words = run("audit", "list", "--page", "abc", lang="en")
    assert code == 2
    assert words == "Invalid value for '--page': 'abc' is not a whole number."


def test_the_default_language_is_vietnamese_too() -> None:
    result = CliRunner().invoke(app, ["user", "add"], env={"CASEINTAKE_LANG": "", "COLUMNS": "200"})
    assert result.exit_code == 2 and panel(result.output) == "Thiếu đối số 'name'."


class Role(StrEnum):
    operator = "operator"
    admin = "admin"


VI = {"CASEINTAKE_LANG": "vi", "COLUMNS": "200"}
small = typer.Typer(cls=LocalizedGroup, add_completion=False)


@small.command("pick")
def pick(role: Annotated[Role, typer.Option("--role")] = Role.operator) -> None:
    """A choice, as an Enum option."""


@small.command("read")
def read(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """A path that must be an existing file."""


def test_a_bad_choice_names_the_choices() -> None:
    result = CliRunner().invoke(small, ["pick", "--role", "boss"], env=VI)
    set_language("vi")
    words = panel(result.output)
    assert result.exit_code == 2 and not ENGLISH.search(words), words
    assert "Giá trị của '--role' không hợp lệ: 'boss' không phải một trong" in words, words
    assert "'operator'" in words and "'admin'" in words


def test_a_path_that_is_not_there_or_is_a_folder(tmp_path: Path) -> None:
    missing = CliRunner().invoke(small, ["read", str(tmp_path / "nope.json")], env=VI)
    folder = CliRunner().invoke(small, ["read", str(tmp_path)], env=VI)
    set_language("vi")
    assert missing.exit_code == 2 and folder.exit_code == 2
    assert "không có tệp hay thư mục '" in panel(missing.output), missing.output
    assert "là một thư mục, không phải tệp." in panel(folder.output), folder.output
    assert not ENGLISH.search(panel(missing.output) + panel(folder.output))
