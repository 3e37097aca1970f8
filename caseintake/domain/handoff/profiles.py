"""Data-minimisation profiles (``rules/handoff_profiles.toml``): which fields of a case record
a package carries to each kind of receiving line (DOMAIN §6: only what that body needs to act).

A profile is a list of paths into the record (the intake JSON, plus ``priority`` and
``protection_level``); ``minimise`` copies those paths and nothing else, so a field the profile
does not name, or one added to the record later, never travels by default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from caseintake.domain.handoff.header import HandoffRefused
from caseintake.domain.intake import taxonomy


@dataclass(frozen=True)
class Profile:
    id: str
    bodies: tuple[str, ...]
    duty: str  # the receiving body's legal duty to act: the citation of a legal_duty basis
    source: str  # why these fields
    health: bool  # whether sensitive health circumstances travel
    fields: tuple[str, ...]

    def minimise(self, record: dict[str, Any]) -> dict[str, Any]:
        """Only the profile's fields of ``record`` (absent ones stay absent)."""
        out: dict[str, Any] = {}
        for path in self.fields:
            _copy(record, out, path.split("."))
        if not self.health:
            health = taxonomy.health_circumstances()
            for child in out.get("children", ()):
                if "special_circumstances" in child:
                    kept = [c for c in child["special_circumstances"] if c not in health]
                    child["special_circumstances"] = kept
        return out


@cache
def profiles() -> dict[str, Profile]:
    text = resources.files("caseintake.rules").joinpath("handoff_profiles.toml").read_text("utf-8")
    raw = tomllib.loads(text)["profile"]
    return {
        key: Profile(
            id=key,
            bodies=tuple(value["bodies"]),
            duty=value["duty"],
            source=value["source"],
            health=bool(value["health"]),
            fields=tuple(value["fields"]),
        )
        for key, value in raw.items()
    }


def profile(profile_id: str) -> Profile:
    try:
        return profiles()[profile_id]
    except KeyError:
        raise HandoffRefused("handoff.error.no_profile", body=profile_id) from None


def profile_for_body(body: str) -> Profile:
    """The profile of a directory entry's body code; a body with none gets no package."""
    for found in profiles().values():
        if body in found.bodies:
            return found
    raise HandoffRefused("handoff.error.no_profile", body=body)


def _copy(source: Any, target: dict[str, Any], parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    is_list = head.endswith("[]")
    name = head.removesuffix("[]")
    if not isinstance(source, dict) or name not in source:
        return
    value = source[name]
    if not rest:
        target[name] = _clone(value)
    elif is_list and isinstance(value, list):
        items = target.setdefault(name, [{} for _ in value])
        for item, into in zip(value, items, strict=True):
            _copy(item, into, rest)
    elif not is_list and isinstance(value, dict):
        _copy(value, target.setdefault(name, {}), rest)


def _clone(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clone(v) for v in value]
    return value
