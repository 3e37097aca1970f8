"""The time in Viet Nam, read from the services' clock (frozen in tests, so snapshots hold)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.widgets import Static

from caseintake.domain.referrals.deadlines import to_local


class LiveClock(Static):
    DEFAULT_CSS = """
    LiveClock {
        width: auto;
        color: $accent;
        text-style: bold;
    }
    """

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.update(to_local(self._clock()).strftime("%H:%M:%S  %d/%m/%Y"))
