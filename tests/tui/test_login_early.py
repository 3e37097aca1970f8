"""A password typed before the services are built (issue 23 item 3): its key derivation runs
at once, the login waits for the services only to admit, open and record it, and the answer
is the same as later: the shift opens for the right password, one sentence for a wrong one."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.widgets import Input, Static

from caseintake.crypto import slots
from caseintake.services.access import early_login
from caseintake.tui.app import CaseIntakeApp
from caseintake.tui.screens.operator.home_screen import HomeScreen
from tests.conftest import OPERATOR, OPERATOR_PW
from tests.tui.conftest import settle, sql


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, calls: list[str]) -> None:
    real = module.derive_key

    def derive(password: str, params: Any) -> bytes:
        calls.append(module.__name__)
        return real(password, params)

    monkeypatch.setattr(module, "derive_key", derive)


async def early_attempt(services: Any, password: str, calls: list[str]) -> tuple[Any, str]:
    """The screen the attempt ends on, and the login's error line."""
    released = threading.Event()

    def slow_services() -> Any:  # the services still loading while the password is typed
        released.wait(30)
        return services

    app = CaseIntakeApp(services.settings, slow_services)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):  # the gate opens after the first paint
            if app._gate is not None:
                break
            await pilot.pause(0.02)
        screen = app.screen
        screen.query_one("#user", Input).value = OPERATOR
        screen.query_one("#password", Input).value = password
        screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        for _ in range(500):  # derived before the services were there
            if calls:
                break
            await pilot.pause(0.02)
        assert not app.services_ready and calls == [early_login.__name__]
        released.set()
        await settle(pilot)
        screen = app.screen
        error = (
            ""
            if isinstance(screen, HomeScreen)
            else str(screen.query_one("#error", Static).render())
        )
    return screen, error


async def test_the_right_password_opens_the_shift(
    services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    counting(monkeypatch, early_login, calls)
    counting(monkeypatch, slots, calls)
    screen, _ = await early_attempt(services, OPERATOR_PW, calls)
    assert isinstance(screen, HomeScreen)
    assert calls == [early_login.__name__]  # the login used the early key: no second one
    assert sql(services, "SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1") == [
        ("login",)
    ]


async def test_a_wrong_password_gets_the_same_sentence(
    services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    counting(monkeypatch, early_login, calls)
    screen, error = await early_attempt(services, "wrong-password", calls)
    assert not isinstance(screen, HomeScreen)
    assert "mật khẩu" in error.lower()
    failed = sql(services, "SELECT count(*) FROM pending_auth_events")
    assert failed == [(1,)]  # counted and sealed, as any failed attempt
