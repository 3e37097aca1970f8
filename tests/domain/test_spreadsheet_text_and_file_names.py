"""Property tests (1,000 examples each) of the two validators of issue 21: a text cell is never
a formula, and a name typed in the TUI is a plain file name or one sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.errors import DomainError
from caseintake.domain.file_names import MAX_NAME, check_file_name
from caseintake.domain.spreadsheet_text import FORMULA_STARTS, as_text_cell, looks_like_formula

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.sampled_from(
    ['=HYPERLINK("http://evil.example","Call here")', "@SUM(1)", "+1", "-1", "\tx", "\rx", ""]
)


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_a_cell_is_never_a_formula_and_keeps_its_text(text: str) -> None:
    cell = as_text_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell == ("'" + text if looks_like_formula(text) else text)


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_a_name_is_a_plain_file_name_or_one_sentence(name: str) -> None:
    try:
        checked = check_file_name(name, "/exports")
    except DomainError as err:
        assert err.key == "exports.bad_name" and err.params == {"folder": "/exports"}
        return
    assert checked == name.strip() and 0 < len(checked) <= MAX_NAME
    assert "/" not in checked and "\\" not in checked and not checked.startswith(".")
    assert checked.isprintable()


@pytest.mark.parametrize("name", ["..", ".", "../x", "/etc/passwd", "a\\b", "x\x00y", "é" * 121])
def test_the_usual_escapes_are_refused(name: str) -> None:
    with pytest.raises(DomainError):
        check_file_name(name, "/exports")
