"""Issue 20 item 3: user names are unique after normalisation (NFKC, case folding, the Unicode
confusable skeleton of UTS #39), so nobody is added under a name that looks like another's; a
password that contains the user's name (any case, digits around it or not) is refused."""

from __future__ import annotations

from typing import Any

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.user_names import name_skeleton
from tests.conftest import OPERATOR, SUPERVISOR


@pytest.mark.parametrize(
    ("taken", "look_alike"),
    [
        ("sup", "\u0455up"),  # Cyrillic dze
        ("op1", "Op1"),
        ("op1", "0p1"),
        ("op1", "opl"),
        ("lan", "LAN"),
        ("lan", "\u217can"),  # small Roman numeral fifty
        ("minh", "m\u0456nh"),  # Cyrillic i
        ("minh", "\uff4d\uff49\uff4e\uff48"),  # full-width
    ],
)
def test_a_look_alike_name_is_refused_in_one_sentence(
    services: Any, admin: Any, taken: str, look_alike: str
) -> None:
    if taken not in (OPERATOR, SUPERVISOR):
        services.users.add(admin, taken, "operator", "one-time-pass-7")
    before = {u.name for u in services.users.list(admin)}
    with pytest.raises(DomainError) as err:
        services.users.add(admin, look_alike, "operator", "one-time-pass-8")
    assert err.value.key == "access_checks.name_look_alike"
    text = err.value.message()
    assert taken in text and "\n" not in text
    assert {u.name for u in services.users.list(admin)} == before  # nothing added


def test_distinct_names_stay_distinct() -> None:
    assert name_skeleton("lân") != name_skeleton("lan")  # Vietnamese marks are letters
    assert name_skeleton("tuvan1") != name_skeleton("tuvan2")
    for i in range(1, 10):  # numbered desks stay apart (no transitive look-alike classes)
        assert name_skeleton(f"op0{i}") != name_skeleton("op00")
        assert name_skeleton(f"tv00{i}") != name_skeleton("tv000")
    assert name_skeleton("Đức") != name_skeleton("Duc")
    assert name_skeleton("op1") == name_skeleton("OP1") == name_skeleton("0pl")


@pytest.mark.parametrize(
    "password",
    ["lan-garden-tea", "LAN-garden-tea", "2026lan2026-tea", "quiet-Lan99-river", "1an-quiet-river"],
)
def test_a_password_holding_the_name_is_refused(services: Any, password: str) -> None:
    with pytest.raises(DomainError) as err:
        services.auth.change_password(OPERATOR, _current(), password)
    assert err.value.key == "access_checks.password_has_name"
    assert "\n" not in err.value.message()


def test_a_password_without_the_name_is_taken(services: Any) -> None:
    services.auth.change_password(OPERATOR, _current(), "quiet-harbour-river-81")


def _current() -> str:
    from tests.conftest import OPERATOR_PW

    return OPERATOR_PW
