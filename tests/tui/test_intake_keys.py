"""Keys typed ahead: an operator who knows the form types faster than the screen draws."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.widgets import Input

from caseintake.tui.screens.operator.intake_screen import IntakeScreen
from tests.tui.intake_helpers import wait_until


def type_now(app: App[Any], key: str) -> None:
    """Queue a key as a terminal sends it, without waiting for the app to handle it."""
    app.post_message(events.Key(key, key if len(key) == 1 else None))


class Home(App[None]):
    BINDINGS = [Binding("c", "new_contact", "New contact")]

    def __init__(self, services: Any, principal: Any) -> None:
        super().__init__()
        self.services, self.principal = services, principal

    def action_new_contact(self) -> None:
        self.push_screen(IntakeScreen(self.services, self.principal))


async def test_keys_typed_while_the_screen_opens_land_in_their_fields(services, operator):
    app = Home(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        # "c" opens the form; the rest is typed before the form is drawn (the home screen's
        # own part, keys typed before "c" took effect, is the home screen's business).
        type_now(app, "c")
        while not isinstance(app.screen, IntakeScreen):
            await asyncio.sleep(0)
        screen = app.screen
        assert not screen.is_mounted
        # ... sex 1, then Enter through the child's name and address (no name: past the ID)
        keys = ("enter", "h", "enter", "enter", "enter", "9", "enter", "1", "enter", "enter", "1")
        for key in keys:
            type_now(app, key)
        await wait_until(pilot, lambda: screen.is_mounted)
        await wait_until(pilot, lambda: screen.query_one("#sex").value == "female")
        assert screen.query_one("#contact-type").value == "report"
        assert screen.query_one("#caller-relationship").value == "neighbour"
        assert screen.query_one("#caller-name", Input).value == ""
        assert screen.query_one("#age", Input).value == "9"
        await wait_until(pilot, lambda: screen.query_one("#concerns").value == ("violence",))
        assert app.focused is screen.query_one("#concerns")

        # A burst into the drawn form: every key queues to the concerns field, which hands
        # what follows its Enter to the fields after it, in order.
        for key in ("enter", "1", "h", "c", "m", "enter", "b", "e", "n", " ", "t", "h", "enter"):
            type_now(app, key)
        await wait_until(pilot, lambda: app.focused is screen.query_one("#relationship"))
        assert screen.query_one("#setting").value == "family"
        assert screen.query_one("#province").value == 79
        assert screen.query_one("#ward").value == 26743


async def test_enter_in_the_narrative_is_a_new_line_and_digits_in_text_are_digits(
    services, operator
):
    app = Home(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        screen = app.screen
        screen.query_one("#caller-phone").focus()
        await pilot.press("0", "9", "1", "enter")
        assert screen.query_one("#caller-phone", Input).value == "091"
        assert app.focused is screen.query_one("#age")  # Enter moved on from the phone
        screen.query_one("#narrative").focus()
        await pilot.press("a", "enter", "c", "1")
        assert screen.query_one("#narrative").text == "a\nc1"
