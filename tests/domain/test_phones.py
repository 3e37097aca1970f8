"""Phone numbers: every local spelling gives one E.164 value; nothing raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.intake.phones import is_valid_phone, normalise_phone


@pytest.mark.parametrize(
    "text",
    [
        "0912345678",
        "+84912345678",
        "84 912 345 678",
        "84912345678",
        "0912.345.678",
        "0912-345-678",
        " 0912 345 678 ",
        "+84 (0) 912 345 678",
    ],
)
def test_spellings_of_one_mobile_number(text: str) -> None:
    assert normalise_phone(text) == "+84912345678"


def test_landline_and_provincial_hotlines() -> None:
    assert normalise_phone("(028) 3822 1111") == "+842838221111"
    assert normalise_phone("0377672444") == "+84377672444"  # Hội LHPN Sóc Trăng (seed 000)
    assert normalise_phone("0911020021") == "+84911020021"  # Bắc Ninh line (seed 003)


@pytest.mark.parametrize("text", ["111", "113", "114", "115", " 111 "])
def test_service_numbers_stay_as_dialled(text: str) -> None:
    assert normalise_phone(text) == text.strip()


def test_foreign_number_with_country_code() -> None:
    assert normalise_phone("+1 650 253 0000") == "+16502530000"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "0912abc678",
        "12",
        "0" * 41,
        "+",
        "09123456789012",
        "１２３",
        None,
        912345678,
    ],
)
def test_not_a_number(text: object) -> None:
    assert normalise_phone(text) is None
    assert not is_valid_phone(text)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(), st.from_regex(r"[0-9+ .\-()]{0,30}", fullmatch=True)))
def test_never_raises_and_output_is_stable(text: str) -> None:
    result = normalise_phone(text)
    assert result is None or (result.startswith("+") or result.isdigit())
    if result is not None:
        assert normalise_phone(result) == result
