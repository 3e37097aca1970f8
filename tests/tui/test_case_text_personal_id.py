"""The case and contact details show a child's personal identification number (issue 24)."""

from __future__ import annotations

from caseintake.services.core.views import ChildView
from caseintake.tui.widgets.case_text import child_line

GIRL_2016_HCM = "079316123456"


def test_case_detail_text_shows_the_number() -> None:
    child = ChildView(9, "stated", "female", "kinh", False, (), "Bé Hoa", None, GIRL_2016_HCM)
    assert child_line(child).endswith(f"mã định danh {GIRL_2016_HCM}")
    assert "mã định danh" not in child_line(ChildView(9, "stated", "female", "kinh", False, (),
                                                      None, None))  # fmt: skip
