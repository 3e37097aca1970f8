"""Issue 10 item 8: control characters (and display-spoofing bidi controls) are refused by the
domain field checks every input goes through, with a message; ordinary Vietnamese is kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.errors import DomainError
from caseintake.domain.intake.field_checks import FieldRejected, check_text

ATTACKS = [
    "\x1b]0;PWNED\x07\x1b[31m",  # the note that set the terminal title and colour
    "UBND \x1b[2J",
    "C1 CSI \x9b31m",
    "bell \x07",
    "nul \x00",
    "right-to-left \u202eexe.txt",
    "isolate \u2066x\u2069",
    "line\u2028separator",
]


@pytest.mark.parametrize("text", ATTACKS)
@pytest.mark.parametrize("multiline", [True, False])
def test_control_and_bidi_characters_are_refused(text: str, multiline: bool) -> None:
    with pytest.raises(FieldRejected) as err:
        check_text(text, max_length=1000, multiline=multiline)
    assert err.value.key == "validation.control_character"


def test_vietnamese_text_newlines_and_tabs_are_kept() -> None:
    text = "Ủy ban nhân dân xã Hòa Bình\n\tcháu kể: “bị đánh”."
    assert check_text(text, max_length=1000, multiline=True) == text


@settings(max_examples=1000, deadline=None)
@given(
    st.text(max_size=40),
    st.sampled_from(
        [c for c in map(chr, range(0xA0)) if c.isprintable() is False and c not in "\n\t"]
    ),
    st.text(max_size=40),
)
def test_no_control_character_is_ever_kept(before: str, control: str, after: str) -> None:
    """Refused, or (blank-like controls at either end) stripped: never stored."""
    try:
        kept = check_text(before + control + after, max_length=1000, multiline=True)
    except FieldRejected as err:
        assert err.key.startswith("validation.")
        return
    assert control not in kept


@pytest.mark.parametrize("name", ["lan\x1b[31m", "lan\u202e", "lan\n"])
def test_user_names_refuse_control_characters(name: str) -> None:
    from caseintake.services.access.setup import check_user_name

    with pytest.raises(DomainError) as err:
        check_user_name(name)
    assert "\x1b" not in err.value.message("en")
