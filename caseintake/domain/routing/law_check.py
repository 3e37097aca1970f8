"""The law checks of ``caseintake rules check`` (DOMAIN §2, §4; issue 22).

- a body must be one of the directory's bodies (the taxonomy's ``body`` codes, named in every
  language), so that a referral can be looked up and read;
- signs of a crime go to the police "ngay" (Bộ luật Tố tụng hình sự 2015 Arts. 144–145): a
  rule that refers a body receiving reports of crimes (the taxonomy's ``crime_bodies``), or any
  rule that needs a crime sign to match, is never on a working-day clock;
- every crime sign of the taxonomy reaches a police body (or the Procuracy) at once under the
  rules, whatever else the record says;
- a citation that names an article says in words what the article provides ("Điều 140 (tội
  hành hạ người khác)"), so a user can look it up and know why it applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from caseintake.domain.intake import taxonomy
from caseintake.domain.referrals.deadlines import Deadline, is_valid_spec
from caseintake.domain.routing.conditions import (
    IntakeFacts,
    concern_flags,
    implications_of,
    implied_by,
    matches,
)
from caseintake.domain.routing.problems import Problem
from caseintake.domain.routing.rules import Conditions, Rule, RuleSet
from caseintake.i18n import LANGUAGES, has

_Report = Callable[..., None]
# An article by number: "Điều 52", "Art. 52", "Arts. 47–50".
_ARTICLE = re.compile(r"(?:Điều|Arts?\.)\s*\d")
# Words in brackets: what the article provides.
_WORDS = re.compile(r"\([^)]*[^\W\d_]{2,}[^)]*\)")


def check_body(code: str, field: str, error: _Report) -> None:
    """``code`` is a body of the directory, with a name in every language."""
    named = all(has(taxonomy.label_key("body", code), lang) for lang in LANGUAGES)
    if not (taxonomy.is_code("body", code) and named):
        error("unknown_body", field=field, code=code)


def needs_crime_sign(when: Conditions) -> bool:
    """True when the conditions only hold for a record that carries a sign of a crime."""
    if when.crime_sign is True or when.any_crime_sign:
        return True
    concerns = when.any_concern
    return bool(concerns) and all(
        taxonomy.is_code("concern", c) and concern_flags(c)[1] for c in concerns
    )


def check_crime_clock(rule: Rule, error: _Report) -> None:
    """A sign of a crime is never sent on a working-day clock."""
    if rule.due is None or not is_valid_spec(rule.due):
        return
    if Deadline.parse(rule.due).kind != "working_days":
        return
    crime_bodies = taxonomy.crime_bodies()
    for target in rule.refer:
        if needs_crime_sign(rule.when) or target.body in crime_bodies:
            error("crime_sign_working_days", spec=rule.due, body=target.body)


def check_health_data(rule: Rule, warning: _Report) -> None:
    """Health data to a body that receives reports of crimes is odd (DOMAIN §6: only bodies that
    need them to act): said as a warning, for whoever edits the rules to think again."""
    if rule.health_data:
        for target in rule.refer:
            if target.body in taxonomy.crime_bodies():
                warning("health_data_to_crime_body", body=target.body)


def check_citation_words(key: str, text: str, lang: str, error: _Report) -> None:
    """A citation naming an article says in words what the article provides."""
    if _ARTICLE.search(text) and not _WORDS.search(text):
        error("citation_without_words", citation=key, lang=lang)


def crime_signs_not_at_once(ruleset: RuleSet) -> list[Problem]:
    """The crime signs that no rule sends to a police body (or the Procuracy) at once, for a
    report that says nothing but that sign."""
    out: list[Problem] = []
    crime_bodies = taxonomy.crime_bodies()
    for code in taxonomy.ordered_codes("crime_sign"):
        facts = _report_with(code)
        implied = implied_by(facts, implications_of(facts, ruleset.implications))
        at_once = any(
            target.body in crime_bodies and (rule.due or "immediately") == "immediately"
            for rule in ruleset.rules
            if matches(rule.when, implied)
            for target in rule.refer
        )
        if not at_once:
            out.append(
                Problem(
                    f"crime_sign.{code}", "rules.problem.crime_sign_not_at_once", {"code": code}
                )
            )
    return out


def _report_with(code: str) -> IntakeFacts:
    signs = frozenset({code})
    return IntakeFacts(
        contact_type="report",
        concerns=(),
        is_abuse=False,
        crime_sign=not signs <= taxonomy.procuracy_crime_signs(),
        setting=None,
        immediate_danger=False,
        ages=(),
        special_circumstances=frozenset(),
        perpetrators=frozenset(),
        line="111",
        crime_signs=signs,
    )
