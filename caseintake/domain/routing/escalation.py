"""Escalation: an overdue referral the body has not acknowledged proposes the next body.

The rules are data (``rules/escalation.toml``), each citing its legal basis. A proposal is a
pure function of the referral, the rule and the clock, so the queue can compute it every time it
is read and no background job has to have run (issue 8, item 3).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.deadline_state import NOW_WINDOW
from caseintake.domain.referrals.deadlines import WorkingCalendar, due_at

ESCALATION_AREAS = ("province", "national")
# Not yet acknowledged: the body has not said it is acting (Decree 56/2017 ch. III).
UNACKNOWLEDGED = ("pending", "sent")
_HOURS = re.compile(r"^[1-9][0-9]{0,2}h$")


@dataclass(frozen=True)
class EscalationRule:
    id: str
    from_bodies: tuple[str, ...]
    to_body: str
    to_area: str
    due: str
    basis: tuple[str, ...]
    note: str = ""
    acknowledge_within: str | None = None  # "<n>h": how long a sent "immediately" referral waits
    to_confirm: bool = False  # its windows are not read in a source: shown "to be confirmed"

    def ack_window(self) -> timedelta | None:
        return self._ack_window

    @cached_property
    def _ack_window(self) -> timedelta | None:  # read for every row of a queue page: once
        spec = self.acknowledge_within
        if spec is None or not _HOURS.match(spec):
            return None
        return timedelta(hours=int(spec[:-1]))


@dataclass(frozen=True)
class EscalationRules:
    rules: tuple[EscalationRule, ...]
    version: str = ""

    def for_body(self, body: str) -> EscalationRule | None:
        return self._by_body.get(body)

    @cached_property
    def _by_body(self) -> dict[str, EscalationRule]:
        """Each body's rule: the first that names it (looked up for every row of a page)."""
        found: dict[str, EscalationRule] = {}
        for rule in self.rules:
            for body in rule.from_bodies:
                found.setdefault(body, rule)
        return found

    def bodies(self) -> tuple[str, ...]:
        """Every body some rule escalates (for SQL filters)."""
        return tuple(dict.fromkeys(b for r in self.rules for b in r.from_bodies))


@dataclass(frozen=True)
class ProposedEscalation:
    """The referral a supervisor would create by confirming, if confirmed now."""

    referral_id: str
    rule_id: str
    body: str
    area: str
    province_code: int | None
    due_spec: str
    due_at: datetime
    basis: tuple[str, ...]
    to_confirm: bool = False  # the rule's windows are not read in a source


def overdue_threshold(due_spec: str, now: datetime) -> datetime:
    """A referral due before this moment is past its due time ("immediately" gets 15 min)."""
    return now - NOW_WINDOW if due_spec == "immediately" else now


def needs_escalation(
    rule: EscalationRule, due_spec: str, due: datetime | None, status: str, now: datetime
) -> bool:
    """Not acknowledged by the body, and past its due time; an "immediately" referral that did
    go out waits ``acknowledge_within`` for the body to say it is acting."""
    if status not in UNACKNOWLEDGED or due is None:
        return False
    if due_spec == "immediately" and status == "sent":
        window = rule.ack_window()
        return window is not None and due < now - window
    return due < overdue_threshold(due_spec, now)


def propose(
    rules: EscalationRules,
    *,
    referral_id: str,
    body: str,
    due_spec: str,
    due: datetime | None,
    status: str,
    province_code: int | None,
    now: datetime,
    calendar: WorkingCalendar,
    due_memo: dict[str, datetime] | None = None,
) -> ProposedEscalation | None:
    """The escalation this referral raises now, or None. ``due_memo`` keeps each deadline
    computed for ``now`` across the rows of one page."""
    rule = rules.for_body(body)
    if rule is None or not needs_escalation(rule, due_spec, due, status, now):
        return None
    memo = {} if due_memo is None else due_memo
    if rule.due not in memo:
        memo[rule.due] = due_at(now, rule.due, calendar)
    province = province_code if rule.to_area == "province" else None
    return ProposedEscalation(
        referral_id,
        rule.id,
        rule.to_body,
        rule.to_area if province is not None else "national",
        province,
        rule.due,
        memo[rule.due],
        rule.basis,
        rule.to_confirm,
    )


def default_escalation_text() -> str:
    return resources.files("caseintake.rules").joinpath("escalation.toml").read_text("utf-8")


def load_escalation_rules(path: Path | str | None = None) -> EscalationRules:
    """The rules from ``path``, or the shipped ``rules/escalation.toml``."""
    if path is None:
        return parse_escalation_rules(default_escalation_text(), "escalation.toml")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError("rules.error.unreadable", path=str(path), reason=str(exc)) from None
    return parse_escalation_rules(text, str(path))


def is_escalation_text(text: str) -> bool:
    try:
        return "escalation" in tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False


def parse_escalation_rules(text: str, source: str = "") -> EscalationRules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DomainError("rules.error.toml", source=source, reason=str(exc)) from None
    raw = data.get("escalation", [])
    if not isinstance(raw, list):
        raise DomainError("rules.error.shape", rule="-", field="escalation", expected="tables")
    rules = tuple(_rule(item, index) for index, item in enumerate(raw, start=1))
    return EscalationRules(rules, str(data.get("version", "")))


def _rule(raw: Any, index: int) -> EscalationRule:
    if not isinstance(raw, Mapping):
        raise DomainError(
            "rules.error.shape", rule=f"#{index}", field="escalation", expected="a table"
        )
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise DomainError("rules.error.missing_id", index=index)
    known = ("id", "from", "to", "due", "acknowledge_within", "basis", "note", "to_confirm")
    for key in raw:
        if key not in known:
            raise DomainError("rules.error.unknown_field", rule=rule_id, field=key)
    target = raw.get("to")
    if not isinstance(target, Mapping) or not isinstance(target.get("body"), str):
        raise DomainError("rules.error.shape", rule=rule_id, field="to", expected="{ body, area }")
    return EscalationRule(
        id=rule_id,
        from_bodies=_strings(raw, "from", rule_id),
        to_body=target["body"],
        to_area=_text(target, "area", rule_id) or "province",
        due=_text(raw, "due", rule_id) or "",
        basis=_strings(raw, "basis", rule_id),
        note=_text(raw, "note", rule_id) or "",
        acknowledge_within=_text(raw, "acknowledge_within", rule_id),
        to_confirm=_flag(raw, "to_confirm", rule_id),
    )


def _flag(table: Mapping[str, Any], key: str, rule_id: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise DomainError("rules.error.shape", rule=rule_id, field=key, expected="true or false")
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


def _text(table: Mapping[str, Any], key: str, rule_id: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise DomainError("rules.error.shape", rule=rule_id, field=key, expected="text")
    return value
