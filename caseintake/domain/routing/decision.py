"""What the routing engine decides for one intake, and its JSON form for ``route --json``.

Every action and referral carries the rules that produced it and their legal basis, so an
operator (and an auditor) can see why a body was chosen and where its deadline comes from.
The basis is kept as citation keys; the JSON adds their texts in the chosen language. Rule ids
are for the JSON and the details view, never for the operator's normal reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caseintake.domain.referrals.deadlines import to_local
from caseintake.domain.routing.citations import basis_texts
from caseintake.i18n import t


def _texts(
    out: dict[str, Any], reasons: tuple[str, ...], basis: tuple[str, ...], lang: str
) -> None:
    out["reason_texts"] = [t(r, lang) for r in reasons]
    out["basis_texts"] = basis_texts(basis, lang)


@dataclass(frozen=True)
class Area:
    """Where a referral goes: a commune, a province, or the national level."""

    level: str  # commune / province / national
    province_code: int | None = None
    ward_code: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "province_code": self.province_code,
            "ward_code": self.ward_code,
        }


@dataclass(frozen=True)
class Action:
    """Something the operator does now, during the call (e.g. ``emergency_113``)."""

    code: str
    reasons: tuple[str, ...]  # message keys
    rule_ids: tuple[str, ...]
    basis: tuple[str, ...]  # citation keys

    @property
    def rule_id(self) -> str:
        return self.rule_ids[0]

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "rule_ids": list(self.rule_ids),
            "basis": list(self.basis),
            "reasons": list(self.reasons),
        }
        if lang:
            _texts(out, self.reasons, self.basis, lang)
        return out


@dataclass(frozen=True)
class Milestone:
    """A later step on a referral, e.g. the support plan (Mẫu 04) within 5 working days."""

    code: str
    due_spec: str
    due_at: datetime  # UTC
    rule_id: str
    to_confirm: bool = False  # the deadline is not read in a source

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "due_spec": self.due_spec,
            "to_confirm": self.to_confirm,
            "due_at": self.due_at.isoformat(),
            "due_at_local": to_local(self.due_at).isoformat(),
            "rule_id": self.rule_id,
        }


@dataclass(frozen=True)
class ReferralPlan:
    """A referral to propose; several rules naming the same body and area merge into one."""

    body: str
    area: Area
    due_spec: str  # the spec of the earliest deadline among the merged rules
    due_at: datetime  # UTC
    rule_ids: tuple[str, ...]  # the rule of the earliest deadline first, then implications
    basis: tuple[str, ...]  # citation keys
    reasons: tuple[str, ...]  # message keys
    milestones: tuple[Milestone, ...] = ()
    due_to_confirm: bool = False  # the deadline is not read in a source: "to be confirmed"
    health_data: bool = False  # the body needs the child's health data to act (DOMAIN §6)

    @property
    def rule_id(self) -> str:
        return self.rule_ids[0]

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "body": self.body,
            "due_to_confirm": self.due_to_confirm,
            "health_data": self.health_data,
            "area": self.area.to_json(),
            "due_spec": self.due_spec,
            "due_at": self.due_at.isoformat(),
            "due_at_local": to_local(self.due_at).isoformat(),
            "rule_ids": list(self.rule_ids),
            "basis": list(self.basis),
            "reasons": list(self.reasons),
            "milestones": [m.to_json() for m in self.milestones],
        }
        if lang:
            _texts(out, self.reasons, self.basis, lang)
            if self.due_to_confirm:
                out["due_note"] = t("law.due_to_confirm", lang)
        return out


@dataclass(frozen=True)
class RoutingWarning:
    """Something the operator should know, e.g. a 17-year-old is not "trẻ em" (Art. 1)."""

    code: str
    key: str  # message key
    params: tuple[tuple[str, str | int | None], ...] = ()

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **dict(self.params))

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "key": self.key, "params": dict(self.params)}
        if lang:
            out["message"] = self.message(lang)
        return out


@dataclass(frozen=True)
class Implied:
    """What the record implied (DOMAIN §2), e.g. a married 14-year-old: signs of sexual abuse."""

    id: str
    reason: str  # message key
    basis: tuple[str, ...]  # citation keys
    concerns: tuple[str, ...] = ()
    contact_type: str | None = None  # the contact is read as this type (a follow-up as a report)
    crime_signs: tuple[str, ...] = ()
    special_circumstances: tuple[str, ...] = ()

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "concerns": list(self.concerns),
            "crime_signs": list(self.crime_signs),
            "special_circumstances": list(self.special_circumstances),
            "contact_type": self.contact_type,
            "reason": self.reason,
            "basis": list(self.basis),
        }
        if lang:
            out["reason_text"] = t(self.reason, lang)
            out["basis_texts"] = basis_texts(self.basis, lang)
        return out


@dataclass(frozen=True)
class Decision:
    priority: str  # emergency / high / medium / low / none
    protection_level: str  # intervention / support / prevention / none
    actions_now: tuple[Action, ...] = ()
    referrals: tuple[ReferralPlan, ...] = ()
    warnings: tuple[RoutingWarning, ...] = ()
    matched_rules: tuple[str, ...] = ()
    implied: tuple[Implied, ...] = ()
    crime_signs: tuple[str, ...] = ()  # given by the operator and inferred
    health_data_held: tuple[str, ...] = ()  # sensitive health data on the record (DOMAIN §6)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The ``route --json`` output (DESIGN §6); with ``lang``, readable texts are added."""
        return {
            "crime_signs": list(self.crime_signs),
            "health_data_held": list(self.health_data_held),
            "priority": self.priority,
            "protection_level": self.protection_level,
            "actions_now": [a.to_json(lang) for a in self.actions_now],
            "referrals": [r.to_json(lang) for r in self.referrals],
            "warnings": [w.to_json(lang) for w in self.warnings],
            "matched_rules": list(self.matched_rules),
            "implied": [i.to_json(lang) for i in self.implied],
        }
