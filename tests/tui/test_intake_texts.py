"""Words a user sees around the intake (issue 7, item 13): keys and palette entries in the
chosen language, roles in words, one word for a referral, and no reach into Textual's
private parts from the intake screen."""

from __future__ import annotations

import tomllib
from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.i18n import set_language
from caseintake.tui.texts import describe
from tests.tui.intake_helpers import IntakeHost, wait_until

TUI = Path(__file__).parents[2] / "caseintake" / "tui"
I18N = Path(__file__).parents[2] / "caseintake" / "i18n"


def test_a_refusal_names_the_role_in_words_never_its_code():
    text = describe(DomainError("auth.forbidden", role="operator"))
    assert "tư vấn viên" in text and "operator" not in text
    set_language("en")
    assert "operator" in describe(DomainError("auth.forbidden", role="operator"))
    # An unknown role has no words: it is shown as given rather than hidden.
    assert "robot" in describe(DomainError("auth.forbidden", role="robot"))


async def test_footer_keys_are_in_the_chosen_language(services, operator):
    for language, save, leave in (("vi", "Lưu", "Thoát"), ("en", "Save", "Leave")):
        set_language(language)
        app = IntakeHost(services, operator)
        async with app.run_test(size=(100, 30)) as pilot:

            def words(app: IntakeHost = app) -> list[str]:
                return [getattr(key, "description", "") for key in app.screen.query("FooterKey")]

            await wait_until(pilot, lambda: bool(words()))  # the footer draws after the form
            assert save in words() and leave in words(), words()


async def test_the_palettes_own_entries_are_in_vietnamese(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Thoát" in titles and "Giao diện màu" in titles
        assert not {"Quit", "Theme", "Keys", "Screenshot"} & set(titles)  # no screenshot: disk


def test_the_tui_says_chuyen_tuyen_as_the_cli_does():
    for name in ("tui.toml", "tui_intake.toml"):
        text = (I18N / "vi" / name).read_text(encoding="utf-8").lower()
        tomllib.loads(text)  # still a valid catalogue
        assert "chuyển gửi" not in text, name


def test_the_intake_screen_uses_no_private_textual_module():
    screen = TUI / "screens" / "operator" / "intake_screen.py"  # moved by the regroup (issue 18)
    for path in (screen, TUI / "widgets" / "intake" / "dialogs.py"):
        source = path.read_text(encoding="utf-8")
        assert "textual._time" not in source and "import _time" not in source, path
        assert "localize_bindings" not in source and "._bindings" not in source, path
