"""Text for the terminal: stored or typed values printed as text, never as terminal commands.

A directory entry, a user name or a CSV cell can hold an escape sequence (``\\x1b]0;…\\x07``
sets the window title, ``\\x1b[31m`` the colour) or a newline that fakes a second line. Each
such character is shown escaped (``\\x1b``), as is a byte of invalid UTF-8 (``\\udcff``, which
would otherwise crash the output) and the bidirectional controls that reorder what follows.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from typing import Any

# Explicit bidirectional embeddings, overrides and isolates (Unicode TR 9): "Trojan Source".
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _shown(ch: str) -> str:
    category = unicodedata.category(ch)
    if category not in ("Cc", "Cs") and ch not in _BIDI:
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def escaped(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control, surrogate and bidi characters written as escapes."""
    if text.isprintable():  # the usual case: nothing to do
        return text
    if keep_newlines:
        return "\n".join(escaped(line) for line in text.split("\n"))
    return "".join(_shown(ch) for ch in text)


def table_cell(text: str) -> str:
    """A cell of a tab-separated listing: a stored escape never runs in the terminal, and a
    stored formula never becomes one when the listing is pasted into a spreadsheet."""
    from caseintake.domain.spreadsheet_text import as_text_cell

    return escaped(as_text_cell(text))


def table_row(cells: Iterable[str], phones: int | None = None) -> str:
    """A tab-separated line of ``table_cell``s; the column ``phones`` holds normalised numbers
    ("+84..." is a number in a spreadsheet, never a formula) and is only escaped."""
    return "\t".join(escaped(c) if n == phones else table_cell(c) for n, c in enumerate(cells))


def has_bad_utf8(text: str) -> bool:
    """True when ``text`` came from bytes that are not UTF-8 (Python keeps them as surrogates)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def json_text(document: Any) -> str:
    """``document`` as indented JSON for the terminal: letters kept, and the characters that
    ``json.dumps`` leaves raw (DEL, C1 controls such as the 8-bit CSI, bidi controls, lone
    surrogates) written as ``\\u`` escapes of four hex digits, which is the same JSON."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if text.replace("\n", "").isprintable():
        return text
    return "\n".join(
        "".join(ch if _shown(ch) == ch else f"\\u{ord(ch):04x}" for ch in line)
        for line in text.split("\n")
    )
