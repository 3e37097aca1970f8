"""The referral slip as PDF (fpdf2) in a font that has every Vietnamese letter (DejaVu Sans).

No such font on the machine: one clear sentence, and no PDF, rather than a PDF whose letters
are boxes or question marks.
"""

from __future__ import annotations

import os
from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.slip import Slip, slip_lines

FONT_ENV = "CASEINTAKE_SLIP_FONT"
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)


def find_font() -> Path | None:
    given = os.environ.get(FONT_ENV)
    candidates = [Path(given)] if given else [Path(d) / "DejaVuSans.ttf" for d in _FONT_DIRS]
    return next((p for p in candidates if p.is_file()), None)


def pdf_bytes(slip: Slip) -> bytes:
    font = find_font()
    if font is None:
        raise DomainError("supervisor.slip.no_font", env=FONT_ENV)
    from fpdf import FPDF  # loaded only when a PDF is asked for

    pdf = FPDF(format="A4")
    pdf.set_creator("caseintake")
    pdf.add_font("slip", "", str(font))
    pdf.add_page()
    pdf.set_auto_page_break(True, margin=15)
    for heading, text in slip_lines(slip):
        if not heading:
            pdf.set_font("slip", size=15)
            pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            continue
        pdf.set_font("slip", size=9)
        pdf.multi_cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("slip", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())
