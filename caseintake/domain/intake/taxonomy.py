"""The coded vocabulary of an intake, read from ``rules/taxonomy.toml``.

The codes are data (STYLE §9): each kind of code is a table with its citation and its ordered
codes. Labels come from the i18n catalogues under the key ``"<kind>.<code>"``. A concern
sub-type keeps its dot (``violence.physical``) and is written in the catalogue as a quoted TOML
key (``"violence.physical" = "..."``), which flattens to ``concern.violence.physical`` and so
never collides with the parent's own label ``concern.violence``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from caseintake.i18n import t

_RULES_PACKAGE = "caseintake.rules"
_TAXONOMY_FILE = "taxonomy.toml"


@dataclass(frozen=True)
class ConcernInfo:
    """What routing needs to know about one concern code.

    ``is_abuse``: a form of xâm hại trẻ em (Luật Trẻ em 2016 Art. 4), which calls for the
    intervention level (Arts. 47–50); otherwise an other risk that calls for support.
    ``crime_sign``: also to be reported to the police (Bộ luật Tố tụng hình sự 2015 Art. 144).
    """

    code: str
    parent: str | None
    is_abuse: bool
    crime_sign: bool
    source: str
    subtypes: tuple[str, ...] = ()

    @property
    def root(self) -> str:
        """The top-level concern (``violence`` for ``violence.physical``)."""
        return self.parent or self.code


@dataclass(frozen=True)
class _Kind:
    name: str
    source: str
    codes: tuple[str, ...]


@cache
def _raw() -> dict[str, Any]:
    text = resources.files(_RULES_PACKAGE).joinpath(_TAXONOMY_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _concerns() -> dict[str, ConcernInfo]:
    """Every concern and sub-type; sub-types inherit the parent's flags (and may add crime)."""
    group: dict[str, Any] = _raw()["concern"]
    out: dict[str, ConcernInfo] = {}
    for code in group["codes"]:
        entry: dict[str, Any] = group["info"][code]
        subtypes = tuple(str(s) for s in entry.get("subtypes", ()))
        crime_subtypes = {str(s) for s in entry.get("crime_subtypes", ())}
        info = ConcernInfo(
            code=code,
            parent=None,
            is_abuse=bool(entry["abuse"]),
            crime_sign=bool(entry["crime_sign"]),
            source=str(entry["source"]),
            subtypes=tuple(f"{code}.{sub}" for sub in subtypes),
        )
        out[code] = info
        for sub in subtypes:
            out[f"{code}.{sub}"] = ConcernInfo(
                code=f"{code}.{sub}",
                parent=code,
                is_abuse=info.is_abuse,
                crime_sign=info.crime_sign or sub in crime_subtypes,
                source=info.source,
            )
    return out


@cache
def _kinds() -> dict[str, _Kind]:
    out: dict[str, _Kind] = {}
    for name, table in _raw().items():
        codes = tuple(_concerns()) if name == "concern" else tuple(str(c) for c in table["codes"])
        out[name] = _Kind(name=name, source=str(table["source"]), codes=codes)
    return out


def _kind(kind: str) -> _Kind:
    try:
        return _kinds()[kind]
    except KeyError:
        raise ValueError(f"unknown taxonomy kind {kind!r}") from None


def kinds() -> tuple[str, ...]:
    """The kinds of code, in the order of the data file."""
    return tuple(_kinds())


def codes(kind: str) -> frozenset[str]:
    """Every valid code of ``kind`` (concern sub-types included); ValueError for a bad kind."""
    return frozenset(_kind(kind).codes)


def ordered_codes(kind: str) -> tuple[str, ...]:
    """The codes of ``kind`` in display order (a sub-type follows its parent)."""
    return _kind(kind).codes


def is_code(kind: str, code: object) -> bool:
    """True when ``code`` is a string listed for ``kind``."""
    return isinstance(code, str) and code in codes(kind)


def source(kind: str) -> str:
    """The citation of the group of codes."""
    return _kind(kind).source


def concern_info(code: str) -> ConcernInfo:
    """Flags of a concern or sub-type; ValueError for an unknown code."""
    try:
        return _concerns()[code]
    except KeyError:
        raise ValueError(f"unknown concern {code!r}") from None


def top_concerns(*, abuse: bool | None = None) -> tuple[str, ...]:
    """Top-level concerns, optionally only the abuse forms (True) or the other risks (False)."""
    return tuple(
        info.code
        for info in _concerns().values()
        if info.parent is None and (abuse is None or info.is_abuse == abuse)
    )


def non_data_contact_types() -> frozenset[str]:
    """Contact types that count as contacts but carry no case data (silent, hang-up, ...)."""
    return frozenset(str(c) for c in _raw()["contact_type"]["non_data"])


def crime_bodies() -> frozenset[str]:
    """Bodies that receive reports of crimes (BLTTHS 2015 Arts. 144–145, 163): never told on a
    working-day clock."""
    return _listed("body", "crime_bodies")


def procuracy_crime_signs() -> frozenset[str]:
    """Crime signs the Procuracy's investigation agency investigates, not the police unit
    involved (violence by officials in proceedings; BLTTHS 2015 Art. 163(3))."""
    return _listed("crime_sign", "procuracy")


def health_circumstances() -> frozenset[str]:
    """Special circumstances that are sensitive health data (Luật Phòng, chống HIV/AIDS Art. 30;
    Nghị định 13/2023/NĐ-CP): sent only to bodies that need them to act."""
    return _listed("special_circumstance", "health")


def _listed(kind: str, key: str) -> frozenset[str]:
    return frozenset(str(c) for c in _raw()[kind].get(key, ()))


def label_key(kind: str, code: str) -> str:
    return f"{kind}.{code}"


def label(kind: str, code: str, lang: str | None = None) -> str:
    """The operator-facing name of a code in ``lang`` (default: the current language)."""
    _kind(kind)
    return t(label_key(kind, code), lang)
