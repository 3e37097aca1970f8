"""The routing engine: from one intake to priority, protection level, actions and referrals.

A pure function of the intake, the rules and the working calendar: it saves nothing and reads
no clock, so ``caseintake route FILE.json`` and the TUI show the same decision for the same
input. First the record's implications are drawn (DOMAIN §2: a married 14-year-old carries signs
of sexual abuse, a special circumstance its abuse form, a follow-up with a concern is a report);
then rules that match all contribute (no rule shadows another); referrals to the same body
and area merge, keeping the earliest deadline and every rule id and legal basis. A rule that
matched only because of an implication also carries the implication's id, reason and basis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.intake.record import Intake
from caseintake.domain.referrals.deadlines import Deadline, WorkingCalendar
from caseintake.domain.routing.citation_scope import in_force_here
from caseintake.domain.routing.conditions import (
    IntakeFacts,
    facts_of,
    implications_of,
    implied_by,
    matches,
)
from caseintake.domain.routing.decision import (
    Action,
    Area,
    Decision,
    Implied,
    Milestone,
    ReferralPlan,
    RoutingWarning,
)
from caseintake.domain.routing.rules import (
    PRIORITIES,
    PROTECTION_LEVELS,
    Implication,
    Rule,
    RuleSet,
)

CHILD_AGE_LIMIT = 16  # Luật Trẻ em 2016 Art. 1: trẻ em is a person under 16
ADULT_AGE = 18  # Bộ luật Dân sự 2015 Art. 20: adult from 18


@dataclass
class _Merging:
    """A referral while rules are still adding to it."""

    body: str
    area: Area
    due_spec: str
    due_at: datetime
    rule_ids: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    due_to_confirm: bool = False
    health_data: bool = False

    def add(
        self,
        rule: Rule,
        due_spec: str,
        due_at: datetime,
        ms: list[Milestone],
        because: tuple[Implication, ...] = (),
    ) -> None:
        if due_at < self.due_at or not self.rule_ids:
            self.due_spec, self.due_at = due_spec, due_at
            self.due_to_confirm = rule.due_to_confirm
            self.rule_ids = [rule.id, *(r for r in self.rule_ids if r != rule.id)]
        else:
            if due_at == self.due_at and not rule.due_to_confirm:
                self.due_to_confirm = False  # a rule read in a source gives the same time
            if rule.id not in self.rule_ids:
                self.rule_ids.append(rule.id)
        self.health_data = self.health_data or rule.health_data
        _extend(self.rule_ids, tuple(i.id for i in because))
        _extend(self.basis, rule.basis + tuple(b for i in because for b in i.basis))
        _extend(self.reasons, (rule.description, *(i.description for i in because)))
        for m in ms:
            if m.code not in self.milestones or m.due_at < self.milestones[m.code].due_at:
                self.milestones[m.code] = m

    def freeze(self) -> ReferralPlan:
        return ReferralPlan(
            body=self.body,
            area=self.area,
            due_spec=self.due_spec,
            due_at=self.due_at,
            rule_ids=tuple(self.rule_ids),
            basis=tuple(self.basis),
            reasons=tuple(self.reasons),
            milestones=tuple(sorted(self.milestones.values(), key=lambda m: m.due_at)),
            due_to_confirm=self.due_to_confirm,
            health_data=self.health_data,
        )


def route_intake(intake: Intake, rules: RuleSet, calendar: WorkingCalendar) -> Decision:
    """The routing decision for ``intake``; non-data contacts route nowhere."""
    if not intake.is_data:
        return Decision(priority="none", protection_level="none")
    facts = facts_of(intake)
    fired = implications_of(facts, rules.implications)
    implied = implied_by(facts, fired)
    matched = tuple(rule for rule in rules.rules if matches(rule.when, implied))
    place = _Place.of(intake)
    warnings = place.map_warnings() + _age_warnings(intake)
    referrals: dict[tuple[str, Area], _Merging] = {}
    actions: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for rule in matched:
        because = _because(rule, facts, fired)
        for code in rule.actions_now:
            reasons, rule_ids, basis = actions.setdefault(code, ([], [], []))
            _extend(reasons, (rule.description, *(i.description for i in because)))
            _extend(rule_ids, (rule.id, *(i.id for i in because)))
            _extend(basis, rule.basis + tuple(b for i in because for b in i.basis))
        if not rule.refer:
            continue
        deadline = Deadline.parse(rule.due or "immediately")
        due = deadline.due_at(intake.received_at, calendar)
        ms = [
            _milestone(m.code, Deadline.parse(m.due), intake, calendar, rule.id, m.to_confirm)
            for m in rule.milestones
        ]
        for target in rule.refer:
            area = place.area(target.area)
            merging = referrals.setdefault(
                (target.body, area), _Merging(target.body, area, deadline.spec, due)
            )
            merging.add(rule, deadline.spec, due, ms, because)
    warnings.extend(place.warnings({t.area for rule in matched for t in rule.refer}))
    if intake.contact_type == "report" and not intake.concerns:
        warnings.append(RoutingWarning("report_without_concern", "routing.warning.no_concern"))
    # A provincial document is a basis only in its own province (rules/citation_scope.toml).
    province = intake.location.province_code
    plans = sorted(
        (
            replace(p, basis=in_force_here(p.basis, province))
            for p in map(_Merging.freeze, referrals.values())
        ),
        key=lambda p: p.due_at,
    )
    return Decision(
        priority=_highest(PRIORITIES, (r.priority for r in matched)),
        protection_level=_highest(PROTECTION_LEVELS, (r.protection_level for r in matched)),
        actions_now=tuple(
            Action(code, tuple(rs), tuple(ids), in_force_here(bs, province))
            for code, (rs, ids, bs) in sorted(actions.items())
        ),
        referrals=tuple(plans),
        warnings=tuple(warnings),
        matched_rules=tuple(r.id for r in matched),
        implied=tuple(
            Implied(
                i.id,
                i.description,
                i.basis,
                i.concerns,
                i.contact_type,
                i.crime_signs,
                i.special_circumstances,
            )
            for i in fired
        ),
        crime_signs=tuple(sorted(implied.crime_signs)),
        health_data_held=_health_data(intake),
    )


def _health_data(intake: Intake) -> tuple[str, ...]:
    """The sensitive health data on the record (DOMAIN §6): its health special circumstances,
    and ``disability`` when a child is marked disabled."""
    health = taxonomy.health_circumstances()
    held = {s for c in intake.children for s in c.special_circumstances if s in health}
    if any(c.disability for c in intake.children):
        held.add("disability")
    return tuple(sorted(held))


def _because(
    rule: Rule, facts: IntakeFacts, fired: tuple[Implication, ...]
) -> tuple[Implication, ...]:
    """The implications a matched rule owes its match to (none if the record alone matches)."""
    if matches(rule.when, facts):
        return ()
    alone = tuple(i for i in fired if matches(rule.when, implied_by(facts, (i,))))
    return alone or fired


@dataclass(frozen=True)
class _Place:
    """The intake's location checked against today's map (34 provinces, 3,321 communes)."""

    province_code: int | None
    ward_code: int | None
    given_ward: int | None
    mismatch_province: int | None = None
    legacy: bool = False  # the given code is a pre-2025 ward's, mapped to today's ward

    @classmethod
    def of(cls, intake: Intake) -> _Place:
        given_province, given_ward = intake.location.province_code, intake.location.ward_code
        ward = geography.ward(given_ward)
        legacy = geography.resolve_legacy_ward(given_ward) if isinstance(given_ward, int) else None
        if ward is None and legacy is not None and not legacy.is_split:
            ward = geography.ward(legacy.new_codes[0])  # Nghị định 147/2025: today's two levels
        province = geography.province(given_province)
        if ward is None:
            return cls(province.code if province else None, None, given_ward)
        mismatch = None
        if province is not None and province.code != ward.province_code:
            mismatch = province.code  # the commune decides: it is where the child is
        return cls(ward.province_code, ward.code, given_ward, mismatch, ward.code != given_ward)

    def area(self, level: str) -> Area:
        # A commune-level referral falls back to the province, then to the national level.
        if level == "commune" and self.ward_code is not None:
            return Area("commune", self.province_code, self.ward_code)
        if level in ("commune", "province") and self.province_code is not None:
            return Area("province", self.province_code, None)
        return Area("national")

    def warnings(self, levels: set[str]) -> list[RoutingWarning]:
        """Why a referral could not go to the level its rule asked for."""
        if self.province_code is None and levels & {"commune", "province"}:
            return [RoutingWarning("location_unknown", "routing.warning.location_unknown")]
        if self.ward_code is None and "commune" in levels:
            known = geography.province(self.province_code)
            name = known.name if known else str(self.province_code)
            params = (("ward_code", self.given_ward), ("province", name))
            return [RoutingWarning("commune_unknown", "routing.warning.commune_unknown", params)]
        return []

    def map_warnings(self) -> list[RoutingWarning]:
        out = []
        params: tuple[tuple[str, int | None], ...]
        if self.legacy:
            params = (("old_code", self.given_ward), ("ward_code", self.ward_code))
            out.append(RoutingWarning("legacy_ward", "routing.warning.legacy_ward", params))
        if self.mismatch_province is not None:
            params = (
                ("ward_code", self.ward_code),
                ("province_code", self.province_code),
                ("given_province", self.mismatch_province),
            )
            out.append(
                RoutingWarning("ward_province_mismatch", "routing.warning.ward_mismatch", params)
            )
        return out


def _age_warnings(intake: Intake) -> list[RoutingWarning]:
    out: list[RoutingWarning] = []
    for number, child in enumerate(intake.children, start=1):
        if child.age is None:
            continue
        params = (("child", number), ("age", child.age))
        if CHILD_AGE_LIMIT <= child.age < ADULT_AGE:
            out.append(RoutingWarning("age_16_17", "routing.warning.age_16_17", params))
        elif child.age >= ADULT_AGE:
            out.append(RoutingWarning("not_a_child", "routing.warning.not_a_child", params))
    if intake.concerns and (not intake.children or any(c.age is None for c in intake.children)):
        out.append(RoutingWarning("age_unknown", "routing.warning.age_unknown"))
    return out


def _milestone(
    code: str,
    deadline: Deadline,
    intake: Intake,
    calendar: WorkingCalendar,
    rule_id: str,
    to_confirm: bool,
) -> Milestone:
    due_at = deadline.due_at(intake.received_at, calendar)
    return Milestone(code, deadline.spec, due_at, rule_id, to_confirm)


def _highest(order: tuple[str, ...], values: Iterable[str | None]) -> str:
    ranks = [order.index(v) for v in values if v in order]
    return order[max(ranks)] if ranks else order[0]


def _extend(target: list[str], items: tuple[str, ...]) -> None:
    target.extend(i for i in items if i not in target)
