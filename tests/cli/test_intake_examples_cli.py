"""Every shipped intake example is valid: ``route`` decides it and the published schema accepts
it; ``intake --schema`` needs no database and no password (issue 7 item 12)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from caseintake.domain.intake.schema import intake_schema
from tests.schema_subset import problems

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLE_FILES = sorted(
    [*ROOT.glob("bench/*.json"), *ROOT.glob("examples/**/*.json"), *ROOT.glob("docs/**/*.json")]
)


def readme_examples() -> list[str]:
    """The ```json blocks of the README section "Intake JSON"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Intake JSON", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```json\n(.*?)```", section, flags=re.DOTALL)


def examples(tmp_path: Path) -> list[tuple[str, Path]]:
    found = [(str(p.relative_to(ROOT)), p) for p in EXAMPLE_FILES]
    for i, block in enumerate(readme_examples()):
        path = tmp_path / f"readme-{i}.json"
        path.write_text(block, encoding="utf-8")
        found.append((f"README example {i + 1}", path))
    return found


def test_there_are_examples_to_check(tmp_path: Path) -> None:
    names = [name for name, _ in examples(tmp_path)]
    assert "bench/reference_report.json" in names
    assert sum(name.startswith("README") for name in names) >= 2, names


def test_every_shipped_example_routes_and_matches_the_schema(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    schema = intake_schema()
    for name, path in examples(tmp_path):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert problems(schema, data) == [], name
        result = cli("--lang", "en", "route", str(path), "--json")
        assert result.exit_code == 0, (name, result.output)
        decision = json.loads(result.output)
        assert decision["priority"], name
        if data["contact_type"] == "report":
            assert decision["referrals"], name


def test_the_reference_report_is_what_the_keystroke_bench_types() -> None:
    """bench_keystrokes reads these fields to type the report and check the database."""
    ref: dict[str, Any] = json.loads((ROOT / "bench" / "reference_report.json").read_text("utf-8"))
    from bench.bench_keystrokes import plan

    typed = {s.free_text[1] for s in plan(ref) if s.free_text}
    assert typed == {ref["caller"]["phone"], ref["narrative"]}
    assert ref["contact_type"] == "report" and ref["concerns"] and ref["children"]


def test_intake_schema_needs_no_database_and_no_password(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = f"sqlite:///{tmp_path / 'nothing-here.db'}"
    result = cli("intake", "--schema", CASEINTAKE_DB=missing)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == intake_schema()
    assert not (tmp_path / "nothing-here.db").exists()
    also = cli("--db", missing, "intake", "--schema")
    assert also.exit_code == 0 and json.loads(also.output)["$id"] == "urn:caseintake:intake"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "Give the intake JSON file"),
        (("x.json",), "Give your user name with --user"),
    ],
)
def test_intake_without_file_or_user_is_one_sentence(cli, args, expected) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "intake", *args)
    assert result.exit_code == 1
    assert (
        result.output.strip().startswith(expected) and len(result.output.strip().splitlines()) == 1
    )


def test_route_help_points_to_the_schema_not_to_a_missing_document(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("route", "--help", COLUMNS="200")  # one line each: no wrap inside the words
    shown = " ".join(result.output.split())
    assert "intake --schema" in shown and "DESIGN" not in shown
