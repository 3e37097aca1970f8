"""Issue 21 item 5, the attacks first: a formula as a directory name or hours, typed, imported or
planted in the database file, and a formula as a code in a counted column. The directory
refuses it in one sentence; a planted one is listed as text; an export stops before writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.cli import test_stats_cli
from tests.cli.test_stats_cli import export
from tests.conftest import ADMIN_PW

with_calls = test_stats_cli.with_calls  # the fixture, shared

PW = ADMIN_PW
HYPERLINK = '=HYPERLINK("http://evil.example","Call here")'


def one_sentence(result: Any) -> str:
    assert result.exit_code == 1, result.output
    text = result.stderr.strip()
    assert "Traceback" not in result.output and len(text.splitlines()) == 1, text
    return text


@pytest.mark.parametrize(
    ("option", "value"),
    [("--name", HYPERLINK), ("--hours", "@SUM(1)"), ("--name", "+1+1"), ("--source", "-2+3")],
)
def test_the_directory_refuses_a_formula(
    cli: Any, initialised: str, option: str, value: str
) -> None:
    db = ("--db", initialised)
    extra = (option, value) if option == "--name" else ("--name", "UBND X", option, value)
    result = cli("--lang", "en", "directory", "add", "ubnd-f", "--body", "commune_committee",
                 "--province-code", "79", *extra, "--user", "root", *db, password=PW)  # fmt: skip
    assert "spreadsheet could run it as a formula" in one_sentence(result)
    assert "ubnd-f" not in cli("directory", "search", "ubnd-f", *db).output


def test_an_imported_formula_is_refused_with_its_line(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    csv = tmp_path / "d.csv"
    csv.write_text(
        "id,body,name,province_code,hours\n"
        "ubnd-a,commune_committee,UBND A,79,7:30-17:00\n"
        'ubnd-b,commune_committee,"=HYPERLINK(""http://evil.example"",""x"")",79,\n',
        encoding="utf-8",
    )
    db = ("--db", initialised)
    result = cli("--lang", "en", "directory", "import", str(csv), "--user", "root", *db,
                 password=PW)  # fmt: skip
    text = one_sentence(result)
    assert text.startswith("Line 3, column name:") and "formula" in text
    assert "ubnd-a" not in cli("directory", "search", "ubnd-", *db).output  # all or nothing


def test_a_planted_formula_is_listed_as_text(cli: Any, initialised: str) -> None:
    """Someone with write access to the file stored formulas: ``directory list`` and ``search``
    print them with the apostrophe a spreadsheet reads as "this is text"."""
    conn = sqlite3.connect(initialised.removeprefix("sqlite:///"))
    conn.execute(
        "INSERT INTO directory_entries (id, body, name, province_code, ward_code, phones, hours,"
        " active) VALUES ('planted', 'commune_committee', ?, 79, 26740, '+842838291234', ?, 1)",
        (HYPERLINK, "@SUM(1)"),
    )
    conn.commit()
    conn.close()
    for args in (("directory", "list", "--province", "79"), ("directory", "search", "planted")):
        result = cli(*args, "--db", initialised)
        assert result.exit_code == 0, result.output
        line = next(x for x in result.output.splitlines() if x.startswith("planted"))
        cells = line.split("\t")
        assert cells[3] == "'" + HYPERLINK and cells[5] == "'@SUM(1)"
        assert cells[4] == "+842838291234"  # a phone stays a phone
        assert not [c for c in cells if c[:1] in ("=", "@", "-")]


def test_a_formula_as_a_code_stops_the_export(  # type: ignore[no-untyped-def]
    cli, with_calls: str, tmp_path: Path
) -> None:
    """A channel edited behind the app's back: checked against the taxonomy, the export is
    refused in one sentence, no file, no audit event; on stdout too."""
    conn = sqlite3.connect(with_calls.removeprefix("sqlite:///"))
    conn.execute(
        "UPDATE contacts SET channel = ? WHERE id = (SELECT min(id) FROM contacts)", (HYPERLINK,)
    )
    conn.commit()
    conn.close()
    out = tmp_path / "h1.csv"
    for args in (("--format", "csv", "--out", str(out)), ("--format", "csv"), ()):
        text = one_sentence(export(cli, with_calls, *args))
        assert "not in the taxonomy" in text and "channel" in text
    assert not out.exists()
    conn = sqlite3.connect(with_calls.removeprefix("sqlite:///"))
    exported = conn.execute(
        "SELECT count(*) FROM audit_events WHERE action = 'statistics_exported'"
    ).fetchone()
    conn.close()
    assert exported == (0,)
