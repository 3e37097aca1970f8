"""One word for a referral in every Vietnamese text (issue 7 item 13): "chuyển tuyến", as the
CLI already said; the TUI once said "chuyển gửi"."""

from __future__ import annotations

from caseintake.i18n import catalogue


def test_referral_is_chuyen_tuyen_everywhere() -> None:
    texts = catalogue("vi")
    mixed = [key for key, text in texts.items() if "chuyển gửi" in text.lower()]
    assert mixed == []
    assert "chuyển tuyến" in texts["state.case.referred"].lower()


def test_role_codes_have_words_in_both_languages() -> None:
    for role in ("operator", "supervisor", "admin"):
        assert catalogue("vi")[f"tui.role.{role}"] != role  # never "Vai trò operator"
        assert catalogue("en")[f"tui.role.{role}"]
