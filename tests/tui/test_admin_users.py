"""The admin desk's users tab, asserted on the database: add with a one-time password shown once,
change role, disable, enable; refusals (self, unknown, bad name, wrong recovery key) inline."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select, Static

from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle, sql


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def act(pilot: Any, screen: Any, button: str, name: str, role: str | None = None) -> None:
    screen.query_one("#users-name", Input).value = name
    if role is not None:
        screen.query_one("#users-role", Select).value = role
    screen.query_one(button).press()
    await settle(pilot)


async def test_users_from_the_desk(app: Any, services: Any) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        await act(pilot, screen, "#users-add", "hoa", "operator")
        assert sql(services, "SELECT role, must_change_password FROM users WHERE name='hoa'") == [
            ("operator", 1)
        ]
        shown = text(screen, "#users-secret")
        otp = shown.rsplit(" ", 1)[-1]
        assert len(otp) >= 10 and services.auth.login("hoa", otp).must_change_password
        await act(pilot, screen, "#users-set-role", "hoa", "supervisor")
        assert text(screen, "#users-secret") == ""  # the one-time password is gone
        assert sql(services, "SELECT role FROM users WHERE name='hoa'") == [("supervisor",)]
        await act(pilot, screen, "#users-disable", "hoa")
        assert sql(services, "SELECT disabled FROM users WHERE name='hoa'") == [(1,)]
        await act(pilot, screen, "#users-enable", "hoa")
        assert sql(services, "SELECT disabled FROM users WHERE name='hoa'") == [(0,)]
        query = "SELECT action FROM audit_events WHERE action LIKE 'user_%' ORDER BY seq"
        actions = [a for (a,) in sql(services, query)]
        assert actions[-4:] == ["user_added", "user_role_changed", "user_disabled", "user_enabled"]
        assert services.auth.login("hoa", otp).role == "supervisor"  # signed, so login accepts it


async def test_refusals_are_one_sentence_and_change_nothing(app: Any, services: Any) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        before = sql(services, "SELECT name, role, disabled FROM users ORDER BY name")
        for button, name, role in (
            ("#users-disable", ADMIN, None),
            ("#users-set-role", ADMIN, "operator"),
            ("#users-enable", "lan", None),
            ("#users-disable", "nobody", None),
            ("#users-add", "bad\x1b[31mname", "operator"),
            ("#users-add", "lan", "operator"),
            ("#users-add", "", "operator"),
        ):
            await act(pilot, screen, button, name, role)
            status = text(screen, "#users-status")
            assert screen.query_one("#users-status").has_class("admin-error"), (button, name)
            assert status and "\n" not in status.strip() and "\x1b" not in status
            assert text(screen, "#users-secret") == ""
        screen.query_one("#users-recovery", Input).value = "wrong-recovery-key"
        await act(pilot, screen, "#users-reset", "lan")
        assert screen.query_one("#users-status").has_class("admin-error")
        assert screen.query_one("#users-recovery", Input).value == ""  # never left on screen
        assert sql(services, "SELECT name, role, disabled FROM users ORDER BY name") == before
