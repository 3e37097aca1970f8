"""``caseintake init --line --line-name``, ``line show [--json]`` and ``line card --out``
(issue 24's command-line contract): each wrong input is one sentence and exit 1."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from caseintake.crypto.line_identity import parse_card

ROOT = {"password": "amber-violet-72"}


def one_sentence(result: Any) -> bool:
    lines = result.output.strip().splitlines()
    return result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.output


def test_init_refuses_a_bad_line_code(cli, url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for args in (["--line", "hn"], ["--line", "TOOLONGCODE"], ["--line", "HN"]):
        result = cli("init", "--admin", "root", *args, "--db", url, **ROOT)
        assert one_sentence(result), result.output
    assert not (tmp_path / "cli.db").exists() or cli("line", "show", "--db", url).exit_code == 1


def test_line_card_into_a_missing_folder(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("line", "card", "--out", str(tmp_path / "nowhere" / "c.json"), "--db", initialised)
    assert one_sentence(result)
    shown = json.loads(cli("line", "show", "--json", "--db", initialised).output)
    assert shown["code"] == "111"


def test_two_lines_exchange_cards(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hn, hq = f"sqlite:///{tmp_path / 'hn.db'}", f"sqlite:///{tmp_path / 'hq.db'}"
    assert cli("init", "--admin", "root", "--db", hq, **ROOT).exit_code == 0
    made = cli("init", "--admin", "root", "--line", "HN", "--line-name", "Đường dây Hà Nội",
               "--db", hn, **ROOT)  # fmt: skip
    assert made.exit_code == 0, made.output
    shown = json.loads(cli("line", "show", "--json", "--db", hn).output)
    assert set(shown) == {"code", "name", "fingerprint"}
    assert (shown["code"], shown["name"]) == ("HN", "Đường dây Hà Nội")
    fingerprint = shown["fingerprint"]
    assert re.fullmatch(r"\d{4}( \d{4}){5}", fingerprint)
    card = tmp_path / "hn.json"
    written = cli("line", "card", "--out", str(card), "--db", hn)
    assert written.exit_code == 0 and fingerprint in written.output
    assert parse_card(card.read_bytes()).fingerprint == fingerprint
    assert one_sentence(cli("line", "card", "--out", str(card), "--db", hn))  # never over a file

    wrong = cli("directory", "add-line", str(card), "--fingerprint", "1234 5678",
                "--user", "root", "--db", hq, **ROOT)  # fmt: skip
    assert (
        one_sentence(wrong)
        and json.loads(cli("directory", "lines", "--json", "--db", hq).output) == []
    )
    missing = cli("directory", "add-line", str(tmp_path / "none.json"), "--fingerprint",
                  fingerprint, "--user", "root", "--db", hq, **ROOT)  # fmt: skip
    assert one_sentence(missing)

    added = cli("directory", "add-line", str(card), "--fingerprint", fingerprint, "--json",
                "--user", "root", "--db", hq, **ROOT)  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.output) == {"id": "line-hn"}
    (listed,) = json.loads(cli("directory", "lines", "--json", "--db", hq).output)
    assert (listed["code"], listed["fingerprint"], listed["retired"]) == ("HN", fingerprint, False)
    retired = cli("directory", "retire-line", "line-hn", "--user", "root", "--db", hq, **ROOT)
    assert retired.exit_code == 0, retired.output
    (listed,) = json.loads(cli("directory", "lines", "--json", "--db", hq).output)
    assert listed["retired"] is True
    again = cli("directory", "retire-line", "line-hn", "--user", "root", "--db", hq, **ROOT)
    assert one_sentence(again)


def test_intake_json_with_a_personal_id(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.samples import design_example

    child = {"age": 9, "age_basis": "stated", "sex": "male", "ethnicity": "kinh"}
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps(design_example(children=[{**child, "personal_id": "079316123456"}]))
    )
    lan = {"password": "quiet-harbour-41"}
    refused = cli("intake", str(wrong), "--user", "lan", "--db", initialised, **lan)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "children[0].personal_id" in refused.output and "giới tính" in refused.output
    right = tmp_path / "right.json"
    right.write_text(
        json.dumps(design_example(children=[{**child, "personal_id": "079216123456"}]))
    )
    saved = cli("intake", str(right), "--user", "lan", "--db", initialised, **lan)
    assert saved.exit_code == 0, saved.output
    shown = cli(
        "case", "show", "111-2026-000001", "--json", "--user", "lan", "--db", initialised, **lan
    )
    assert "079216123456" in shown.output


def test_directory_as_hsds_from_the_cli(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "dir.json"
    exported = cli("directory", "export-hsds", "--out", str(out), "--db", initialised)
    assert exported.exit_code == 0, exported.output
    again = cli("directory", "export-hsds", "--out", str(out), "--db", initialised)
    assert one_sentence(again)  # never over an existing file
    shown = cli("directory", "import-hsds", str(out), "--preview", "--user", "root",
                "--db", initialised, **ROOT)  # fmt: skip
    assert shown.exit_code == 0 and "0 line" not in shown.output, shown.output
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "x", "name": "y", "status": "open"}]', encoding="utf-8")
    refused = cli(
        "directory", "import-hsds", str(bad), "--user", "root", "--db", initialised, **ROOT
    )
    assert one_sentence(refused)
