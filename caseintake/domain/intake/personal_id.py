"""The child's personal identification number (mã định danh cá nhân; issue 24 item 6).

Twelve digits (Nghị định 137/2015/NĐ-CP Art. 13; Thông tư 59/2021/TT-BCA Art. 7): the
province of birth registration (3), century and sex (1), year of birth (2), a serial (6). The
codes and their citations are data in ``rules/personal_id.toml``. When the child's sex or age
is also given, the number must agree with them: the sex its fourth digit says, and an age the
year of birth allows on the day of the call (a birthday may not have come yet: two ages fit;
an estimated age may be two years further off).
"""

from __future__ import annotations

from dataclasses import dataclass

from caseintake.domain.intake.field_checks import (
    MAX_AGE,
    FieldRejected,
    check_personal_id,
    personal_id_provinces,
)

__all__ = ["check_personal_id", "personal_id_provinces", "pin_disagrees", "pin_facts"]

ESTIMATE_SLACK = 2  # years an estimated age may be off the year of birth the number says


@dataclass(frozen=True)
class PinFacts:
    province_code: int
    sex: str  # "male" or "female"
    birth_year: int


def pin_facts(pin: str) -> PinFacts:
    """What a checked number says of the child."""
    code = int(pin[3])
    return PinFacts(
        int(pin[:3]), "female" if code % 2 else "male", 1900 + 100 * (code // 2) + int(pin[4:6])
    )


def pin_disagrees(
    pin: str, sex: str, age: int | None, age_basis: str, year: int
) -> FieldRejected | None:
    """Why the number does not fit the child's sex and age on a call in ``year``; None if
    it fits (an unknown sex or age is not held against it)."""
    facts = pin_facts(pin)
    if sex in ("male", "female") and sex != facts.sex:
        return FieldRejected("pin_sex", year=facts.birth_year)
    if facts.birth_year > year:
        return FieldRejected("pin_future", year=facts.birth_year)
    oldest, youngest = year - facts.birth_year, year - facts.birth_year - 1
    if youngest > MAX_AGE:
        return FieldRejected("pin_adult", year=facts.birth_year)
    if age is not None:
        slack = ESTIMATE_SLACK if age_basis == "estimated" else 0
        if not (max(youngest, 0) - slack <= age <= oldest + slack):
            return FieldRejected("pin_age", year=facts.birth_year, age=age)
    return None
