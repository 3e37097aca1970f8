"""Helpers for the intake screen tests: a host app that opens the screen at once, waits on the
screen's workers, and SQL on the test database. (The app shell's own fixtures live in
``conftest.py``; these only add what the intake tests need.)"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from caseintake.services.core.views import SavedContact
from caseintake.tui.screens.operator.intake_screen import IntakeScreen
from caseintake.tui.theme import CASEINTAKE_THEME
from caseintake.tui.widgets.intake.code_picker import SearchPicker


class IntakeHost(App[None]):
    """Opens the intake screen straight away (the shell's home is not what these tests test)."""

    def __init__(
        self,
        services: Any,
        principal: Any,
        contact_type: str | None = "report",
        draft: tuple[str, dict[str, Any]] | None = None,
        draft_delay: float | None = None,
    ) -> None:
        super().__init__()
        self.services, self.principal = services, principal
        self.contact_type, self.draft, self.draft_delay = contact_type, draft, draft_delay
        self.result: SavedContact | None = None
        self.dismissed = False

    def on_mount(self) -> None:
        self.register_theme(CASEINTAKE_THEME)
        self.theme = CASEINTAKE_THEME.name
        screen = IntakeScreen(self.services, self.principal, self.contact_type, draft=self.draft)
        if self.draft_delay is not None:
            screen.DRAFT_DELAY = self.draft_delay
        self.push_screen(screen, callback=self._done)

    def _done(self, result: SavedContact | None) -> None:
        self.result, self.dismissed = result, True

    @property
    def intake(self) -> IntakeScreen:
        screen = next(s for s in self.screen_stack if isinstance(s, IntakeScreen))
        return screen


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10) -> None:
    """Pause until ``condition()`` holds (workers report through messages)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the screen")
        await pilot.pause(0.02)


async def routed(pilot: Pilot[Any]) -> None:
    """Wait for the routing pane to show the decision for the current form values."""
    await pilot.pause()
    await wait_until(pilot, lambda: pilot.app.intake.routing_settled)  # type: ignore[attr-defined]
    await pilot.pause()


def set_text(screen: IntakeScreen, selector: str, value: str) -> None:
    """Free text is set directly (each key press costs ~60 ms in Pilot)."""
    widget = screen.query_one(selector)
    if isinstance(widget, TextArea):
        widget.text = value
    elif isinstance(widget, Input):
        widget.value = value
    else:
        raise TypeError(f"{selector} is not a text field")


def pick(screen: IntakeScreen, selector: str, value: Any) -> None:
    screen.query_one(selector, SearchPicker).value = value


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def sql(services: Any, query: str, **params: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    with services.db.read() as s:
        return [tuple(row) for row in s.execute(text(query), params)]


# The reference report of bench/: violence at home against a girl of 9 by a parent, in danger
# now, in Phường Bến Thành (Hồ Chí Minh City), reported by a neighbour. Each step is the keys
# an operator presses; the free text (names, the phone, the narrative) is set directly.
REFERENCE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("caller relationship: neighbour (Hàng xóm)", ("h", "enter")),
    ("caller name: skipped", ("enter",)),
    ("caller phone (typed digits are free text)", ("enter",)),
    ("child age 9", ("9", "enter")),
    ("child sex: 1 = Nữ", ("1",)),
    (
        "child name and address: not given (no name: Enter passes the personal ID)",
        ("enter", "enter"),
    ),
    ("concern: 1 = Bạo lực, Enter", ("1", "enter")),
    ("setting: 1 = Gia đình", ("1",)),
    ("province: hcm", ("h", "c", "m", "enter")),
    ("commune: ben th", ("b", "e", "n", "space", "t", "h", "enter")),
    ("perpetrator: 1 = Cha, mẹ", ("1",)),
    ("perpetrator name: not given", ("enter",)),
    ("immediate danger: c = có", ("c",)),
)
REFERENCE_PHONE = "0912345678"
REFERENCE_NARRATIVE = "Hàng xóm nghe tiếng cháu khóc và tiếng đánh đập suốt tối nay."
BEN_THANH, HCM = 26743, 79


async def type_reference_report(pilot: Pilot[Any]) -> None:
    """Drive the open intake screen through the reference report by keys."""
    screen = pilot.app.screen
    for step, keys in REFERENCE_KEYS:
        if step.startswith("caller phone"):
            set_text(screen, "#caller-phone", REFERENCE_PHONE)
        await pilot.press(*keys)
    set_text(screen, "#narrative", REFERENCE_NARRATIVE)


def fill(screen: IntakeScreen, *, danger: bool = True, phone: str = REFERENCE_PHONE) -> None:
    """Put the reference report in the form directly (for tests about other things)."""
    from caseintake.tui.widgets.intake.fields import YesNo

    pick(screen, "#caller-relationship", "neighbour")
    set_text(screen, "#caller-phone", phone)
    set_text(screen, "#age", "9")
    pick(screen, "#sex", "female")
    pick(screen, "#concerns", ("violence",))
    pick(screen, "#setting", "family")
    pick(screen, "#province", HCM)
    pick(screen, "#ward", BEN_THANH)
    pick(screen, "#relationship", "parent")
    screen.query_one("#danger", YesNo).value = danger
    set_text(screen, "#narrative", REFERENCE_NARRATIVE)


def audit(services: Any, principal: Any, action: str) -> list[dict[str, Any]]:
    """The decrypted details of every audit event with this action, oldest first."""
    import json

    rows = sql(
        services, "select seq, details from audit_events where action = :a order by seq", a=action
    )
    from caseintake.services.audit.details import open_details

    with services.db.read() as session:
        return [json.loads(open_details(session, principal.keys, s, d) or "") for s, d in rows]


async def draft_written(pilot: Pilot[Any]) -> None:
    """Wait past the draft debounce until the last draft handed to a worker is stored."""
    screen = pilot.app.intake  # type: ignore[attr-defined]
    await pilot.pause(screen.DRAFT_DELAY + 0.05)
    keeper = screen.keeper
    await wait_until(pilot, lambda: keeper._queued > 0 and keeper._written == keeper._queued)
