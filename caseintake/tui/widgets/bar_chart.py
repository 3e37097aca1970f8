"""A small horizontal bar chart in text: one line per label, bar length by share of the largest,
the count written out (the figure is in words, the bar only helps the eye)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

BAR = "█"


def bar_lines(items: Sequence[tuple[str, int]], width: int, empty: str) -> Text:
    if not items:
        return Text(empty, style="dim")
    label_width = min(max(len(name) for name, _ in items), 22)
    count_width = max(len(str(n)) for _, n in items)
    room = max(width - label_width - count_width - 3, 4)
    top = max(n for _, n in items) or 1
    out = Text()
    for i, (name, count) in enumerate(items):
        if i:
            out.append("\n")
        out.append(name[:label_width].ljust(label_width) + " ")
        out.append(str(count).rjust(count_width) + " ")
        out.append(BAR * max(1 if count else 0, round(room * count / top)), style="bold cyan")
    return out


class BarChart(Static):
    DEFAULT_CSS = """
    BarChart {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[tuple[str, int]] = []
        self._empty = ""

    def show(self, items: Sequence[tuple[str, int]], empty: str) -> None:
        self._items, self._empty = list(items), empty
        self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        self.update(bar_lines(self._items, self.content_size.width or 40, self._empty))
