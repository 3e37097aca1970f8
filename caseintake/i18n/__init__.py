"""Message catalogues: Vietnamese by default, English available.

Catalogues are TOML files under ``i18n/<lang>/``; nested tables flatten to dotted keys, so
``[concern] violence = "Bạo lực"`` is the key ``concern.violence``. Every file of a language is
merged, which lets each area of the product keep its own file.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_current = [DEFAULT_LANGUAGE]


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, merged from its TOML files."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    # A plain path, not importlib.resources: this runs before the first paint (bench_startup).
    return load(Path(__file__).with_name(lang))


def load(folder: Path) -> dict[str, str]:
    """The messages of one language's folder of TOML files, through a JSON copy kept in
    ``__pycache__`` beside them (as Python keeps bytecode) while the files are unchanged: the
    TOML parser costs ~15 ms before the first paint, the JSON copy 1 ms. A folder where the
    copy cannot be written is simply read from its TOML every time."""
    sources = sorted(folder.glob("*.toml"))
    stats = [(p.name, p.stat()) for p in sources]
    stamp = [[name, st.st_mtime_ns, st.st_size] for name, st in stats]
    copy = folder.parent / "__pycache__" / f"catalogue-{folder.name}.json"
    try:
        kept = json.loads(copy.read_text(encoding="utf-8"))
        if kept.get("sources") == stamp and isinstance(kept.get("messages"), dict):
            return dict(kept["messages"])
    except (OSError, ValueError):
        pass
    import tomllib

    out: dict[str, str] = {}
    for entry in sources:
        _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out)
    try:
        copy.parent.mkdir(exist_ok=True)
        partial = copy.with_name(f"{copy.name}.{os.getpid()}")
        partial.write_text(json.dumps({"sources": stamp, "messages": out}), encoding="utf-8")
        os.replace(partial, copy)  # whole or not at all, whoever writes it at the same time
    except OSError:
        pass
    return out


def set_language(lang: str) -> None:
    catalogue(lang)  # validates the code and warms the cache
    _current[0] = lang


def language() -> str:
    return _current[0]


def has(key: str, lang: str | None = None) -> bool:
    return key in catalogue(lang or _current[0])


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message for ``key`` in ``lang`` (default: the current language).

    A key missing from the language falls back to Vietnamese, then to the key itself, so a
    missing translation shows up as a readable code rather than a crash.
    """
    text = catalogue(lang or _current[0]).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
