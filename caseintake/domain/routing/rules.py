"""Routing rules as frozen data, read from ``rules/routing.toml`` (STYLE §9: data, not code).

A rule says *when* (every condition given must hold; a list matches when any item does) and
*then* (bodies to refer with their area level and deadline, a priority and protection-level
floor, actions to take now, milestones on the referrals) and cites its legal ``basis`` by
citation key (``domain/routing/citations.py``). An implication says what a record implies (DOMAIN §2):
further concerns, or a follow-up read as a report, before the rules are matched.
This module only checks the shape; ``rules_check`` checks codes, specs and reachability.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from caseintake.domain.errors import DomainError

AREA_LEVELS = ("commune", "province", "national")
PRIORITIES = ("none", "low", "medium", "high", "emergency")  # ascending
PROTECTION_LEVELS = ("none", "prevention", "support", "intervention")  # Luật Trẻ em Arts. 47–50

_LIST_CONDITIONS = (
    "contact_type",
    "any_concern",
    "setting",
    "special_circumstances",
    "perpetrator_relationship",
    "line",
    "any_crime_sign",
)
_BOOL_CONDITIONS = ("has_concern", "immediate_danger", "is_abuse", "crime_sign")
_INT_CONDITIONS = ("min_age", "max_age")
_KIND_NAMES: dict[type, str] = {bool: "true or false", int: "a whole number"}
_THEN_KEYS = (
    "refer",
    "due",
    "priority",
    "protection_level",
    "actions_now",
    "milestones",
    "health_data",
    "due_to_confirm",
)
_IMPLIES_KEYS = ("concerns", "contact_type", "crime_signs", "special_circumstances")


@dataclass(frozen=True)
class Conditions:
    """All given conditions must hold; ``None`` or an empty tuple means "any"."""

    contact_type: tuple[str, ...] = ()
    any_concern: tuple[str, ...] = ()  # prefixes: "sexual_abuse" matches "sexual_abuse.online"
    has_concern: bool | None = None
    is_abuse: bool | None = None
    crime_sign: bool | None = None
    setting: tuple[str, ...] = ()
    immediate_danger: bool | None = None
    min_age: int | None = None  # some child with a known age at least this
    max_age: int | None = None  # ... and at most this
    special_circumstances: tuple[str, ...] = ()
    perpetrator_relationship: tuple[str, ...] = ()
    line: tuple[str, ...] = ()
    any_crime_sign: tuple[str, ...] = ()  # crime signs the operator gave or routing inferred


@dataclass(frozen=True)
class ReferTo:
    body: str
    area: str = "commune"  # commune, province or national


@dataclass(frozen=True)
class MilestoneSpec:
    """A later step on the same referral, e.g. the support plan within 5 working days."""

    code: str
    due: str
    to_confirm: bool = False  # the deadline is not read in a source


@dataclass(frozen=True)
class Rule:
    id: str
    description: str  # message key
    basis: tuple[str, ...]
    when: Conditions
    refer: tuple[ReferTo, ...] = ()
    due: str | None = None
    priority: str | None = None
    protection_level: str | None = None
    actions_now: tuple[str, ...] = ()
    milestones: tuple[MilestoneSpec, ...] = ()
    note: str = ""
    health_data: bool = False  # its bodies need the child's health data to act (DOMAIN §6)
    due_to_confirm: bool = False  # the deadline is not read in a source: shown "to be confirmed"


@dataclass(frozen=True)
class Implication:
    """What a record implies whatever box it was ticked in (DOMAIN §2): when its conditions
    hold, routing also sees ``concerns``, ``crime_signs`` and ``special_circumstances`` and, if
    given, reads the contact as ``contact_type``."""

    id: str
    description: str  # message key, shown to the operator as a note
    basis: tuple[str, ...]  # citation keys
    when: Conditions
    concerns: tuple[str, ...] = ()
    contact_type: str | None = None
    note: str = ""
    crime_signs: tuple[str, ...] = ()
    special_circumstances: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str = ""
    source: str = ""
    implications: tuple[Implication, ...] = ()

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def default_rules_text() -> str:
    return resources.files("caseintake.rules").joinpath("routing.toml").read_text("utf-8")


def load_rules(path: Path | str | None = None) -> RuleSet:
    """The rules from ``path``, or the shipped ``rules/routing.toml``."""
    if path is None:
        return parse_rules(default_rules_text(), "routing.toml")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError("rules.error.unreadable", path=str(path), reason=str(exc)) from None
    return parse_rules(text, str(path))


def parse_rules(text: str, source: str = "") -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DomainError("rules.error.toml", source=source, reason=str(exc)) from None
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise DomainError("rules.error.shape", rule="-", field="rule", expected="[[rule]] tables")
    raw_implications = data.get("implication", [])
    if not isinstance(raw_implications, list):
        raise DomainError(
            "rules.error.shape", rule="-", field="implication", expected="[[implication]] tables"
        )
    rules = tuple(_rule(raw, index) for index, raw in enumerate(raw_rules, start=1))
    implications = tuple(
        _implication(raw, index) for index, raw in enumerate(raw_implications, start=1)
    )
    return RuleSet(
        rules=rules,
        version=str(data.get("version", "")),
        source=source,
        implications=implications,
    )


def _head(
    raw: object, index: int, kind: str
) -> tuple[str, Mapping[str, Any], Mapping[str, Any], Conditions]:
    """The id, the table, its ``then`` and its parsed ``when`` (a rule or an implication)."""
    if not isinstance(raw, Mapping):
        raise DomainError("rules.error.shape", rule=f"#{index}", field=kind, expected="a table")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise DomainError("rules.error.missing_id", index=index)
    when = _table(raw, "when", rule_id)
    _no_unknown_keys(
        rule_id, "when", when, (*_LIST_CONDITIONS, *_BOOL_CONDITIONS, *_INT_CONDITIONS)
    )
    fields: dict[str, Any] = {k: _strings(when, k, rule_id) for k in _LIST_CONDITIONS if k in when}
    fields.update({k: _typed(when, k, bool, rule_id) for k in _BOOL_CONDITIONS if k in when})
    fields.update({k: _typed(when, k, int, rule_id) for k in _INT_CONDITIONS if k in when})
    return rule_id, raw, _table(raw, "then", rule_id), Conditions(**fields)


def _implication(raw: object, index: int) -> Implication:
    implication_id, table, then, conditions = _head(raw, index, "implication")
    _no_unknown_keys(implication_id, "then", then, _IMPLIES_KEYS)
    return Implication(
        id=implication_id,
        description=_opt_str(table, "description", implication_id)
        or f"routing.implication.{implication_id}",
        basis=_strings(table, "basis", implication_id),
        when=conditions,
        concerns=_strings(then, "concerns", implication_id),
        contact_type=_opt_str(then, "contact_type", implication_id),
        note=_opt_str(table, "note", implication_id) or "",
        crime_signs=_strings(then, "crime_signs", implication_id),
        special_circumstances=_strings(then, "special_circumstances", implication_id),
    )


def _rule(raw: object, index: int) -> Rule:
    rule_id, table, then, conditions = _head(raw, index, "rule")
    _no_unknown_keys(rule_id, "then", then, _THEN_KEYS)
    return Rule(
        id=rule_id,
        description=_opt_str(table, "description", rule_id) or f"routing.rule.{rule_id}",
        basis=_strings(table, "basis", rule_id),
        when=conditions,
        refer=tuple(_refer(item, rule_id) for item in _list(then, "refer", rule_id)),
        due=_opt_str(then, "due", rule_id),
        priority=_opt_str(then, "priority", rule_id),
        protection_level=_opt_str(then, "protection_level", rule_id),
        actions_now=_strings(then, "actions_now", rule_id),
        milestones=tuple(_milestone(m, rule_id) for m in _list(then, "milestones", rule_id)),
        note=_opt_str(table, "note", rule_id) or "",
        health_data=_flag(then, "health_data", rule_id),
        due_to_confirm=_flag(then, "due_to_confirm", rule_id),
    )


def _flag(table: Mapping[str, Any], key: str, rule_id: str) -> bool:
    return bool(_typed(table, key, bool, rule_id)) if key in table else False


def _table(raw: Mapping[str, Any], key: str, rule_id: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        raise DomainError("rules.error.shape", rule=rule_id, field=key, expected="a table")
    return value


def _no_unknown_keys(
    rule_id: str, part: str, table: Mapping[str, Any], known: tuple[str, ...]
) -> None:
    for key in table:
        if key not in known:
            raise DomainError("rules.error.unknown_field", rule=rule_id, field=f"{part}.{key}")


def _list(table: Mapping[str, Any], key: str, rule_id: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise DomainError("rules.error.shape", rule=rule_id, field=key, expected="a list")
    return value


def _strings(table: Mapping[str, Any], key: str, rule_id: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DomainError(
            "rules.error.shape", rule=rule_id, field=key, expected="a list of strings"
        )
    return tuple(value)


def _typed(table: Mapping[str, Any], key: str, kind: type, rule_id: str) -> Any:
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DomainError("rules.error.shape", rule=rule_id, field=key, expected=_KIND_NAMES[kind])
    return value


def _opt_str(table: Mapping[str, Any], key: str, rule_id: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise DomainError("rules.error.shape", rule=rule_id, field=key, expected="text")
    return value


def _refer(item: object, rule_id: str) -> ReferTo:
    if isinstance(item, str):
        return ReferTo(item)
    if not isinstance(item, Mapping) or not isinstance(item.get("body"), str):
        raise DomainError(
            "rules.error.shape", rule=rule_id, field="refer", expected="a table with body and area"
        )
    return ReferTo(item["body"], _opt_str(item, "area", rule_id) or "commune")


def _milestone(item: object, rule_id: str) -> MilestoneSpec:
    if not isinstance(item, Mapping) or not all(
        isinstance(item.get(k), str) for k in ("code", "due")
    ):
        raise DomainError(
            "rules.error.shape",
            rule=rule_id,
            field="milestones",
            expected="a table with code and due",
        )
    to_confirm = item.get("to_confirm", False)
    if not isinstance(to_confirm, bool):
        raise DomainError(
            "rules.error.shape",
            rule=rule_id,
            field="milestones.to_confirm",
            expected="true or false",
        )
    return MilestoneSpec(item["code"], item["due"], to_confirm)
