"""A linked call's proposed referrals against the case's open ones.

The same body and area is never referred twice while a referral to it is open: a repeat call
that routes to the commune committee again adds nothing, unless its deadline is shorter (danger
now, where there was none), which tightens the open referral. Only a body, or an area, that has
no open referral makes a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

MergeStep = Literal["create", "tighten", "keep"]


@dataclass(frozen=True)
class OpenReferral:
    id: str
    body: str
    province_code: int | None
    ward_code: int | None
    due_at: datetime | None


@dataclass(frozen=True)
class Merge:
    step: MergeStep
    index: int  # position of the proposed referral
    open_id: str | None = None  # the open referral kept or tightened


def _desk(body: str, province_code: int | None, ward_code: int | None) -> tuple[object, ...]:
    return (body, province_code, ward_code)


def merge_referrals(
    open_referrals: Iterable[OpenReferral],
    proposed: Iterable[tuple[str, int | None, int | None, datetime | None]],
) -> list[Merge]:
    """One step per proposed ``(body, province, ward, due_at)``, in order."""
    by_desk = {_desk(r.body, r.province_code, r.ward_code): r for r in open_referrals}
    out: list[Merge] = []
    for i, (body, province, ward, due) in enumerate(proposed):
        existing = by_desk.get(_desk(body, province, ward))
        if existing is None:
            out.append(Merge("create", i))
            # A second proposal to the same new desk merges into the first (routing already
            # merges, but operator-added referrals may repeat one).
            by_desk[_desk(body, province, ward)] = OpenReferral("", body, province, ward, due)
        elif _sooner(due, existing.due_at) and existing.id:
            out.append(Merge("tighten", i, existing.id))
        else:
            out.append(Merge("keep", i, existing.id or None))
    return out


def _sooner(new: datetime | None, old: datetime | None) -> bool:
    return new is not None and (old is None or new < old)
