"""Today's provinces and communes (34 and 3,321 since 1 July 2025), with diacritic-free search.

The list comes from the ``vietnam-provinces`` package's JSON file, read on first use: importing
this module costs nothing, and the package's own modules (a 3,000-member enum) are never
imported. There is no district level any more (Nghị định 147/2025/NĐ-CP); pre-2025 ward names
and codes are aliases from ``rules/legacy_wards.toml`` so old records and callers still match.
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_DIVISIONS_PACKAGE = "vietnam_provinces"
_DIVISIONS_FILE = ("data", "nested-divisions.json")
_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu ")


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # "Thành phố Hồ Chí Minh"
    division_type: str  # "tỉnh" or "thành phố trung ương"

    @property
    def short_name(self) -> str:
        return _short(self.name)


@dataclass(frozen=True)
class Ward:
    """A commune, ward or special zone (xã, phường, đặc khu) of today's map."""

    code: int
    name: str  # "Phường Sài Gòn"
    province_code: int
    division_type: str  # "xã", "phường" or "đặc khu"
    former_name: str | None = None  # set by search when the match was a pre-2025 name

    @property
    def short_name(self) -> str:
        return _short(self.name)


@dataclass(frozen=True)
class LegacyWard:
    """A pre-2025 ward and the ward(s) of today that took its area."""

    old_name: str
    old_code: int | None
    old_area: str
    province_code: int
    new_codes: tuple[int, ...]
    source: str

    @property
    def is_split(self) -> bool:
        """True when the old ward went to several new wards, so its code alone is ambiguous."""
        return len(self.new_codes) > 1


def fold(text: str) -> str:
    """Lower case without diacritics, ``đ`` as ``d`` and single spaces: the search key."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def _short(name: str) -> str:
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return name.split(" ", prefix.count(" "))[-1]
    return name


def _divisions_path() -> Path:
    # find_spec locates the package without running its __init__ (which imports the enums).
    spec = importlib.util.find_spec(_DIVISIONS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnam-provinces package is not installed")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*_DIVISIONS_FILE)


@cache
def _load() -> tuple[dict[int, Province], dict[int, Ward]]:
    raw: list[dict[str, Any]] = json.loads(_divisions_path().read_text(encoding="utf-8"))
    provinces: dict[int, Province] = {}
    wards: dict[int, Ward] = {}
    for entry in raw:
        code = int(entry["code"])
        provinces[code] = Province(code, str(entry["name"]), str(entry["division_type"]))
        for w in entry["wards"]:
            wards[int(w["code"])] = Ward(
                int(w["code"]), str(w["name"]), code, str(w["division_type"])
            )
    return provinces, wards


@cache
def _wards_by_province() -> dict[int, tuple[Ward, ...]]:
    out: dict[int, list[Ward]] = {}
    for w in _load()[1].values():
        out.setdefault(w.province_code, []).append(w)
    return {code: tuple(ws) for code, ws in out.items()}


@cache
def _legacy() -> tuple[LegacyWard, ...]:
    text = resources.files("caseintake.rules").joinpath("legacy_wards.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return tuple(
        LegacyWard(
            old_name=str(e["old_name"]),
            old_code=int(e["old_code"]) if "old_code" in e else None,
            old_area=str(e["old_area"]),
            province_code=int(e["province_code"]),
            new_codes=tuple(int(c) for c in e["new_codes"]),
            source=str(e.get("source", data["source"])),
        )
        for e in data["ward"]
    )


def provinces() -> tuple[Province, ...]:
    return tuple(_load()[0].values())


def province(code: object) -> Province | None:
    return _load()[0].get(code) if isinstance(code, int) and not isinstance(code, bool) else None


def ward(code: object) -> Ward | None:
    """Today's ward with this code, or None (see ``resolve_legacy_ward`` for old codes)."""
    return _load()[1].get(code) if isinstance(code, int) and not isinstance(code, bool) else None


def wards_of(province_code: int) -> tuple[Ward, ...]:
    return _wards_by_province().get(province_code, ())


def legacy_wards() -> tuple[LegacyWard, ...]:
    return _legacy()


def resolve_legacy_ward(code: int) -> LegacyWard | None:
    """The pre-2025 ward with this code, when the code is not one of today's wards."""
    if ward(code) is not None:
        return None
    return next((lw for lw in _legacy() if lw.old_code == code), None)


def _keys(name: str) -> tuple[str, str]:
    return fold(_short(name)), fold(name)


@cache
def _ward_keys() -> tuple[tuple[Ward, str, str], ...]:
    # Folding 3,321 names once keeps each keystroke's search to a plain scan of strings.
    return tuple((w, *_keys(w.name)) for w in _load()[1].values())


def _rank(query: str, short: str, full: str) -> int | None:
    """0: the short name starts with the query; 1: the full name does; 2: a word does; 3: inside."""
    if short.startswith(query):
        return 0
    if full.startswith(query):
        return 1
    if f" {query}" in f" {full}":
        return 2
    return 3 if query in full else None


def search_provinces(query: str) -> list[Province]:
    """Provinces whose name contains ``query`` ignoring case and diacritics, best first."""
    q = fold(query)
    if not q:
        return []
    hits = [(r, p) for p in provinces() if (r := _rank(q, *_keys(p.name))) is not None]
    return [p for _, p in sorted(hits, key=lambda h: (h[0], fold(h[1].short_name)))]


def search_wards(query: str, province_code: int | None = None, limit: int = 20) -> list[Ward]:
    """Today's wards matching ``query`` (or a pre-2025 name, with ``former_name`` set), best first.

    A match on a former name ranks just after a direct match of the same kind.
    """
    q = fold(query)
    if not q or limit <= 0:
        return []
    best: dict[int, tuple[float, str, Ward]] = {}
    for w, short, full in _ward_keys():
        if province_code is None or w.province_code == province_code:
            rank = _rank(q, short, full)
            if rank is not None:
                best[w.code] = (rank, short, w)
    for lw in _legacy():
        old_rank = _rank(q, *_keys(lw.old_name))
        if old_rank is None or province_code not in (None, lw.province_code):
            continue
        for code in lw.new_codes:
            current = ward(code)
            if current is not None and (code not in best or best[code][0] > old_rank + 0.5):
                renamed = replace(current, former_name=lw.old_name)
                best[code] = (old_rank + 0.5, fold(current.short_name), renamed)
    ordered = sorted(best.values(), key=lambda h: (h[0], h[1], h[2].code))
    return [w for _, _, w in ordered[:limit]]
