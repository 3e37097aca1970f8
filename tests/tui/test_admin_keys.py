"""The admin desk's keys tab: a rotation from the TUI in a thread worker, a stopped one named
and resumed; the database says every field is under the new version."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static, TabbedContent

from caseintake.crypto import key_ring
from caseintake.tui.screens.admin.home_screen import AdminHomeScreen
from tests.conftest import ADMIN, ADMIN_PW
from tests.tui.conftest import login, settle, sql


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)


def status(screen: Any) -> str:
    return str(screen.query_one("#keys-status", Static).render())


async def open_keys(pilot: Any) -> Any:
    await settle(pilot)
    await login(pilot, ADMIN, ADMIN_PW)
    screen = pilot.app.screen
    assert isinstance(screen, AdminHomeScreen)
    screen.query_one(TabbedContent).active = "tab-keys"
    await settle(pilot)
    return screen


async def test_rotate_from_the_desk(app: Any, services: Any) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_keys(pilot)
        await pilot.click("#keys-rotate")
        for _ in range(40):  # the worker waits a little before its final sweep
            await pilot.pause(0.1)
            if "2" in status(screen) and not screen.query_one("#keys-rotate").disabled:
                break
        assert not screen.query_one("#keys-status").has_class("admin-error"), status(screen)
    assert sql(services, "SELECT key_version FROM meta") == [(2,)]
    assert sql(services, "SELECT count(*) FROM key_rotations WHERE finished_at IS NOT NULL") == [
        (1,)
    ]


async def test_a_stopped_rotation_is_named_on_the_tab(
    app: Any, services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseintake.services.keys import rotation as key_rotation
    from caseintake.services.keys.rotation import KeyRotationService

    admin = services.auth.login(ADMIN, ADMIN_PW)
    monkeypatch.setattr(key_rotation, "BATCH", 1)

    def stop(_fields: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        KeyRotationService(services.db, services.settings, services.audit_log).rotate(admin, stop)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_keys(pilot)
        assert "2" in status(screen) and screen.query_one("#keys-status").has_class("admin-error")
