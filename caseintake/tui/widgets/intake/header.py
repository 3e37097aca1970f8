"""The top line of the intake screen: what is being logged, the call timer, and the emergency
banner (so "call 113 now" shows even when the routing pane is hidden on a narrow terminal).

The timer runs from the moment the contact opens and is saved as the contact's duration; it
reads the services' clock, so a frozen test clock freezes it too. A restored draft carries
the seconds already counted, so the timer continues instead of starting again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Static

from caseintake.i18n import t
from caseintake.tui.widgets.time_text import duration_text


class CallTimer(Static):
    """Minutes and seconds since the contact opened, updated every second."""

    DEFAULT_CSS = "CallTimer { width: auto; text-style: bold; padding: 0 1; }"

    def __init__(
        self, clock: Callable[[], datetime], already: int = 0, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._opened = clock()
        self._already = already

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)

    @property
    def seconds(self) -> int:
        return self._already + max(0, int((self._clock() - self._opened).total_seconds()))

    def _tick(self) -> None:
        self.update(f"⏱ {duration_text(self.seconds)}")


class IntakeHeader(Horizontal):
    DEFAULT_CSS = """
    IntakeHeader { height: 1; background: $panel; }
    IntakeHeader #intake-title { width: 1fr; padding: 0 1; text-style: bold; }
    IntakeHeader #intake-banner { width: auto; }
    IntakeHeader #intake-flash { width: auto; display: none; text-style: reverse bold; }
    IntakeHeader #intake-flash.-shown { display: block; }
    """
    FLASH_SECONDS = 4.0

    def __init__(self, clock: Callable[[], datetime], already: int, restored: bool) -> None:
        super().__init__()
        self._clock, self._already, self._restored = clock, already, restored
        self._flash_timer: Timer | None = None
        self._kept = ""  # shown in front of passing states (see show_status)

    def compose(self) -> ComposeResult:
        key = "intake.title_restored" if self._restored else "intake.title"
        yield Static(t(key), id="intake-title")
        yield Static("", id="intake-flash", markup=False)
        yield Static("", id="intake-banner")
        yield CallTimer(self._clock, self._already, id="call-timer")

    @property
    def timer(self) -> CallTimer:
        return self.query_one(CallTimer)

    def show_banner(self, text: Text) -> None:
        self.query_one("#intake-banner", Static).update(text)

    def flash(self, text: str) -> None:
        """A change the operator must see at once (danger now turned on or off), drawn
        reversed for a few seconds, so it shows in 16 colours too."""
        flash = self.query_one("#intake-flash", Static)
        flash.update(f" {text} ")
        flash.add_class("-shown")
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(self.FLASH_SECONDS, lambda: flash.remove_class("-shown"))

    def show_status(self, text: str, keep: bool = False) -> None:
        """A short state after the title: draft saved, saving, an error. A kept one (the
        caller's earlier cases on a narrow screen, saving, a failed save) stays in front of
        later ones until the next kept one, so a draft written a moment later cannot hide a
        repeat caller or why a save failed."""
        if keep:
            self._kept = text
        elif self._kept and text:  # the notices carry their own "· " in front
            text = f"{self._kept} {text}" if text.startswith("·") else f"{self._kept} · {text}"
        else:
            text = text or self._kept
        title = t("intake.title_restored" if self._restored else "intake.title")
        self.query_one("#intake-title", Static).update(f"{title}  {text}" if text else title)

    def forget(self, text: str) -> None:
        """Take a kept notice away once it no longer holds, leaving any other kept one."""
        if text and self._kept == text:
            self.show_status("", keep=True)
