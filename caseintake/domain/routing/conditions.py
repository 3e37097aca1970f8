"""The facts of an intake that routing rules look at, and how a rule's conditions match them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.record import Intake
from caseintake.domain.routing.rules import Conditions, Implication


@dataclass(frozen=True)
class IntakeFacts:
    contact_type: str
    concerns: tuple[str, ...]
    is_abuse: bool  # some concern is a form of abuse (Luật Trẻ em 2016 Art. 4)
    crime_sign: bool  # a sign of a crime for the police (Bộ luật TTHS 2015 Art. 144): a concern
    # flagged so, or a crime sign that the police investigate (not the Procuracy's alone)
    setting: str | None
    immediate_danger: bool
    ages: tuple[int, ...]  # known ages only
    special_circumstances: frozenset[str]
    perpetrators: frozenset[str]
    line: str
    crime_signs: frozenset[str] = frozenset()  # given by the operator or implied


def concern_flags(code: str) -> tuple[bool, bool]:
    """(is_abuse, crime_sign) of a concern; an unknown sub-type falls back to its parent."""
    for candidate in (code, code.split(".", 1)[0]):
        try:
            info = taxonomy.concern_info(candidate)
        except ValueError:
            continue
        return info.is_abuse, info.crime_sign
    return False, False


def facts_of(intake: Intake) -> IntakeFacts:
    is_abuse, crime_sign = _flags(intake.concerns)
    signs = frozenset(intake.crime_signs)
    return IntakeFacts(
        contact_type=intake.contact_type,
        concerns=tuple(intake.concerns),
        is_abuse=is_abuse,
        crime_sign=crime_sign or _police_signs(signs),
        crime_signs=signs,
        setting=intake.setting,
        immediate_danger=bool(intake.immediate_danger),
        ages=tuple(c.age for c in intake.children if c.age is not None),
        special_circumstances=frozenset(
            s for c in intake.children for s in c.special_circumstances
        ),
        perpetrators=frozenset(p.relationship for p in intake.perpetrators),
        line=intake.line,
    )


def _police_signs(signs: frozenset[str]) -> bool:
    """Some crime sign goes to the police (the Procuracy alone takes violence by officials)."""
    return bool(signs) and not signs <= taxonomy.procuracy_crime_signs()


def _flags(concerns: Iterable[str]) -> tuple[bool, bool]:
    flags = [concern_flags(c) for c in concerns]
    return any(abuse for abuse, _ in flags), any(crime for _, crime in flags)


def implied_by(facts: IntakeFacts, implications: Iterable[Implication]) -> IntakeFacts:
    """``facts`` as the given implications read them: their concerns added, and the contact
    read as their ``contact_type`` where one is given."""
    concerns = list(facts.concerns)
    contact_type = facts.contact_type
    signs, circumstances = set(facts.crime_signs), set(facts.special_circumstances)
    for implication in implications:
        concerns.extend(c for c in implication.concerns if c not in concerns)
        contact_type = implication.contact_type or contact_type
        signs.update(implication.crime_signs)
        circumstances.update(implication.special_circumstances)
    is_abuse, crime_sign = _flags(concerns)
    return replace(
        facts,
        contact_type=contact_type,
        concerns=tuple(concerns),
        is_abuse=is_abuse,
        crime_sign=crime_sign or _police_signs(frozenset(signs)),
        crime_signs=frozenset(signs),
        special_circumstances=frozenset(circumstances),
    )


def implications_of(
    facts: IntakeFacts, implications: Iterable[Implication]
) -> tuple[Implication, ...]:
    """Every implication that holds, applied until nothing new follows (one may enable another:
    a special circumstance adds a concern, which makes a follow-up call a report)."""
    pending, fired = list(implications), list[Implication]()
    changed = True
    while changed:
        changed = False
        current = implied_by(facts, fired)
        for implication in list(pending):
            if matches(implication.when, current):
                pending.remove(implication)
                if _adds(implication, current):  # one that adds nothing is not drawn
                    fired.append(implication)
                    changed = True
    return tuple(fired)


def _adds(implication: Implication, facts: IntakeFacts) -> bool:
    """True when ``implication`` tells routing something ``facts`` do not already say (facts
    only grow, so one that adds nothing now never will)."""
    return bool(
        set(implication.concerns) - set(facts.concerns)
        or set(implication.crime_signs) - facts.crime_signs
        or set(implication.special_circumstances) - facts.special_circumstances
        or (implication.contact_type and implication.contact_type != facts.contact_type)
    )


def concern_matches(concern: str, prefix: str) -> bool:
    """``sexual_abuse`` matches itself and its sub-types (``sexual_abuse.online``), not others."""
    return concern == prefix or concern.startswith(prefix + ".")


def matches(when: Conditions, facts: IntakeFacts) -> bool:
    """True when every condition given holds (a list holds when any of its items does).

    Checked one by one, stopping at the first that fails: a report is held against every rule
    and most fail on their first condition (routing runs inside each save)."""
    if when.contact_type and facts.contact_type not in when.contact_type:
        return False
    if when.any_concern and _concern_prefixes(facts.concerns).isdisjoint(when.any_concern):
        return False
    if when.line and facts.line not in when.line:
        return False
    if when.has_concern is not None and when.has_concern != bool(facts.concerns):
        return False
    if when.is_abuse is not None and when.is_abuse != facts.is_abuse:
        return False
    if when.crime_sign is not None and when.crime_sign != facts.crime_sign:
        return False
    if when.any_crime_sign and facts.crime_signs.isdisjoint(when.any_crime_sign):
        return False
    if when.setting and facts.setting not in when.setting:
        return False
    if when.immediate_danger is not None and when.immediate_danger != facts.immediate_danger:
        return False
    if not _age_matches(when, facts.ages):
        return False
    if when.special_circumstances and facts.special_circumstances.isdisjoint(
        when.special_circumstances
    ):
        return False
    return not (
        when.perpetrator_relationship
        and facts.perpetrators.isdisjoint(when.perpetrator_relationship)
    )


@lru_cache(maxsize=256)
def _concern_prefixes(concerns: tuple[str, ...]) -> frozenset[str]:
    """Every code a concern of ``concerns`` matches (``concern_matches``): itself and each
    of its parents (``sexual_abuse.online``: that and ``sexual_abuse``)."""
    out: set[str] = set()
    for concern in concerns:
        parts = concern.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(out)


def _age_matches(when: Conditions, ages: tuple[int, ...]) -> bool:
    if when.min_age is None and when.max_age is None:
        return True
    low = when.min_age if when.min_age is not None else -1
    high = when.max_age if when.max_age is not None else 10**9
    return any(low <= age <= high for age in ages)
