"""The idle lock covers everything, unlocks with the same user's password, and keeps what the
screens beneath hold."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from caseintake.i18n import t
from caseintake.tui.screens.operator.home_screen import HomeScreen
from caseintake.tui.screens.session.lock_screen import LockScreen
from caseintake.tui.screens.session.login_screen import LoginScreen
from tests.conftest import OPERATOR_PW
from tests.tui.conftest import login, settle, sql


class TypingScreen(Screen[None]):
    """Any screen holding an unsaved Input."""

    def compose(self) -> ComposeResult:
        yield Input(id="draft")


async def wait_for_lock(pilot, timeout: float = 8.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.05)):
        if isinstance(pilot.app.screen, LockScreen):
            await settle(pilot)
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no lock; screen is {pilot.app.screen!r}")


async def until(pilot, check, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    assert check(), f"screen is {pilot.app.screen!r}"


async def unlock(pilot, password: str) -> None:  # type: ignore[no-untyped-def]
    """Type the password and press Enter in it (a click on the button can land on a toast
    drawn over it, and then nothing is checked)."""
    field = pilot.app.screen.query_one("#password", Input)
    field.value = password
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_idle_lock_keeps_the_typed_value(quick_lock_app, services) -> None:  # type: ignore[no-untyped-def]
    app = quick_lock_app
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await app.push_screen(TypingScreen())
        await pilot.press(*"bé")
        typed = app.screen.query_one("#draft", Input)
        await wait_for_lock(pilot)
        assert app.screen_stack[-2].query_one("#draft", Input) is typed
        await unlock(pilot, "wrong-password")
        assert isinstance(app.screen, LockScreen)
        error = app.screen.query_one("#error", Static)
        await until(pilot, lambda: str(error.render()) == t("tui.lock.wrong"))
        # The window was short to lock quickly; a loaded machine could pass it again between the
        # unlock and the next line and lock anew: make it long now.
        app.settings = replace(app.settings, idle_lock=timedelta(minutes=10))
        await unlock(pilot, OPERATOR_PW)
        # The password check runs in a worker that may start after ``settle`` saw none.
        await until(pilot, lambda: isinstance(app.screen, TypingScreen))
        assert app.screen.query_one("#draft", Input).value == "bé"
    logins = sql(services, "select count(*) from audit_events where action = 'login'")[0][0]
    assert logins >= 2  # the unlock is a password check like a login, and audited as one


async def test_no_lock_before_login(quick_lock_app) -> None:  # type: ignore[no-untyped-def]
    async with quick_lock_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await asyncio.sleep(2.5)  # past the idle window: nobody is logged in, so no lock
        await pilot.pause()
        assert isinstance(quick_lock_app.screen, LoginScreen)


async def test_activity_postpones_the_lock(make_app) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    # Generous margins: a loaded CI machine delays each press by tenths of a second.
    app = make_app(idle_lock=timedelta(seconds=1.5))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        for _ in range(12):  # 2.4 s of typing, never 1.5 s idle
            await asyncio.sleep(0.2)
            await pilot.press("right")
        assert isinstance(app.screen, HomeScreen)
        await wait_for_lock(pilot)


async def test_ctrl_l_locks_and_the_palette_stays_shut(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await unlock(pilot, OPERATOR_PW)
        assert isinstance(app.screen, HomeScreen)


async def test_idle_lock_keeps_the_intake_form(make_app, services) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from textual.widgets import TextArea

    from caseintake.tui.screens.operator.intake_screen import IntakeScreen

    app = make_app(idle_lock=timedelta(seconds=3))  # opening the form takes a moment
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("t")
        for _ in range(100):  # the form opens within moments, longer on a loaded machine
            if isinstance(app.screen, IntakeScreen):
                break
            await pilot.pause(0.05)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#caller-phone", Input).value = "0912345678"
        form.query_one("#narrative", TextArea).text = "Cháu kể bị đánh."
        await wait_for_lock(pilot)
        await unlock(pilot, OPERATOR_PW)
        assert app.screen is form
        assert form.query_one("#caller-phone", Input).value == "0912345678"
        assert form.query_one("#narrative", TextArea).text == "Cháu kể bị đánh."
