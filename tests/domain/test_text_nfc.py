"""Vietnamese typed through an input method lands as one form: NFC (combining marks composed)."""

from __future__ import annotations

import unicodedata

from caseintake.domain.intake.field_checks import check_text
from caseintake.domain.intake.validation import parse_intake

NAME = "Nguyễn Thị Hồng Nhung"


def test_decomposed_input_is_stored_composed() -> None:
    typed = unicodedata.normalize("NFD", NAME)  # what a Telex IME may send, mark by mark
    assert typed != NAME
    assert len(typed) > len(NAME)
    assert check_text(typed, max_length=len(NAME), multiline=False) == NAME  # counted composed


def test_intake_names_and_narrative_are_nfc() -> None:
    nfd = unicodedata.normalize("NFD", f"Bé {NAME} bị đánh ở nhà.")
    intake = parse_intake(
        {
            "received_at": "2026-03-02T08:15:00+07:00",
            "contact_type": "counselling",
            "caller": {"name": unicodedata.normalize("NFD", NAME)},
            "narrative": nfd,
        }
    )
    assert intake.caller.name == NAME
    assert intake.narrative == unicodedata.normalize("NFC", nfd)
