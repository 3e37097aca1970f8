"""``caseintake rules check``: every problem of a rules file, each naming its rule.

Errors make a rules file unusable (unknown codes, a body not in the directory's vocabulary, bad
deadlines, a sign of a crime on a working-day clock or reaching no police body at once, no legal
basis or a basis that is not a citation key with a Vietnamese and an English text, a citation
that shows internal notes or gives an article number without saying in words what it provides,
duplicate ids, rules and implications that can never match); warnings point at something odd
but harmless. The law checks live in ``law_check``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.domain.intake import taxonomy
from caseintake.domain.referrals.deadlines import is_valid_spec
from caseintake.domain.routing.citations import basis_text, internal_markers, is_citation
from caseintake.domain.routing.conditions import concern_flags
from caseintake.domain.routing.escalation import is_escalation_text
from caseintake.domain.routing.escalation_check import check_escalation_rules
from caseintake.domain.routing.law_check import (
    check_body,
    check_citation_words,
    check_crime_clock,
    check_health_data,
    crime_signs_not_at_once,
)
from caseintake.domain.routing.problems import Problem, has_errors
from caseintake.domain.routing.rules import (
    AREA_LEVELS,
    PRIORITIES,
    PROTECTION_LEVELS,
    Conditions,
    Implication,
    Rule,
    RuleSet,
    load_rules,
)
from caseintake.i18n import LANGUAGES, has

__all__ = ["Problem", "check_rules", "has_errors"]

_Report = Callable[..., None]
MILESTONES = ("support_plan", "plan_approval", "separation_limit")
LINES = ("111", "provincial")

# Which taxonomy kind each coded field of a rule draws from.
_CODED_FIELDS = (
    ("contact_type", "contact_type"),
    ("setting", "setting"),
    ("special_circumstances", "special_circumstance"),
    ("perpetrator_relationship", "perpetrator_relationship"),
    ("any_crime_sign", "crime_sign"),
)


def check_rules(ruleset_or_path: RuleSet | Path | str | None = None) -> list[Problem]:
    """All problems of a rule set, or of a rules file (None: the shipped one)."""
    if isinstance(ruleset_or_path, RuleSet):
        ruleset = ruleset_or_path
    elif ruleset_or_path is not None and _is_escalation_file(ruleset_or_path):
        return check_escalation_rules(ruleset_or_path)
    else:
        try:
            ruleset = load_rules(ruleset_or_path)
        except DomainError as exc:
            key = "rules.problem." + exc.key.rsplit(".", 1)[-1]  # same text, without "Rule X:"
            return [Problem(str(exc.params.get("rule", "-")), key, dict(exc.params))]
    problems: list[Problem] = []
    counts = Counter([*(r.id for r in ruleset.rules), *(i.id for i in ruleset.implications)])
    for rule_id, count in counts.items():
        if count > 1:
            problems.append(Problem(rule_id, "rules.problem.duplicate_id", {"count": count}))
    if not ruleset.rules:
        problems.append(Problem("-", "rules.problem.no_rules", {}, "warning"))
    for rule in ruleset.rules:
        problems.extend(_check_rule(rule))
    for implication in ruleset.implications:
        problems.extend(_check_implication(implication))
    problems.extend(crime_signs_not_at_once(ruleset))
    if ruleset_or_path is None:  # the shipped rules include the escalation rules (issue 8)
        problems.extend(check_escalation_rules())
    return problems


def _is_escalation_file(path: Path | str) -> bool:
    try:
        return is_escalation_text(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False


def _reporters(item_id: str, out: list[Problem]) -> tuple[_Report, _Report]:
    def error(key: str, **params: object) -> None:
        out.append(Problem(item_id, f"rules.problem.{key}", params))

    def warning(key: str, **params: object) -> None:
        out.append(Problem(item_id, f"rules.problem.{key}", params, "warning"))

    return error, warning


def _check_rule(rule: Rule) -> list[Problem]:
    out: list[Problem] = []
    error, warning = _reporters(rule.id, out)
    _check_texts(rule.basis, rule.description, error, warning)
    _check_conditions(rule.when, error)
    for target in rule.refer:
        check_body(target.body, "then.refer.body", error)
        if target.area not in AREA_LEVELS:
            error("unknown_code", field="then.refer.area", code=target.area)
    for code in rule.actions_now:
        if not (taxonomy.is_code("body", code) and code.startswith("emergency_")):
            error("unknown_code", field="then.actions_now", code=code)
    if rule.priority is not None and rule.priority not in PRIORITIES:
        error("unknown_code", field="then.priority", code=rule.priority)
    if rule.protection_level is not None and rule.protection_level not in PROTECTION_LEVELS:
        error("unknown_code", field="then.protection_level", code=rule.protection_level)
    _check_deadlines(rule, error, warning)
    check_crime_clock(rule, error)
    check_health_data(rule, warning)
    for reason in _unreachable(rule.when):
        error("unreachable", reason=reason)
    if not (rule.refer or rule.actions_now or rule.priority or rule.protection_level):
        warning("no_effect")
    return out


def _check_implication(implication: Implication) -> list[Problem]:
    out: list[Problem] = []
    error, warning = _reporters(implication.id, out)
    _check_texts(implication.basis, implication.description, error, warning)
    _check_conditions(implication.when, error)
    for code in implication.concerns:
        if not taxonomy.is_code("concern", code):
            error("unknown_code", field="then.concerns", code=code)
    for code in implication.crime_signs:
        if not taxonomy.is_code("crime_sign", code):
            error("unknown_code", field="then.crime_signs", code=code)
    for code in implication.special_circumstances:
        if not taxonomy.is_code("special_circumstance", code):
            error("unknown_code", field="then.special_circumstances", code=code)
    data_types = taxonomy.codes("contact_type") - taxonomy.non_data_contact_types()
    if implication.contact_type is not None and implication.contact_type not in data_types:
        error("unknown_code", field="then.contact_type", code=implication.contact_type)
    for reason in _unreachable(implication.when):
        error("unreachable", reason=reason)
    if not (
        implication.concerns
        or implication.crime_signs
        or implication.special_circumstances
        or implication.contact_type
    ):
        warning("implies_nothing")
    return out


def _check_texts(
    basis: tuple[str, ...], description: str, error: _Report, warning: _Report
) -> None:
    """The basis is citation keys with a text in every language, fit for a user (no internal
    notes); the description has a text in every language."""
    if not any(b.strip() for b in basis):
        error("missing_basis")
    for key in (b for b in basis if b.strip()):
        if not is_citation(key):
            error("unknown_citation", citation=key)
            continue
        for lang in LANGUAGES:
            for short in (False, True):
                if found := internal_markers(basis_text(key, lang, short=short)):
                    error("internal_citation", citation=key, lang=lang, marker=found[0])
            check_citation_words(key, basis_text(key, lang), lang, error)
    if not all(has(description, lang) for lang in LANGUAGES):
        warning("missing_description", message_key=description)


def _check_conditions(when: Conditions, error: _Report) -> None:
    for name, kind in _CODED_FIELDS:
        for code in getattr(when, name):
            if not taxonomy.is_code(kind, code):
                error("unknown_code", field=f"when.{name}", code=code)
    for code in when.any_concern:
        if not taxonomy.is_code("concern", code):
            error("unknown_code", field="when.any_concern", code=code)
    for code in when.line:
        if code not in LINES:
            error("unknown_code", field="when.line", code=code)


def _check_deadlines(rule: Rule, error: _Report, warning: _Report) -> None:
    if rule.due is not None and not is_valid_spec(rule.due):
        error("bad_due", field="then.due", spec=rule.due)
    if rule.refer and rule.due is None:
        warning("due_missing")
    if rule.due is not None and not rule.refer:
        warning("due_without_refer", spec=rule.due)
    for m in rule.milestones:
        if not is_valid_spec(m.due):
            error("bad_due", field=f"then.milestones.{m.code}", spec=m.due)
        if m.code not in MILESTONES:
            error("unknown_code", field="then.milestones.code", code=m.code)
    if rule.milestones and not rule.refer:
        error("milestones_without_refer")


def _unreachable(when: Conditions) -> list[str]:
    """Why the conditions of a rule or implication can never all hold (empty when they can)."""
    reasons: list[str] = []
    if when.min_age is not None and when.max_age is not None and when.min_age > when.max_age:
        reasons.append(f"min_age {when.min_age} > max_age {when.max_age}")
    if when.max_age is not None and when.max_age < 0:
        reasons.append(f"max_age {when.max_age} < 0")
    concern_needed = bool(when.any_concern) or when.is_abuse is True or when.crime_sign is True
    if when.has_concern is False and concern_needed:
        reasons.append("has_concern = false, yet a concern is required")
    if when.any_concern and all(taxonomy.is_code("concern", c) for c in when.any_concern):
        flags = [concern_flags(c) for c in when.any_concern]
        if when.is_abuse is False and all(abuse for abuse, _ in flags):
            reasons.append("is_abuse = false, yet every concern listed is a form of abuse")
        if when.crime_sign is False and all(crime for _, crime in flags):
            reasons.append("crime_sign = false, yet every concern listed is a crime sign")
    if when.contact_type and all(c in taxonomy.non_data_contact_types() for c in when.contact_type):
        reasons.append("only non-data contact types, which are never routed")
    for name, kind in _CODED_FIELDS:
        listed = getattr(when, name)
        if listed and not any(taxonomy.is_code(kind, c) for c in listed):
            reasons.append(f"no known code in when.{name}")
    return reasons
