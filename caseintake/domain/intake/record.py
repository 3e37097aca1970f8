"""The intake: what an operator records about one contact, as plain frozen dataclasses.

The same shape comes from the TUI form, from ``caseintake intake FILE.json`` and from
integrations (DESIGN §6). Parsing and validation live in ``validation.py``; this module only
holds the shape and its JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

DATA_CONTACT_TYPES = ("report", "counselling", "information", "follow_up")
NON_DATA_CONTACT_TYPES = (
    "silent",
    "hang_up",
    "prank_abusive",
    "wrong_number",
    "thanks",
    "dropped",
)


@dataclass(frozen=True)
class Caller:
    relationship: str = "anonymous"
    name: str | None = None
    phone: str | None = None  # as typed; normalised to E.164 by validation when possible
    age_group: str | None = None  # the caller's own age group and sex, for statistics
    sex: str | None = None


@dataclass(frozen=True)
class Child:
    age: int | None = None
    age_basis: str = "estimated"  # stated / estimated / verified
    sex: str = "unknown"
    ethnicity: str = "unknown"
    disability: bool = False
    special_circumstances: tuple[str, ...] = ()
    name: str | None = None
    address: str | None = None
    personal_id: str | None = None  # mã định danh cá nhân, 12 digits (issue 24 item 6)


@dataclass(frozen=True)
class Perpetrator:
    relationship: str = "unknown"
    name: str | None = None


@dataclass(frozen=True)
class Location:
    province_code: int | None = None
    ward_code: int | None = None  # today's commune / ward / special zone code


@dataclass(frozen=True)
class Intake:
    received_at: datetime  # timezone-aware
    contact_type: str
    channel: str = "phone"
    line: str = "111"  # "111" or "provincial"
    duration_seconds: int | None = None
    counselling_topics: tuple[str, ...] = ()
    caller: Caller = field(default_factory=Caller)
    children: tuple[Child, ...] = ()
    location: Location = field(default_factory=Location)
    concerns: tuple[str, ...] = ()
    crime_signs: tuple[str, ...] = ()  # what the operator heard that is a sign of a crime
    setting: str | None = None
    perpetrators: tuple[Perpetrator, ...] = ()
    immediate_danger: bool = False
    narrative: str = ""
    notes: str = ""
    case_id: str | None = None  # link to an existing case instead of opening a new one

    @property
    def is_data(self) -> bool:
        return self.contact_type in DATA_CONTACT_TYPES

    def to_json(self) -> dict[str, Any]:
        """The intake JSON of DESIGN §6 (tuples as lists, time as ISO 8601)."""
        out: dict[str, Any] = _plain(self)
        out["received_at"] = self.received_at.isoformat()
        return out


def _plain(value: Any) -> Any:
    """Like ``dataclasses.asdict`` with tuples as lists, without its deep copies (the save
    re-validates every intake through this)."""
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
