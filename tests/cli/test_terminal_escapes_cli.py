"""Stored or typed text reaches the terminal as text: an escape sequence in a directory entry
or a CSV cell is printed escaped, never sent to the terminal (issue 10 item 8, CLI side)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from caseintake.cli.terminal_text import escaped
from tests.samples import design_example

TITLE_AND_COLOUR = "\x1b]0;PWNED\x07\x1b[31m"
SHOWN = "\\x1b]0;PWNED\\x07\\x1b[31m"
HEADER = "id,body,name,province_code,ward_code,phones,email,hours,source,note\n"


def no_raw_controls(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b\r\u202e")


def plant_entry(url: str) -> None:
    """What someone with write access to the database file can leave in the directory."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    conn.execute(
        "INSERT INTO directory_entries (id, body, name, province_code, ward_code, phones, hours,"
        " active) VALUES (?, 'commune_committee', ?, 79, 26740, '+842838291234', ?, 1)",
        (
            "evil\x1b[2J",
            f"UBND {TITLE_AND_COLOUR}phường\nfake line\u202e",
            "7:30\x9b31m",
        ),
    )
    conn.commit()
    conn.close()


def test_directory_list_shows_escapes_as_text(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    plant_entry(initialised)
    result = cli("directory", "list", "--db", initialised, "--province", "79")
    assert result.exit_code == 0, result.output
    assert no_raw_controls(result.output)
    line = next(x for x in result.output.splitlines() if x.startswith("evil"))
    assert line.split("\t") == [
        "evil\\x1b[2J",
        "commune_committee",
        "26740",
        f"UBND {SHOWN}phường\\x0afake line\\u202e",
        "+842838291234",
        "7:30\\x9b31m",
    ]


def test_route_names_a_planted_desk_as_text(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plant_entry(initialised)
    report = tmp_path / "report.json"
    report.write_text(json.dumps(design_example()), encoding="utf-8")
    result = cli("--lang", "en", "route", str(report), "--db", initialised)
    assert result.exit_code == 0, result.output
    assert no_raw_controls(result.output)
    assert f"UBND {SHOWN}phường\\x0afake line" in result.output


def test_route_json_escapes_what_json_leaves_raw(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """json.dumps(ensure_ascii=False) writes C1 controls and bidi overrides raw: not here."""
    plant_entry(initialised)
    report = tmp_path / "report.json"
    report.write_text(json.dumps(design_example()), encoding="utf-8")
    result = cli("route", str(report), "--json", "--db", initialised)
    assert result.exit_code == 0, result.output
    assert no_raw_controls(result.output)
    desks = {r["body"]: r["entry"] for r in json.loads(result.output)["referrals"]}
    assert desks["commune_committee"]["name"] == f"UBND {TITLE_AND_COLOUR}phường\nfake line\u202e"


def test_csv_error_message_shows_escapes_as_text(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "bad.csv"
    csv.write_text(
        HEADER + f"x-1,wiz{TITLE_AND_COLOUR}ards,Hội phù thủy,79,,0912345678,,,,\n",
        encoding="utf-8",
    )
    result = cli(
        "--lang", "en", "directory", "import", str(csv), "--user", "root", "--db", initialised,
        password="amber-violet-72",
    )  # fmt: skip
    assert result.exit_code == 1
    assert no_raw_controls(result.output)
    assert len(result.output.strip().splitlines()) == 1
    assert "Line 2" in result.output and f"wiz{SHOWN}ards" in result.output


def test_escaped_keeps_text_and_writes_controls_as_escapes() -> None:
    assert escaped("Phường Bến Thành, 0912 345 678") == "Phường Bến Thành, 0912 345 678"
    assert escaped("a\tb\nc\x00\x7f\x85") == "a\\x09b\\x0ac\\x00\\x7f\\x85"
    assert escaped("bad \udcff byte") == "bad \\udcff byte"  # never a UnicodeEncodeError later
    assert escaped("\u202eevil\u2066") == "\\u202eevil\\u2066"
    assert escaped("line 1\nline\x1b 2", keep_newlines=True) == "line 1\nline\\x1b 2"
    assert escaped("zero\u200dwidth joiner stays") == "zero\u200dwidth joiner stays"
