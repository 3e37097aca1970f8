"""The law as data (issue 22): signs of a crime are never on a working-day clock, every crime
sign reaches a police body (or the Procuracy) at once, `rules check` refuses what breaks that,
citations say in words what an article provides, and no "[check]" is left as if it were law."""

from __future__ import annotations

import pytest

from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.record import Intake
from caseintake.domain.referrals.deadlines import Deadline
from caseintake.domain.routing.citations import basis_text
from caseintake.domain.routing.engine import route_intake
from caseintake.domain.routing.law_check import check_citation_words, needs_crime_sign
from caseintake.domain.routing.rules import parse_rules
from caseintake.domain.routing.rules_check import check_rules, has_errors
from caseintake.i18n import LANGUAGES
from tests.domain.routing_support import CAL, CRIME_RULES, MONDAY, RULES, call

RULE = """
[[rule]]
id = "{id}"
basis = ["bltths.art144_145"]
description = "routing.rule.crime_sign_police"
[rule.when]
{when}
[rule.then]
{then}
"""


def _keys(text: str) -> set[tuple[str, str]]:
    return {(p.rule_id, p.key.rsplit(".", 1)[1]) for p in check_rules(parse_rules(text))}


def test_every_rule_that_sends_to_a_police_body_is_off_the_working_day_clock() -> None:
    """BLTTHS 2015 Arts. 144–145: "ngay". Every shipped rule naming a police body (commune,
    provincial or cyber police, the Procuracy, 113) and every rule that needs a crime sign."""
    crime_bodies = taxonomy.crime_bodies()
    assert {"commune_police", "cyber_police", "procuracy"} <= crime_bodies
    police_rules = [r for r in RULES.rules if {t.body for t in r.refer} & crime_bodies]
    assert len(police_rules) >= 12
    for rule in [*police_rules, *(r for r in RULES.rules if needs_crime_sign(r.when))]:
        assert rule.due is not None
        assert Deadline.parse(rule.due).kind != "working_days", rule.id
    signs_to_police = [r for r in police_rules if needs_crime_sign(r.when)]
    assert all(r.due == "immediately" for r in signs_to_police), [r.id for r in signs_to_police]


def test_every_crime_sign_has_a_rule_that_cites_its_article() -> None:
    for code in taxonomy.ordered_codes("crime_sign"):
        d = call(concerns=("other_harm",), crime_signs=(code,))
        police = [r for r in d.referrals if r.body in taxonomy.crime_bodies()]
        assert police and all(r.due_spec == "immediately" for r in police), code
        assert any(b.startswith(("blhs.", "bltths.")) for r in police for b in r.basis)


@pytest.mark.parametrize(
    ("when", "then"),
    [
        ('any_crime_sign = ["cruelty"]', 'refer = [{ body = "education" }]\ndue = "1wd"'),
        ("crime_sign = true", 'refer = [{ body = "womens_union" }]\ndue = "2wd"'),
        ('any_concern = ["trafficking"]', 'refer = [{ body = "legal_aid" }]\ndue = "5wd"'),
        ('any_concern = ["violence"]', 'refer = [{ body = "commune_police" }]\ndue = "1wd"'),
        ("", 'refer = [{ body = "cyber_police", area = "province" }]\ndue = "3wd"'),
        ("", 'refer = [{ body = "procuracy", area = "province" }]\ndue = "1wd"'),
    ],
)
def test_rules_check_refuses_a_crime_sign_on_a_working_day_clock(when: str, then: str) -> None:
    problems = _keys(RULE.format(id="slow", when=when, then=then) + CRIME_RULES)
    assert ("slow", "crime_sign_working_days") in problems
    message = next(
        p
        for p in check_rules(parse_rules(RULE.format(id="slow", when=when, then=then)))
        if p.key.endswith("crime_sign_working_days")
    ).message("en")
    assert message.startswith("rule slow: ") and "at once" in message


@pytest.mark.parametrize("due", ["immediately", "2h", "12h", "1d"])
def test_hours_and_calendar_days_are_not_a_working_day_clock(due: str) -> None:
    then = f'refer = [{{ body = "commune_police" }}]\ndue = "{due}"'
    assert _keys(RULE.format(id="fast", when="crime_sign = true", then=then) + CRIME_RULES) == set()


def test_a_non_crime_rule_may_use_working_days() -> None:
    then = 'refer = [{ body = "education" }]\ndue = "5wd"'
    assert (
        _keys(RULE.format(id="plan", when='any_concern = ["dropout"]', then=then) + CRIME_RULES)
        == set()
    )


def test_rules_check_refuses_a_crime_sign_that_no_rule_sends_at_once() -> None:
    without_procuracy = CRIME_RULES.split('[[rule]]\nid = "crime_procuracy"')[0]
    assert ("crime_sign.custody_violence", "crime_sign_not_at_once") in _keys(without_procuracy)
    slow_police = CRIME_RULES.replace('due = "immediately"', 'due = "12h"', 1)
    found = _keys(slow_police)
    signs = set(taxonomy.ordered_codes("crime_sign")) - taxonomy.procuracy_crime_signs()
    assert {(f"crime_sign.{c}", "crime_sign_not_at_once") for c in signs} <= found
    assert has_errors(check_rules(parse_rules(slow_police)))


