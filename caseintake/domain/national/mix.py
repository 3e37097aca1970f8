"""The national line's mix (``national_mix.toml``) as one frozen value (issue 23 item 2).

Shares are kept as the file writes them (per mille or per cent); ``Weighted`` turns a table
into cumulative weights for ``random.choices``, the fast way to draw from it a million times.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, TypeVar

MIX_FILE = Path(__file__).with_name("national_mix.toml")
T = TypeVar("T")


@dataclass(frozen=True)
class Weighted(Generic[T]):
    """Values and their cumulative weights."""

    values: tuple[T, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, table: dict[Any, Any], key: type = str) -> Weighted[Any]:
        values = tuple(key(k) for k in table)
        return cls(values, tuple(accumulate(float(w) for w in table.values())))

    def share(self, value: T) -> float:
        i = self.values.index(value)
        before = self.cumulative[i - 1] if i else 0.0
        return (self.cumulative[i] - before) / self.cumulative[-1]


@dataclass(frozen=True)
class NationalMix:
    version: str  # part of a cached database's name: a new mix makes a new database
    contacts: Weighted[str]
    window_days: int
    follow_up_notes: float
    phone_share_not_data: float
    phone_share_data: float
    contacts_per_phone: int
    habitual_share: float
    habitual_per_million: float
    concerns: Weighted[str]
    children: Weighted[int]
    concern_count: Weighted[int]
    perpetrators: Weighted[int]
    immediate_danger: float
    report_notes: float
    outcomes: Weighted[str]
    delays_hours: dict[str, float]
    close_share: float
    closing_hours: tuple[tuple[str, float], ...]  # in_support, monitoring, closed in order


def parse(raw: dict[str, Any]) -> NationalMix:
    callers, per_case, closing = raw["callers"], raw["per_case"], dict(raw["closing"])
    share = float(closing.pop("share"))
    return NationalMix(
        version=str(raw["version"]),
        contacts=Weighted.of(raw["contacts"]),
        window_days=int(raw["repeat_calls"]["window_days"]),
        follow_up_notes=float(raw["repeat_calls"]["notes_share"]),
        phone_share_not_data=float(callers["phone_share_not_data"]),
        phone_share_data=float(callers["phone_share_data"]),
        contacts_per_phone=int(callers["contacts_per_phone"]),
        habitual_share=float(callers["habitual_share"]),
        habitual_per_million=float(callers["habitual_per_million"]),
        concerns=Weighted.of(raw["concerns"]),
        children=Weighted.of(per_case["children"], int),
        concern_count=Weighted.of(per_case["concerns"], int),
        perpetrators=Weighted.of(per_case["perpetrators"], int),
        immediate_danger=float(per_case["immediate_danger"]),
        report_notes=float(per_case["notes_share"]),
        outcomes=Weighted.of(raw["referral_outcomes"]),
        delays_hours={k: float(v) for k, v in raw["referral_delays_hours"].items()},
        close_share=share,
        closing_hours=tuple((k, float(v)) for k, v in closing.items()),
    )


@cache
def national_mix(path: Path = MIX_FILE) -> NationalMix:
    return parse(tomllib.loads(path.read_text(encoding="utf-8")))
