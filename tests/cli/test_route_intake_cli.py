"""``route`` and ``intake``: decisions, saves, and bad input that saves nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from caseintake.store.models import Case, Contact
from tests.conftest import OPERATOR_PW
from tests.samples import design_example

REPORT = design_example(narrative="Bé bị cha dượng đánh, đang chảy máu.")


def write(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def rows(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as c:
        n = (
            c.execute(select(func.count()).select_from(Contact)).scalar_one(),
            c.execute(select(func.count()).select_from(Case)).scalar_one(),
        )
    engine.dispose()
    return n


def test_route_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("route", write(tmp_path, REPORT), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["priority"] == "emergency"
    assert [a["code"] for a in out["actions_now"]][:1] == ["emergency_113"]
    bodies = {r["body"]: r for r in out["referrals"]}
    assert bodies["commune_committee"]["area"]["ward_code"] == 26740
    assert all(r["basis"] and r["rule_ids"] and r["due_at"] for r in out["referrals"])


def test_route_text(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "route", write(tmp_path, REPORT))
    assert result.exit_code == 0
    assert (
        "Priority:" in result.output and "Do now" in result.output and "Referrals:" in result.output
    )


def test_intake_saves_and_prints_case_number(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "--lang",
        "en",
        "intake",
        write(tmp_path, REPORT),
        "--user",
        "lan",
        "--db",
        initialised,
        password="quiet-harbour-41",
    )
    assert result.exit_code == 0, result.output
    assert "case 111-2026-000001" in result.output
    assert rows(initialised) == (1, 1)
    engine = create_engine(initialised)
    with engine.connect() as c:
        actions = c.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars().all()
    engine.dispose()
    assert {"contact_created", "case_opened", "referral_created"} <= set(actions)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("{not json", "not valid JSON"),
        ({**REPORT, "concerns": ["sorcery"]}, "concerns[0]"),
        ({**REPORT, "children": [{"age": -3}]}, "children[0].age"),
        (
            {**REPORT, "location": {"province_code": 999, "ward_code": 26740}},
            "location.province_code",
        ),
        ({**REPORT, "location": {"province_code": 1, "ward_code": 26740}}, "location.ward_code"),
        ([1, 2, 3], ""),
        ({**REPORT, "received_at": "yesterday"}, "received_at"),
    ],
)
def test_bad_input_is_one_sentence_and_saves_nothing(
    cli, initialised: str, tmp_path: Path, data, expected
) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, data)
    for args in (("route", path), ("intake", path, "--user", "lan", "--db", initialised)):
        result = cli("--lang", "en", *args, password="quiet-harbour-41")
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert expected in result.output
    assert rows(initialised) == (0, 0)


def test_missing_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "route", str(tmp_path / "nope.json"))
    assert result.exit_code == 1 and "There is no file" in result.output


def test_rules_check_and_directory(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok = cli("--lang", "en", "rules", "check")
    assert ok.exit_code == 0, ok.output
    broken = write(tmp_path, '[[rule]]\nid = "x"\n', "rules.toml")
    bad = cli("--lang", "en", "rules", "check", broken)
    assert bad.exit_code == 1
    listed = cli("directory", "list", "--db", initialised)
    assert listed.exit_code == 0 and "111" in listed.output


def test_directory_import_names_the_desk(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = "id,body,name,province_code,ward_code,phones,email,hours,source,note\n"
    good = header + (
        "hcm-saigon-ubnd,commune_committee,UBND phường Sài Gòn,79,26740,0283829 1234,,7:30-17:00,test,\n"
    )
    bad = header + "x-1,wizards,Hội phù thủy,79,,0912345678,,,,\n"
    refused = cli(
        "--lang",
        "en",
        "directory",
        "import",
        write(tmp_path, bad, "bad.csv"),
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert (
        refused.exit_code == 1
        and "Line 2" in refused.output
        and len(refused.output.strip().splitlines()) == 1
    )
    ok = cli(
        "--lang",
        "en",
        "directory",
        "import",
        write(tmp_path, good, "good.csv"),
        "--user",
        "root",
        "--db",
        initialised,
        password="amber-violet-72",
    )
    assert ok.exit_code == 0 and "1 added" in ok.output
    routed = json.loads(cli("route", write(tmp_path, REPORT), "--json", "--db", initialised).output)
    desk = {r["body"]: r["entry"] for r in routed["referrals"]}["commune_committee"]
    assert desk["id"] == "hcm-saigon-ubnd" and desk["name"] == "UBND phường Sài Gòn"


def test_a_follow_up_call_links_by_the_case_number(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 19, item 17: ``case_id`` takes the number every screen shows; an unknown one is
    one sentence and saves nothing."""

    def intake(data: object) -> Any:
        path = write(tmp_path, data)
        args = ("--lang", "en", "intake", path, "--user", "lan", "--db", initialised)
        return cli(*args, password=OPERATOR_PW)

    assert intake(REPORT).exit_code == 0
    again = {**REPORT, "contact_type": "follow_up", "case_id": "111-2026-000001"}
    result = intake(again)
    assert result.exit_code == 0, result.output
    assert "111-2026-000001" in result.output
    assert rows(initialised) == (2, 1)  # two calls, on one case
    result = intake({**again, "case_id": "111-2026-000099"})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert rows(initialised) == (2, 1)
