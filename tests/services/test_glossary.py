"""One word for one thing (issue 19, item 14): the catalogues carry a glossary, and every
Vietnamese message uses its words: "hồ sơ" (never "vụ việc"), "hủy" (never "huỷ"), and "khóa"
apart by what it is: the lock screen, a disabled user, an account locked out, the keys."""

from __future__ import annotations

import pytest

from caseintake.i18n import catalogue


def messages() -> dict[str, str]:
    return {k: v for k, v in catalogue("vi").items() if not k.startswith("glossary.")}


def test_the_glossary_is_in_both_catalogues() -> None:
    vi, en = catalogue("vi"), catalogue("en")
    terms = {k for k in vi if k.startswith("glossary.") and not k.startswith("glossary.avoid.")}
    assert {"glossary.case", "glossary.lock_screen", "glossary.disable_user"} <= terms
    assert terms <= set(en)
    for key, target in ((k, v) for k, v in vi.items() if k.startswith("glossary.avoid.")):
        assert f"glossary.{target}" in terms, key


def test_no_message_uses_a_word_the_glossary_replaced() -> None:
    avoid = {
        k.removeprefix("glossary.avoid."): v
        for k, v in catalogue("vi").items()
        if k.startswith("glossary.avoid.")
    }
    found = [
        f"{key}: “{word}” (say “{catalogue('vi')['glossary.' + instead]}”)"
        for key, text in messages().items()
        for word, instead in avoid.items()
        if word in text.casefold()
    ]
    assert found == []


@pytest.mark.parametrize(
    ("key", "term"),
    [
        ("tui.key.app.lock", "lock_screen"),  # Ctrl+L, the lock screen
        ("admin.tui.users.disable", "disable_user"),  # the admin's button
        ("admin.tui.users.state.disabled", "disable_user"),
        ("admin.tui.users.state.locked", "lockout"),  # too many wrong passwords
        ("auth.locked", "lockout"),
        ("keys.tui.tab", "keys"),  # the admin's Keys tab
        ("tui.key.follow_up.cancel", "cancel"),
    ],
)
def test_each_thing_says_its_glossary_word(key: str, term: str) -> None:
    vi = catalogue("vi")
    assert vi[f"glossary.{term}"] in vi[key].casefold(), (key, vi[key])


def test_khoa_alone_names_nothing() -> None:
    """ "Khóa" on its own was the lock screen, disabling a user and the Keys tab at once."""
    bare = [k for k, v in messages().items() if v.strip().casefold() in ("khóa", "mở khóa")]
    assert bare == []
