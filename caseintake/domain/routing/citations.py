"""The legal basis a user reads: citation keys of the rules resolved in the chosen language.

A rule cites its basis by key (``nd56.forward``, ``ltre.art4``); the text lives in the message
catalogues ``i18n/<lang>/citations.toml`` as ``citation.<key>`` (the full form: laws by article,
the directives by what they are, DOMAIN §4 "How to cite the seeds to a user") and, where a
shorter form reads better in a narrow pane, ``citation_short.<key>``. Referrals store the keys,
so a case reads its basis in the language of whoever opens it; a stored line that is not a key
(saved before citations had keys) is shown as it was written.
"""

from __future__ import annotations

from collections.abc import Iterable

from caseintake.i18n import LANGUAGES, has, t

FULL_PREFIX = "citation."
SHORT_PREFIX = "citation_short."
# Internal provenance that a user must never read as a legal basis (issue 7, item 8).
INTERNAL_MARKERS = ("DOMAIN", "seeds/", ".txt", "[check]")


def is_citation(key: str, lang: str | None = None) -> bool:
    """True when ``key`` has a full form in ``lang`` (default: every language)."""
    langs = (lang,) if lang else LANGUAGES
    return all(has(FULL_PREFIX + key, lg) for lg in langs)


def basis_text(key: str, lang: str | None = None, *, short: bool = False) -> str:
    """The citation of ``key`` in ``lang``; ``short`` where space is tight (falls back to the
    full form); a line that is not a key is returned unchanged."""
    if short and has(SHORT_PREFIX + key, lang):
        return t(SHORT_PREFIX + key, lang)
    if has(FULL_PREFIX + key, lang) or has(FULL_PREFIX + key, "vi"):
        return t(FULL_PREFIX + key, lang)
    return key


def basis_texts(keys: Iterable[str], lang: str | None = None, *, short: bool = False) -> list[str]:
    """The citations of ``keys`` in order, without repeating a text (short forms may coincide)."""
    out: list[str] = []
    for key in keys:
        text = basis_text(key, lang, short=short)
        if text not in out:
            out.append(text)
    return out


def internal_markers(text: str) -> list[str]:
    """The internal provenance markers found in ``text`` (empty when it is fit for a user)."""
    return [m for m in INTERNAL_MARKERS if m in text]
