"""The operator's changes to the proposed referrals: removed (with a reason) and added bodies.

Routing is recomputed as the form fills in, so a removal is remembered by body and area rather
than by position: if the same referral is proposed again, it stays removed. Edits travel in the
draft as JSON and become ``ReferralChoice`` objects for the one save call.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from caseintake.domain.directory import DirectoryEntry, resolve_entry
from caseintake.domain.intake.record import Intake
from caseintake.domain.routing.decision import ReferralPlan
from caseintake.services.intake import ReferralChoice
from caseintake.services.routing import RoutedDecision

# Forwarding to the body of the place is "chuyển ngay" (Nghị định 56/2017/NĐ-CP ch. III), so an
# operator's own referral starts with the same deadline.
ADDED_DUE_SPEC = "immediately"

Key = tuple[str, int | None, int | None]


def plan_key(plan: ReferralPlan) -> Key:
    return (plan.body, plan.area.province_code, plan.area.ward_code)


def added_area(intake: Intake) -> tuple[int | None, int | None]:
    """An added referral goes to the commune when it is known, else to the province."""
    return intake.location.province_code, intake.location.ward_code


@dataclass(frozen=True)
class AddedReferral:
    body: str
    province_code: int | None
    ward_code: int | None
    entry: DirectoryEntry | None


@dataclass
class ReferralEdits:
    removed: dict[Key, str] = field(default_factory=dict)  # key -> reason
    added: list[str] = field(default_factory=list)  # body codes, in the order added

    def remove(self, plan: ReferralPlan, reason: str) -> None:
        self.removed[plan_key(plan)] = reason

    def restore(self, plan: ReferralPlan) -> None:
        self.removed.pop(plan_key(plan), None)

    def reason(self, plan: ReferralPlan) -> str | None:
        return self.removed.get(plan_key(plan))

    def add(self, body: str) -> None:
        if body not in self.added:
            self.added.append(body)

    def drop_added(self, body: str) -> None:
        if body in self.added:
            self.added.remove(body)

    def resolve_added(
        self, intake: Intake, entries: tuple[DirectoryEntry, ...]
    ) -> tuple[AddedReferral, ...]:
        province, ward = added_area(intake)
        return tuple(
            AddedReferral(body, province, ward, resolve_entry(entries, body, province, ward))
            for body in self.added
        )

    def choices(
        self, routed: RoutedDecision, added: tuple[AddedReferral, ...]
    ) -> list[ReferralChoice]:
        """Every proposed referral (removed ones with their reason) and every added one."""
        out = []
        for proposed in routed.referrals:
            choice = ReferralChoice.from_proposed(proposed)
            reason = self.reason(proposed.plan)
            if reason is not None:
                choice = replace(choice, removed_reason=reason)
            out.append(choice)
        proposed_bodies = {p.plan.body for p in routed.referrals if self.reason(p.plan) is None}
        for extra in added:
            if extra.body in proposed_bodies:
                continue  # already proposed and kept: one referral per body is enough
            out.append(
                ReferralChoice(
                    body=extra.body,
                    province_code=extra.province_code,
                    ward_code=extra.ward_code,
                    due_spec=ADDED_DUE_SPEC,
                    rule_ids=(),
                    basis=(),
                    entry_id=extra.entry.id if extra.entry else None,
                    added_by_operator=True,
                )
            )
        return out

    # Draft form -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "removed": [
                {"body": b, "province_code": p, "ward_code": w, "reason": r}
                for (b, p, w), r in self.removed.items()
            ],
            "added": list(self.added),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferralEdits:
        edits = cls()
        for item in data.get("removed") or []:
            if isinstance(item, dict) and isinstance(item.get("body"), str):
                key = (item["body"], item.get("province_code"), item.get("ward_code"))
                edits.removed[key] = str(item.get("reason") or "")
        edits.added = [b for b in data.get("added") or [] if isinstance(b, str)]
        return edits
