"""The app as a browser tab runs it (``ServedApp``), under Pilot: a tab that is closed, or
idle past the server's session time, keeps its form as the draft, writes the checkpoint and
logs out before the process ends; a tab that starts blurred focuses its login field when it
gets the focus. tests/browser does the same through a real Chromium."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input

from tests.conftest import OPERATOR
from tests.tui.conftest import login, settle
from tests.tui.intake_helpers import REFERENCE_PHONE, sql, wait_until


def served(services: Any, timeout: float = 3600.0) -> Any:
    from caseintake.tui.served_app import ServedApp

    return ServedApp(services.settings, lambda: services, timeout)


def actions(services: Any, since: int) -> list[tuple[str, str]]:
    rows = sql(
        services, "select actor, action from audit_events where seq > :s order by seq", s=since
    )
    return [(actor, action) for actor, action in rows]


def last_seq(services: Any) -> int:
    return int(sql(services, "select coalesce(max(seq), 0) from audit_events")[0][0])


async def open_report(pilot: Any) -> None:
    await login(pilot)
    await pilot.press("t")
    await wait_until(pilot, lambda: pilot.app.screen.query("#caller-phone"))
    pilot.app.screen.query_one("#caller-phone", Input).value = REFERENCE_PHONE
    await settle(pilot)


async def test_a_closed_tab_keeps_the_form_as_a_draft_and_logs_out(services: Any) -> None:
    from caseintake.tui.served_app import SessionEnd

    app = served(services)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_report(pilot)
        before = last_seq(services)
        assert sql(services, "select count(*) from drafts")[0][0] == 0  # not autosaved yet
        app.post_message(SessionEnd())  # what TabDriver posts on textual-serve's "quit"
        await wait_until(pilot, lambda: not app.is_running, timeout=10)
    assert (OPERATOR, "logout") in actions(services, before)
    assert sql(services, "select count(*) from drafts")[0][0] == 1
    operator = services.auth.login(OPERATOR, "quiet-harbour-41")
    draft = services.drafts.latest(operator)
    assert draft is not None and REFERENCE_PHONE in str(draft[1])


async def test_an_idle_session_is_ended_after_its_time(services: Any) -> None:
    # Long enough that logging in and opening the form on a loaded machine is not idle.
    app = served(services, timeout=4.0)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_report(pilot)
        before = last_seq(services)
        assert app.is_running
        await wait_until(pilot, lambda: not app.is_running, timeout=15)
    assert (OPERATOR, "logout") in actions(services, before)
    assert sql(services, "select count(*) from drafts")[0][0] == 1


async def test_a_session_end_before_login_just_exits(services: Any) -> None:
    from caseintake.tui.served_app import SessionEnd

    app = served(services)
    async with app.run_test(size=(120, 36)) as pilot:
        before = last_seq(services)
        app.post_message(SessionEnd())
        await wait_until(pilot, lambda: not app.is_running, timeout=10)
    assert actions(services, before) == []  # nobody to log out, nothing written


async def test_a_tab_that_starts_blurred_focuses_the_login_field_when_focused(
    services: Any,
) -> None:
    from pathlib import Path

    from caseintake.tui import served_app
    from caseintake.tui.served_app import ServedApp

    here = Path(served_app.__file__).parent

    class BlurredTab(ServedApp):
        CSS_PATH = [str(here / path) for path in ServedApp.CSS_PATH]  # type: ignore[union-attr]

        def on_mount(self) -> None:  # as textual-serve's driver does once the app starts
            self.post_message(events.AppBlur())

    app = BlurredTab(services.settings, lambda: services, 3600.0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.focused is None  # Textual alone would leave the login taking no keys
        app.post_message(events.AppFocus())  # the person clicks into the tab
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "user"
        await pilot.press("l", "a", "n")
        assert app.screen.query_one("#user", Input).value == "lan"
