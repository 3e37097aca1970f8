"""Which citations are a legal basis where: a provincial document only in its own province
(``rules/citation_scope.toml``); laws and decrees everywhere."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources


@cache
def provincial() -> dict[str, int]:
    """Citation family (the key before its first dot) -> the province it applies in."""
    text = resources.files("caseintake.rules").joinpath("citation_scope.toml").read_text("utf-8")
    return {family: int(s["province"]) for family, s in tomllib.loads(text)["scope"].items()}


def applies(key: str, province_code: int | None) -> bool:
    """True when citation ``key`` is a basis for a case in ``province_code`` (None: not known,
    so no provincial document applies)."""
    scope = provincial().get(key.split(".", 1)[0])
    return scope is None or scope == province_code


def in_force_here(keys: Iterable[str], province_code: int | None) -> tuple[str, ...]:
    return tuple(k for k in keys if applies(k, province_code))
