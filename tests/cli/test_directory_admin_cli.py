"""``directory add|edit|retire|search`` and ``directory import --preview``: one sentence for
each refusal, stored escapes shown as text, a preview writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PW = "amber-violet-72"


def test_add_edit_search_retire(cli: Any, initialised: str) -> None:
    db = ("--db", initialised)
    added = cli("directory", "add", "ubnd-x", "--body", "commune_committee", "--name",
                "UBND phường X", "--province-code", "79", "--phones", "02838123456",
                "--user", "root", *db, password=PW)  # fmt: skip
    assert added.exit_code == 0, added.output
    found = cli("directory", "search", "phường x", *db)
    assert "ubnd-x\tcommune_committee\t79\tUBND phường X\t+842838123456\t\tv1" in found.output
    edited = cli("directory", "edit", "ubnd-x", "--hours", "24/7", "--user", "root", *db,
                 password=PW)  # fmt: skip
    assert edited.exit_code == 0 and "2" in edited.output
    retired = cli("directory", "retire", "ubnd-x", "--user", "root", *db, password=PW)
    assert retired.exit_code == 0
    assert "ubnd-x" not in cli("directory", "search", "ubnd-x", *db).output
    assert "retired" in cli("directory", "search", "ubnd-x", "--retired", *db).output


def test_bad_values_are_one_sentence(cli: Any, initialised: str) -> None:
    db = ("--db", initialised)
    for extra in (
        ("--name", "UBND \x1b]0;PWNED\x07"),
        ("--name", "UBND", "--phones", "abc"),
        ("--name", "UBND", "--email", "not-an-email"),
    ):
        result = cli("directory", "add", "ubnd-y", "--body", "commune_committee", *extra,
                     "--user", "root", *db, password=PW)  # fmt: skip
        assert result.exit_code == 1, extra
        assert len(result.stderr.strip().splitlines()) == 1 and "\x1b" not in result.stderr
    nothing = cli("directory", "edit", "ubnd-y", "--user", "root", *db, password=PW)
    assert nothing.exit_code == 1
    missing = cli("directory", "retire", "nope", "--user", "root", *db, password=PW)
    assert missing.exit_code == 1 and "nope" in missing.stderr
    op = cli("directory", "add", "ubnd-z", "--body", "commune_committee", "--name", "Z",
             "--user", "lan", *db, password="quiet-harbour-41")  # fmt: skip
    assert op.exit_code == 1
    assert "ubnd-" not in cli("directory", "search", "ubnd-", *db).output


def test_import_preview_writes_nothing(cli: Any, initialised: str, tmp_path: Path) -> None:
    csv = tmp_path / "d.csv"
    csv.write_text(
        "id,body,name,province_code,phones\nubnd-a,commune_committee,UBND A,79,02838123456\n",
        encoding="utf-8",
    )
    db = ("--db", initialised)
    shown = cli("directory", "import", str(csv), "--preview", "--user", "root", *db, password=PW)
    assert shown.exit_code == 0 and "+\tubnd-a\tUBND A" in shown.output
    assert "ubnd-a" not in cli("directory", "search", "ubnd-a", *db).output
    done = cli("directory", "import", str(csv), "--user", "root", *db, password=PW)
    assert done.exit_code == 0
    assert "ubnd-a" in cli("directory", "search", "ubnd-a", *db).output