@pytest.mark.parametrize("body", ["police", "district_police", "Công an"])
def test_rules_check_refuses_a_body_not_in_the_directory(body: str) -> None:
    then = f'refer = [{{ body = "{body}" }}]\ndue = "immediately"'
    assert ("odd", "unknown_body") in _keys(RULE.format(id="odd", when="", then=then) + CRIME_RULES)


def test_every_body_of_the_directory_is_named_in_every_language() -> None:
    from caseintake.i18n import has

    for code in taxonomy.codes("body"):
        assert all(has(f"body.{code}", lang) for lang in LANGUAGES), code


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Luật Trẻ em 2016, Điều 52", False),
        ("Law on Children 2016, Art. 52", False),
        ("Criminal Code 2015, Arts. 142–147", False),
        ("Bộ luật Hình sự 2015, Điều 140 (123)", False),
        ("Bộ luật Hình sự 2015, Điều 140 (tội hành hạ người khác)", True),
        ("Criminal Code 2015, Art. 140 (cruelty)", True),
        ("Kế hoạch của Ban Thường vụ Hội LHPN tỉnh Bắc Ninh ngày 13/4/2023", True),  # no article
    ],
)
def test_a_citation_by_article_number_only_is_refused(text: str, words: bool) -> None:
    found: list[dict[str, object]] = []
    check_citation_words("x.key", text, "vi", lambda key, **p: found.append({"key": key, **p}))
    assert (found == []) is words
    if found:
        assert found[0]["key"] == "citation_without_words"


def test_every_citation_the_rules_use_says_in_words_what_it_provides() -> None:
    keys = {b for r in RULES.rules for b in r.basis} | {
        b for i in RULES.implications for b in i.basis
    }
    found: list[tuple[str, object]] = []
    for key in keys:
        for lang in LANGUAGES:
            check_citation_words(
                key, basis_text(key, lang), lang, lambda k, **p: found.append((k, p))
            )
    assert found == []
    assert "xác nhận" in basis_text("ltre.art52", "vi")  # its title is to be confirmed
    assert "to be confirmed" in basis_text("ltre.art52", "en")


def test_no_check_mark_is_left_as_if_it_were_law() -> None:
    """Each "[check]" of the rules is resolved with its source in a comment, or the deadline is
    shown to users as to be confirmed."""
    for item in (*RULES.rules, *RULES.implications):
        assert "[check]" not in item.note, item.id
    confirmed = {r.id for r in RULES.rules if r.due_to_confirm}
    assert {"school_abuse_education", "child_marriage", "custody_legal_aid"} <= confirmed
    to_police = {r.id for r in RULES.rules if {t.body for t in r.refer} & taxonomy.crime_bodies()}
    assert not confirmed & to_police  # a police deadline is the law's: at once


def test_a_deadline_to_be_confirmed_is_said_so() -> None:
    d = call(concerns=("dropout",), ages=(13,))
    education = next(r for r in d.to_json("en")["referrals"] if r["body"] == "education")
    assert education["due_to_confirm"] is True
    assert education["due_note"] == "deadline not confirmed by a source"
    police = next(
        r
        for r in call(concerns=("violence",), perpetrators=("carer",)).to_json("vi")["referrals"]
        if r["body"] == "commune_police"
    )
    assert police["due_to_confirm"] is False and "due_note" not in police
    plan = call(concerns=("violence",), ages=(9,)).referrals[0]
    approval = next(m for m in plan.milestones if m.code == "plan_approval")
    support = next(m for m in plan.milestones if m.code == "support_plan")
    assert approval.to_confirm and not support.to_confirm


def test_a_confirmed_rule_with_the_same_deadline_clears_the_mark() -> None:
    """Two rules give the same body the same time: one read in a source is enough; alone, the
    rule whose deadline is not in a source keeps the mark."""
    confirmed = RULE.format(id="b", when="", then='refer = ["education"]\ndue = "1wd"')
    unconfirmed = RULE.format(
        id="a", when="", then='refer = ["education"]\ndue = "1wd"\ndue_to_confirm = true'
    )
    intake = Intake(MONDAY, "report", concerns=("dropout",))
    for text, marked in ((unconfirmed + confirmed, False), (unconfirmed, True)):
        d = route_intake(intake, parse_rules(text + CRIME_RULES), CAL)
        assert next(r for r in d.referrals if r.body == "education").due_to_confirm is marked


def test_health_data_to_a_police_body_is_a_warning() -> None:
    then = 'refer = [{ body = "commune_police" }]\ndue = "immediately"\nhealth_data = true'
    problems = check_rules(parse_rules(RULE.format(id="hiv", when="", then=then) + CRIME_RULES))
    assert [(p.rule_id, p.key.rsplit(".", 1)[1], p.severity) for p in problems] == [
        ("hiv", "health_data_to_crime_body", "warning")
    ]
    assert "commune_police" in problems[0].message("en") and not has_errors(problems)
