"""Login, refusals with the service's own words, first-login password change, language."""

from __future__ import annotations

from textual.widgets import Input, Static

from caseintake.domain.errors import DomainError
from caseintake.i18n import t
from caseintake.tui.screens.operator.home_screen import HomeScreen
from caseintake.tui.screens.session.login_screen import LoginScreen
from caseintake.tui.screens.session.password_screen import PasswordScreen
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW
from tests.tui.conftest import login, settle, sql


def error_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#error", Static).render())


async def test_login_opens_the_shift_and_is_audited(app, services) -> None:  # type: ignore[no-untyped-def]
    before = sql(services, "select count(*) from audit_events where action = 'login'")[0][0]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await login(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.principal.name == OPERATOR
    after = sql(services, "select count(*) from audit_events where action = 'login'")[0][0]
    assert after == before + 1


async def test_wrong_password_shows_the_service_message(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, password="not-the-password")
        assert isinstance(app.screen, LoginScreen)
        assert error_text(app) == t("auth.bad_credentials")
        assert app.screen.query_one("#password", Input).value == ""
        assert app.screen.focused is app.screen.query_one("#password", Input)
    # Sealed whole: there is no action column to filter on.
    failures = sql(services, "select count(*) from pending_auth_events")
    assert failures[0][0] == 1


async def test_lockout_after_five_failures(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(4):
            await login(pilot, password="wrong-again")
        assert error_text(app) == t("auth.bad_credentials")
        await login(pilot, password="wrong-again")
        assert error_text(app) == t("auth.locked_now")
        await login(pilot)  # even the right password is refused while locked
        assert isinstance(app.screen, LoginScreen)
        assert error_text(app) == t("auth.locked", minutes=15)


async def test_disabled_user_is_told_so(app, services) -> None:  # type: ignore[no-untyped-def]
    services.users.disable(services.auth.login(ADMIN, ADMIN_PW), OPERATOR)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        assert error_text(app) == t("auth.disabled")


async def test_empty_fields_are_refused_without_a_query(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, name="", password="")
        assert error_text(app) == t("tui.login.empty")


async def test_first_login_changes_the_one_time_password(app, services) -> None:  # type: ignore[no-untyped-def]
    admin = services.auth.login(ADMIN, ADMIN_PW)
    services.users.add(admin, "hoa", "operator", "one-time-pass-9")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, "hoa", "one-time-pass-9")
        assert isinstance(app.screen, PasswordScreen)
        screen = app.screen
        screen.query_one("#new", Input).value = "bright-lantern-5"
        screen.query_one("#confirm", Input).value = "hoa-other-password"
        await pilot.click("#submit")
        await settle(pilot)
        assert str(screen.query_one("#error", Static).render()) == t("tui.password.mismatch")
        screen.query_one("#new", Input).value = "hoa"  # the policy speaks through the service
        screen.query_one("#confirm", Input).value = "hoa"
        await pilot.click("#submit")
        await settle(pilot)
        assert isinstance(app.screen, PasswordScreen)
        assert str(screen.query_one("#error", Static).render()) != ""
        screen.query_one("#new", Input).value = "bright-lantern-5"
        screen.query_one("#confirm", Input).value = "bright-lantern-5"
        screen.query_one("#confirm", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.principal.must_change_password is False
    assert services.auth.login("hoa", "bright-lantern-5").must_change_password is False
    changed = sql(services, "select count(*) from audit_events where action = 'password_changed'")
    assert changed[0][0] >= 1


async def test_escape_leaves_the_password_change(app, services) -> None:  # type: ignore[no-untyped-def]
    admin = services.auth.login(ADMIN, ADMIN_PW)
    services.users.add(admin, "hoa", "operator", "one-time-pass-9")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot, "hoa", "one-time-pass-9")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_f2_switches_the_language_and_back(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        title = app.screen.query_one("#login-title", Static)
        assert str(title.render()) == t("tui.login.title", "vi")
        await pilot.press("f2")
        assert str(title.render()) == t("tui.login.title", "en")
        await pilot.pause()  # the footer draws its keys again, in English
        keys = [getattr(k, "description", "") for k in app.screen.query("FooterKey")]
        assert "Tiếng Việt" in keys  # F2 now switches back to Vietnamese
        await pilot.press("f2")
        assert str(title.render()) == t("tui.login.title", "vi")


async def test_a_database_that_cannot_open_is_one_sentence(make_app, services) -> None:  # type: ignore[no-untyped-def]
    from caseintake.tui.app import CaseIntakeApp

    def broken() -> object:
        raise DomainError("db.missing", path="/nowhere/caseintake.db")

    app = CaseIntakeApp(services.settings, broken)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        assert error_text(app) == t("db.missing", path="/nowhere/caseintake.db")


async def test_typing_ahead_lands_in_the_right_fields(app) -> None:  # type: ignore[no-untyped-def]
    """An operator types the name, Enter, the password and Enter without waiting for the
    screen: every key is queued before the first one is handled."""
    from textual import events

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for char in f"{OPERATOR}\r{OPERATOR_PW}\r":
            key = "enter" if char == "\r" else char
            app.post_message(events.Key(key, None if char == "\r" else char))
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
