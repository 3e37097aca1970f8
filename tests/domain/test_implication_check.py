"""``rules check`` on implications (DOMAIN §2 as data): each broken one is named, and a rules
file with a broken implication shape is refused in one sentence."""

from __future__ import annotations

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.routing.rules import parse_rules
from caseintake.domain.routing.rules_check import check_rules, has_errors
from tests.domain.routing_support import CRIME_RULES

RULE = """
[[rule]]
id = "{rule_id}"
basis = ["ltre.art4"]
description = "routing.rule.abuse_intervention"
[rule.when]
is_abuse = true
[rule.then]
protection_level = "intervention"
"""
IMPLICATION = """
[[implication]]
id = "{id}"
basis = [{basis}]
description = "routing.implication.sexually_abused"
[implication.when]
{when}
[implication.then]
{then}
"""


def _file(
    when: str = 'special_circumstances = ["sexually_abused"]',
    then: str = 'concerns = ["sexual_abuse"]',
    basis: str = '"ltre.art10_sexually_abused"',
    id_: str = "imp",
    rule_id: str = "r1",
) -> str:
    return (
        RULE.format(rule_id=rule_id)
        + IMPLICATION.format(id=id_, when=when, then=then, basis=basis)
        + CRIME_RULES
    )


def _found(text: str) -> set[tuple[str, str]]:
    return {(p.rule_id, p.key.rsplit(".", 1)[1]) for p in check_rules(parse_rules(text))}


def test_a_good_implication_is_clean_and_applies() -> None:
    ruleset = parse_rules(_file())
    assert check_rules(ruleset) == []
    assert ruleset.implications[0].concerns == ("sexual_abuse",)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"then": 'concerns = ["beating"]'}, ("imp", "unknown_code")),
        ({"then": 'contact_type = "silent"'}, ("imp", "unknown_code")),  # never routed
        ({"when": 'special_circumstances = ["poor"]'}, ("imp", "unknown_code")),
        ({"when": "min_age = 16\nmax_age = 12"}, ("imp", "unreachable")),
        ({"basis": '"DOMAIN §2"'}, ("imp", "unknown_citation")),
        ({"basis": '"  "'}, ("imp", "missing_basis")),
        ({"id_": "r1"}, ("r1", "duplicate_id")),  # ids are shared with the rules
    ],
)
def test_broken_implications_are_named(kwargs: dict[str, str], expected: tuple[str, str]) -> None:
    found = _found(_file(**kwargs))
    assert expected in found, found
    assert has_errors(check_rules(parse_rules(_file(**kwargs))))


def test_an_implication_that_implies_nothing_is_a_warning() -> None:
    problems = check_rules(parse_rules(_file(then="")))
    assert [(p.rule_id, p.key, p.severity) for p in problems] == [
        ("imp", "rules.problem.implies_nothing", "warning")
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("implication = 3", "rules.error.shape"),
        ('[[implication]]\nbasis = ["ltre.art4"]', "rules.error.missing_id"),
        (
            '[[implication]]\nid = "i"\nbasis = ["ltre.art4"]\n[implication.then]\nrefer = ["x"]',
            "rules.error.unknown_field",
        ),
        (
            '[[implication]]\nid = "i"\nbasis = ["ltre.art4"]\n[implication.then]\nconcerns = 3',
            "rules.error.shape",
        ),
    ],
)
def test_bad_implication_shapes_are_one_sentence(text: str, key: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_rules(text)
    assert caught.value.key == key
