"""User names that look alike are one name (issue 20 item 3).

Two names clash when their skeletons are equal: NFKC (full-width and compatibility forms
folded), case folding, then each character replaced by the prototype of its look-alike class
(``rules/confusables.toml``, from Unicode's UTS #39 ``confusables.txt``), so the Cyrillic
``ѕup`` clashes with ``sup`` and ``Op1`` or ``0pl`` with ``op1``. Vietnamese marks stay: NFD
keeps them as combining marks, which only change the skeleton when a mark itself looks like
another, so ``lân`` and ``lan`` remain two names.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from importlib import resources

# Below this length "contains the name" would refuse too many passwords (a name "an"); the
# whole-password comparison still applies.
MIN_NAME_IN_PASSWORD = 3


@cache
def _prototypes() -> dict[str, str]:
    text = resources.files("caseintake.rules").joinpath("confusables.toml").read_text("utf-8")
    table = tomllib.loads(text)["map"]
    return {str(k): str(v) for k, v in table.items()}


def name_skeleton(name: str) -> str:
    """What a name looks like: equal skeletons, look-alike names."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    protos = _prototypes()
    mapped = "".join(protos.get(c, c) for c in unicodedata.normalize("NFD", folded))
    return unicodedata.normalize("NFC", mapped)


def password_holds_name(name: str, password: str) -> bool:
    """The name in the password, in any case, with anything around it, or written with
    look-alike characters (``r00t`` for ``root``)."""
    plain = unicodedata.normalize("NFKC", name).casefold().strip()
    if len(plain) < MIN_NAME_IN_PASSWORD:
        return False
    text = unicodedata.normalize("NFKC", password).casefold()
    return plain in text or name_skeleton(plain) in name_skeleton(text)
