"""Text that a spreadsheet must never run as a formula (issue 21 item 5).

OWASP's CSV-injection rule: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return can be taken for a formula by Excel, LibreOffice or Google Sheets (and ``=``
``HYPERLINK`` or ``WEBSERVICE`` sends data away). Such a cell is written with a leading
apostrophe in CSV, and as a string cell with Excel's quote prefix in XLSX; the directory refuses
such text at its door (``refuse_formula``). https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def as_text_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet reads as a formula."""
    return f"'{text}" if looks_like_formula(text) else text
