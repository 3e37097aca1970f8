"""A problem found in a rules file (routing or escalation), naming its rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from caseintake.i18n import t

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    rule_id: str
    key: str  # message key under rules.problem.*
    params: dict[str, object] = field(default_factory=dict)
    severity: Severity = "error"

    def message(self, lang: str | None = None) -> str:
        return t("rules.problem.prefix", lang, rule=self.rule_id) + t(self.key, lang, **self.params)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
