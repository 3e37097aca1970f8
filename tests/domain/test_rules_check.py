"""``rules check`` on the shipped rules and on broken rule files written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.routing.rules import load_rules, parse_rules
from caseintake.domain.routing.rules_check import check_rules, has_errors
from tests.domain.routing_support import CRIME_RULES

GOOD = """
[[rule]]
id = "{id}"
basis = ["ltre.art4"]
description = "routing.rule.report_to_commune"
[rule.when]
{when}
[rule.then]
{then}
"""
DEFAULT_THEN = 'refer = [{ body = "commune_committee", area = "commune" }]\ndue = "immediately"'


def _write(tmp_path: Path, *rules: str, header: str = CRIME_RULES) -> Path:
    path = tmp_path / "routing.toml"
    path.write_text(header + "\n".join(rules), encoding="utf-8")
    return path


def _rule(
    id_: str = "r1", when: str = 'contact_type = ["report"]', then: str = DEFAULT_THEN
) -> str:
    return GOOD.format(id=id_, when=when, then=then)


def test_shipped_rules_are_clean() -> None:
    problems = check_rules()
    assert problems == [], [p.message("en") for p in problems]
    assert check_rules(load_rules()) == []
    assert len(load_rules().rules) >= 25


def test_a_good_file_is_clean(tmp_path: Path) -> None:
    assert check_rules(_write(tmp_path, _rule())) == []


@pytest.mark.parametrize(
    ("when", "then", "key", "fragment"),
    [
        ('any_concern = ["beating"]', DEFAULT_THEN, "unknown_code", "beating"),
        ('any_concern = ["violence.kicking"]', DEFAULT_THEN, "unknown_code", "violence.kicking"),
        ('setting = ["mall"]', DEFAULT_THEN, "unknown_code", "mall"),
        ('contact_type = ["letter"]', DEFAULT_THEN, "unknown_code", "letter"),
        ('special_circumstances = ["poor"]', DEFAULT_THEN, "unknown_code", "poor"),
        ('perpetrator_relationship = ["boss"]', DEFAULT_THEN, "unknown_code", "boss"),
        ('line = ["113"]', DEFAULT_THEN, "unknown_code", "113"),
        ("", 'refer = [{ body = "police" }]\ndue = "1wd"', "unknown_body", "police"),
        (
            "",
            'refer = [{ body = "education", area = "district" }]\ndue = "1wd"',
            "unknown_code",
            "district",
        ),
        ("", 'actions_now = ["call_mum"]', "unknown_code", "call_mum"),
        ("", 'actions_now = ["education"]', "unknown_code", "education"),
        ("", 'priority = "urgent"', "unknown_code", "urgent"),
        ("", 'protection_level = "rescue"', "unknown_code", "rescue"),
        ("", 'refer = ["education"]\ndue = "5 days"', "bad_due", "5 days"),
        ("", 'refer = ["education"]\ndue = "0h"', "bad_due", "0h"),
        (
            "",
            'refer = ["education"]\ndue = "1wd"\nmilestones = [{ code = "x", due = "2wd" }]',
            "unknown_code",
            "x",
        ),
        (
            "",
            'refer = ["education"]\ndue = "1wd"\n'
            'milestones = [{ code = "support_plan", due = "soon" }]',
            "bad_due",
            "soon",
        ),
        (
            "",
            'priority = "low"\nmilestones = [{ code = "support_plan", due = "5wd" }]',
            "milestones_without_refer",
            "",
        ),
        ("min_age = 16\nmax_age = 12", DEFAULT_THEN, "unreachable", "min_age 16 > max_age 12"),
        ("max_age = -1", DEFAULT_THEN, "unreachable", "max_age"),
        (
            'has_concern = false\nany_concern = ["violence"]',
            DEFAULT_THEN,
            "unreachable",
            "has_concern",
        ),
        ("has_concern = false\nis_abuse = true", DEFAULT_THEN, "unreachable", "has_concern"),
        (
            'is_abuse = false\nany_concern = ["violence", "neglect"]',
            DEFAULT_THEN,
            "unreachable",
            "is_abuse",
        ),
        (
            'crime_sign = false\nany_concern = ["sexual_abuse"]',
            DEFAULT_THEN,
            "unreachable",
            "crime_sign",
        ),
        ('contact_type = ["silent", "thanks"]', DEFAULT_THEN, "unreachable", "non-data"),
        ('setting = ["mall", "moon"]', DEFAULT_THEN, "unreachable", "when.setting"),
    ],
)
def test_broken_rules_are_named(
    tmp_path: Path, when: str, then: str, key: str, fragment: str
) -> None:
    problems = check_rules(_write(tmp_path, _rule("broken_one", when, then), _rule("fine")))
    assert has_errors(problems)
    found = [p for p in problems if p.key == f"rules.problem.{key}"]
    assert found, [p.message("en") for p in problems]
    assert all(p.rule_id == "broken_one" for p in problems)
    message = found[0].message("en")
    assert message.startswith("rule broken_one: ") and fragment in message
    assert found[0].message("vi").startswith("quy tắc broken_one: ")


def test_satisfiable_combinations_are_not_flagged(tmp_path: Path) -> None:
    # exploitation has a crime-sign sub-type and others that are not: both can match.
    when = 'crime_sign = false\nany_concern = ["exploitation"]\nmin_age = 5\nmax_age = 5'
    assert check_rules(_write(tmp_path, _rule(when=when))) == []


def test_missing_basis_and_duplicate_ids(tmp_path: Path) -> None:
    no_basis = _rule("nobasis").replace('basis = ["ltre.art4"]', 'basis = ["  "]')
    problems = check_rules(_write(tmp_path, no_basis, _rule("twice"), _rule("twice")))
    keys = {(p.rule_id, p.key) for p in problems}
    assert ("nobasis", "rules.problem.missing_basis") in keys
    assert ("twice", "rules.problem.duplicate_id") in keys
    dup = next(p for p in problems if p.key == "rules.problem.duplicate_id")
    assert "2 times" in dup.message("en")


def test_warnings_do_not_count_as_errors(tmp_path: Path) -> None:
    rule = _rule("quiet", then='due = "1wd"').replace(
        "routing.rule.report_to_commune", "routing.rule.not_written"
    )
    problems = check_rules(_write(tmp_path, rule, _rule("nodue", then='refer = ["education"]')))
    assert {(p.rule_id, p.key.rsplit(".", 1)[1]) for p in problems} == {
        ("quiet", "missing_description"),
        ("quiet", "due_without_refer"),
        ("quiet", "no_effect"),
        ("nodue", "due_missing"),
    }
    assert not has_errors(problems)
    assert not has_errors(check_rules(_write(tmp_path, "")))


@pytest.mark.parametrize(
    ("text", "key", "rule_id"),
    [
        ("[[rule]\n", "rules.problem.toml", "-"),
        ('rule = "x"', "rules.problem.shape", "-"),
        ('[[rule]]\nbasis = ["x"]', "rules.problem.missing_id", "-"),
        (
            '[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.when]\ncolour = "red"',
            "rules.problem.unknown_field",
            "r",
        ),
        (
            '[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.when]\nmin_age = "ten"',
            "rules.problem.shape",
            "r",
        ),
        (
            '[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.when]\nimmediate_danger = 1',
            "rules.problem.shape",
            "r",
        ),
        (
            '[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.when]\nmin_age = true',
            "rules.problem.shape",
            "r",
        ),
        ('[[rule]]\nid = "r"\nbasis = [1]', "rules.problem.shape", "r"),
        ('[[rule]]\nid = "r"\nbasis = ["x"]\nwhen = 3', "rules.problem.shape", "r"),
        ('[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.then]\nrefer = [3]', "rules.problem.shape", "r"),
        (
            '[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.then]\nrefer = "education"',
            "rules.problem.shape",
            "r",
        ),
        (
            '[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.then]\nmilestones = [{ code = "a" }]',
            "rules.problem.shape",
            "r",
        ),
        ('[[rule]]\nid = "r"\nbasis = ["x"]\n[rule.then]\ndue = 5', "rules.problem.shape", "r"),
    ],
)
def test_malformed_files_give_one_problem(
    tmp_path: Path, text: str, key: str, rule_id: str
) -> None:
    (problem,) = check_rules(_write(tmp_path, text, header=""))
    assert (problem.key, problem.rule_id) == (key, rule_id)
    assert problem.message("en") and "{" not in problem.message("en")
    with pytest.raises(DomainError):
        parse_rules(text)


def test_unreadable_path(tmp_path: Path) -> None:
    (problem,) = check_rules(tmp_path / "missing.toml")
    assert problem.key == "rules.problem.unreadable"
    assert "missing.toml" in problem.message("en")
