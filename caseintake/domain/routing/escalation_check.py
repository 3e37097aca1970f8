"""``caseintake rules check`` for the escalation rules: codes, deadlines, citations, cycles."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.domain.intake import taxonomy
from caseintake.domain.referrals.deadlines import is_valid_spec
from caseintake.domain.routing.citations import is_citation
from caseintake.domain.routing.escalation import (
    ESCALATION_AREAS,
    EscalationRule,
    EscalationRules,
    load_escalation_rules,
)
from caseintake.domain.routing.problems import Problem

# A basis shown to a user cites a law or a directive by what it is, never our files or notes.
_FILE_CITATION = re.compile(r"\.txt\b|seeds/|\bDOMAIN\b|§", re.IGNORECASE)
_P = "supervisor.rules"


def check_escalation_rules(source: EscalationRules | Path | str | None = None) -> list[Problem]:
    if isinstance(source, EscalationRules):
        rules = source
    else:
        try:
            rules = load_escalation_rules(source)
        except DomainError as exc:
            key = "rules.problem." + exc.key.rsplit(".", 1)[-1]
            return [Problem(str(exc.params.get("rule", "-")), key, dict(exc.params))]
    problems: list[Problem] = []
    for rule_id, count in Counter(r.id for r in rules.rules).items():
        if count > 1:
            problems.append(Problem(rule_id, "rules.problem.duplicate_id", {"count": count}))
    owners: dict[str, str] = {}
    for rule in rules.rules:
        problems.extend(_check_rule(rule))
        for body in rule.from_bodies:
            if body in owners:
                problems.append(
                    Problem(rule.id, f"{_P}.two_rules", {"body": body, "other": owners[body]})
                )
            owners.setdefault(body, rule.id)
    problems.extend(_cycles(rules, owners))
    return problems


def _check_rule(rule: EscalationRule) -> list[Problem]:
    out: list[Problem] = []

    def error(key: str, **params: object) -> None:
        out.append(Problem(rule.id, key, params))

    if not any(b.strip() for b in rule.basis):
        error("rules.problem.missing_basis")
    for basis in (b for b in rule.basis if b.strip()):
        if _FILE_CITATION.search(basis):
            error(f"{_P}.file_citation", basis=basis)
        elif not is_citation(basis):  # a key with a text in every language, as routing's basis
            error("rules.problem.unknown_citation", citation=basis)
    if not rule.from_bodies:
        error(f"{_P}.no_from")
    for code in (*rule.from_bodies, rule.to_body):
        if not taxonomy.is_code("body", code):
            error("rules.problem.unknown_code", field="from/to.body", code=code)
    if rule.to_body.startswith("emergency_"):
        error(f"{_P}.emergency_target", body=rule.to_body)
    if rule.to_area not in ESCALATION_AREAS:
        error("rules.problem.unknown_code", field="to.area", code=rule.to_area)
    if not is_valid_spec(rule.due):
        error("rules.problem.bad_due", field="due", spec=rule.due)
    elif rule.to_body in taxonomy.crime_bodies() and rule.due.endswith("wd"):
        # a police body is never on a working-day clock (BLTTHS 2015 Arts. 144–145; issue 22)
        error("rules.problem.crime_sign_working_days", spec=rule.due, body=rule.to_body)
    if rule.acknowledge_within is not None and rule.ack_window() is None:
        error(f"{_P}.bad_ack_window", spec=rule.acknowledge_within)
    if rule.to_body in rule.from_bodies:
        error(f"{_P}.to_itself", body=rule.to_body)
    return out


def _cycles(rules: EscalationRules, owners: dict[str, str]) -> list[Problem]:
    """Escalating A to B and B back to A would propose referrals forever."""
    out: list[Problem] = []
    by_id = {r.id: r for r in rules.rules}
    for rule in rules.rules:
        if rule.to_body in rule.from_bodies:
            continue  # reported as "to itself"
        seen, body = [rule.to_body], rule.to_body
        while body in owners:
            body = by_id[owners[body]].to_body
            if body in seen or body in rule.from_bodies:
                out.append(Problem(rule.id, f"{_P}.cycle", {"path": " → ".join([*seen, body])}))
                break
            seen.append(body)
    return out
