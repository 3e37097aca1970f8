"""Issue 20 item 7 in the terminal: an operator whose account an admin disables while their
shift is open is refused at their next action, and the screen locks with the one sentence; the
password does not unlock it, and Ctrl+Q still leaves."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import Static

from caseintake.i18n import t
from caseintake.services.core.standing import Standing
from caseintake.tui.screens.session.lock_screen import LockScreen
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW
from tests.tui.conftest import login, settle
from tests.tui.test_lock import unlock, until, wait_for_lock


async def test_a_disabled_operators_screen_locks_at_the_next_action(
    app: Any, services: Any
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        assert app.principal is not None and app.principal.name == OPERATOR
        admin = services.auth.login(ADMIN, ADMIN_PW)
        services.users.disable(admin, OPERATOR)
        await asyncio.sleep(Standing.MAX_AGE + 0.1)
        await pilot.press("r")  # refresh the home: a service call
        await wait_for_lock(pilot)
        error = app.screen.query_one("#error", Static)
        assert str(error.render()) == t("access_checks.session_disabled")
        await unlock(pilot, OPERATOR_PW)
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)  # the right password opens nothing
        await until(pilot, lambda: str(error.render()) == t("access_checks.session_disabled"))
        await pilot.press("ctrl+q")
        await settle(pilot)
        await until(pilot, lambda: not app.is_running)
