"""``caseintake rules check FILE`` on the law (issue 22): an edited copy of the shipped rules
that puts a sign of a crime on a working-day clock, names a body outside the directory, or
drops the Procuracy is refused, one sentence per problem naming its rule, exit 1."""

from __future__ import annotations

from pathlib import Path

from caseintake.domain.routing.rules import default_rules_text


def _edited(tmp_path: Path, old: str, new: str) -> str:
    text = default_rules_text()
    assert old in text
    path = tmp_path / "routing.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_the_shipped_rules_pass(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "rules", "check")
    assert result.exit_code == 0, result.output


def test_a_police_check_on_a_working_day_clock_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The old child-labour rule: the police told within one working day."""
    block = (
        'any_concern = ["exploitation"]\n[rule.then]\n'
        'refer = [{ body = "commune_police", area = "commune" }]\ndue = "immediately"'
    )
    path = _edited(tmp_path, block, block.replace('"immediately"', '"1wd"'))
    result = cli("--lang", "en", "rules", "check", path)
    assert result.exit_code == 1
    assert "child_labour_police" in result.output and "working-day clock" in result.output
    assert "Traceback" not in result.output


def test_a_body_outside_the_directory_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _edited(
        tmp_path, '{ body = "procuracy", area = "province" }', '{ body = "vks", area = "province" }'
    )
    result = cli("--lang", "en", "rules", "check", path)
    assert result.exit_code == 1
    assert "official_violence_procuracy" in result.output and "“vks”" in result.output
    # ... and then no rule sends violence by officials to a crime body at once
    assert "custody_violence" in result.output


def test_a_citation_key_without_text_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _edited(
        tmp_path, 'basis = ["blhs.art140", "bltths.art144_145"]', 'basis = ["blhs.art999"]'
    )
    result = cli("--lang", "vi", "rules", "check", path)
    assert result.exit_code == 1 and "cruelty_police" in result.output


def test_route_says_what_is_to_be_confirmed_and_who_gets_health_data(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 13-year-old with HIV drops out of school: the education authority's 5 working days are
    not read in a source, and the HIV status goes to the commune and not to the school."""
    import json

    data = {
        "received_at": "2026-03-02T08:15:00+07:00",
        "contact_type": "report",
        "children": [{"age": 13, "special_circumstances": ["hiv"]}],
        "location": {"ward_code": 26740},
        "concerns": ["dropout"],
    }
    path = tmp_path / "dropout.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = cli("--lang", "en", "route", str(path)).output
    school = out.split("School or education authority")[1]
    assert "(deadline not confirmed by a source)" in school
    assert "health data (Living with HIV/AIDS) not sent" in school
    commune = out.split("Commune People's Committee")[1].split("School")[0]
    assert "health data (Living with HIV/AIDS) sent" in commune
    assert "not confirmed" not in commune
