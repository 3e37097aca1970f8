"""A fast keyboard picker: type a few letters (no diacritics needed), then Enter or a number.

``SearchPicker`` does the keys and the drawing; ``CodePicker`` fills it with a taxonomy kind,
``location_picker`` with provinces and communes. Keys while focused:

* letters filter ("bl" or "bao" finds "Bạo lực", "hx" the initials of "Hàng xóm");
* 1–9 choose the numbered match at once; Enter chooses the highlighted one (↑/↓ move it);
* Enter with nothing typed keeps the value and moves on; moving on is immediate, so keys
  typed ahead land in the next field;
* in a multi-choice picker, ``+`` adds the highlighted match and stays, Backspace on an empty
  filter removes the last choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.geography import fold

MAX_SHOWN = 9
SUGGESTION_LINES = 3  # lines of numbered matches under a focused picker


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    folded: str  # the label folded for search
    extra: str = ""  # other search text (the code, a former name)

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.folded.replace(",", " ").split())


def choice(value: Any, label: str, extra: str = "") -> Choice:
    return Choice(value, label, fold(label), fold(extra.replace("_", " ")))


def rank(query: str, item: Choice) -> int | None:
    """0: the label starts with the query; 1: a word does; 2: every typed word starts a word
    ("bat mang" finds "Bắt nạt trên mạng"); 3: the code; 4: initials; 5: inside a word."""
    if item.folded.startswith(query):
        return 0
    words = f" {item.folded.replace(',', ' ')}"
    if f" {query}" in words:
        return 1
    typed = query.split()
    if len(typed) > 1 and all(f" {word}" in words for word in typed):
        return 2
    if item.extra and f" {query}" in f" {item.extra}":
        return 3
    if " " not in query and item.initials.startswith(query):
        return 4
    return 5 if query in item.folded or (item.extra and query in item.extra) else None


def pass_on(widget: Widget, event: events.Key) -> bool:
    """A key that reached a field after the cursor left it goes on to the focused field.

    Keys typed in a burst are queued to the field that had the cursor when each arrived; a
    field that took Enter and moved on hands the rest over, in order, so none is lost.
    """
    focused = widget.screen.focused
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    focused._forward_event(events.Key(event.key, event.character))
    return True


def focus_next_step(widget: Widget, *, auto: bool = False) -> None:
    """Move the cursor at once to the next field, skipping rows marked ``detail`` and fields
    whose ``passed_by_enter()`` says so now (still reached by Tab and the arrows).

    ``auto``: the field moved on by itself (a number chose a match, a letter answered yes/no).
    Then the cursor never lands on a one-letter toggle: the next letters may be a name being
    typed, and "c" of "Cao" must not answer "yes, immediate danger" (issue 7, item 3).
    """
    screen = widget.screen
    chain = screen.focus_chain
    if widget not in chain or screen.focused is not widget:
        return
    for candidate in chain[chain.index(widget) + 1 :]:
        passed = getattr(candidate, "passed_by_enter", None)  # e.g. a child's ID with no name
        if passed is not None and passed():
            continue
        if not any(a.has_class("detail") for a in candidate.ancestors):
            if not (auto and getattr(candidate, "one_letter_answers", False)):
                screen.set_focus(candidate)
            return


def best_matches(query: str, items: list[Choice]) -> list[Choice]:
    q = fold(query)
    ranked = [(r, i, c) for i, c in enumerate(items) if (r := rank(q, c)) is not None]
    return [c for _, _, c in sorted(ranked, key=lambda h: (h[0], h[1]))]


class SearchPicker(Widget, can_focus=True):
    """Type-to-filter choice of one value (or several with ``multiple=True``)."""

    DEFAULT_CSS = """
    SearchPicker { height: auto; width: 1fr; min-height: 1; }
    SearchPicker:focus { background: $boost; }
    SearchPicker.-invalid { background: $error 20%; }
    """

    query: reactive[str] = reactive("")
    highlighted: reactive[int] = reactive(0)

    @dataclass
    class Changed(Message):
        picker: SearchPicker
        value: Any

        @property
        def control(self) -> SearchPicker:
            return self.picker

    @dataclass
    class Accepted(Message):
        """Enter or a number: the operator is done with this field."""

        picker: SearchPicker

        @property
        def control(self) -> SearchPicker:
            return self.picker

    def __init__(
        self,
        value: Any = None,
        *,
        multiple: bool = False,
        placeholder: str = "—",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.multiple = multiple
        self.placeholder = placeholder
        self._value: Any = tuple(value or ()) if multiple else value
        self._offset, self._visible = 0, MAX_SHOWN  # the matches the last drawing showed
        self._browsing = False  # ↑/↓ used: Enter takes the highlighted match

    # What subclasses provide -------------------------------------------------------------
    def choices(self, query: str) -> list[Choice]:
        """The matches for ``query``; each picker (codes, provinces, communes) supplies its own."""
        return []

    def label_of(self, value: Any) -> str:
        return str(value)

    # Value -----------------------------------------------------------------------------
    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        new = tuple(new or ()) if self.multiple else new
        if new != self._value:
            self._value = new
            self.post_message(self.Changed(self, new))
        self.refresh(layout=True)

    def matches(self) -> list[Choice]:
        return self.choices(self.query)[:MAX_SHOWN]

    def _choose(self, item: Choice) -> None:
        if self.multiple:
            if item.value in self._value:
                self.value = tuple(v for v in self._value if v != item.value)
            else:
                self.value = (*self._value, item.value)
        else:
            self.value = item.value
        self.query, self.highlighted, self._browsing = "", 0, False

    # Keys ------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if pass_on(self, event) or not self._handle(event):
            return
        event.stop()
        event.prevent_default()

    def _done(self, *, auto: bool = False) -> None:
        self.post_message(self.Accepted(self))
        focus_next_step(self, auto=auto)

    def accept(self) -> None:
        """Enter: take the highlighted match when something was typed or browsed."""
        shown = self.matches()
        if (self.query or self._browsing) and shown:
            self._choose(shown[min(self.highlighted, len(shown) - 1)])
        self.query, self.highlighted, self._browsing = "", 0, False

    def pick(self, number: int) -> bool:
        """A number key: take the ``number``-th match shown; False when there is none."""
        shown, index = self.matches(), number - 1
        if not 0 <= index < self._visible or self._offset + index >= len(shown):
            return False
        self._choose(shown[self._offset + index])
        return True

    def _handle(self, event: events.Key) -> bool:
        key, char = event.key, event.character
        shown = self.matches()
        if key == "enter":
            self.accept()
            self._done()
        elif key in ("down", "up") and shown:
            step = 1 if key == "down" else -1
            self._browsing = True
            self.highlighted = (self.highlighted + step) % len(shown)
        elif key == "backspace":
            if self.query:
                self.query, self.highlighted = self.query[:-1], 0
            elif self.multiple and self._value:
                self.value = self._value[:-1]
            elif not self.multiple and self._value is not None:
                self.value = None
        elif key == "escape" and self.query:
            self.query, self.highlighted = "", 0
        elif char == "+" and self.multiple and shown:
            self._choose(shown[min(self.highlighted, len(shown) - 1)])
        elif char and char.isdigit() and char != "0":
            if self.pick(int(char)) and not self.multiple:
                self._done(auto=True)
        elif char and event.is_printable and (char.isalnum() or char in " -'.,"):
            self.query, self.highlighted = self.query + char, 0
        else:
            return False
        return True

    def watch_query(self) -> None:
        self._offset = 0
        self.refresh(layout=True)

    def watch_highlighted(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.query, self.highlighted, self._browsing = "", 0, False
        self.refresh(layout=True)

    # Drawing ---------------------------------------------------------------------------
    def _value_text(self) -> str:
        if self.multiple:
            return ", ".join(self.label_of(v) for v in self._value)
        return "" if self._value is None else self.label_of(self._value)

    def render(self) -> Text:
        shown = self._value_text()
        line = Text(shown or self.placeholder, style="" if shown else "dim", no_wrap=True)
        if not self.has_focus:
            line.overflow = "ellipsis"
            return line
        if self.query:
            line.append("  ⌕ ", style="dim").append(self.query, style="bold underline")
        line.append("▏", style="blink")
        matches = self.matches()
        if self.highlighted < self._offset:
            self._offset = self.highlighted
        suggestions = self._suggestions(matches, self._offset)
        if self.highlighted >= self._offset + self._visible:
            self._offset = self.highlighted
            suggestions = self._suggestions(matches, self._offset)
        return Text("\n", no_wrap=True, overflow="ellipsis").join([line, suggestions])

    def _suggestions(self, matches: list[Choice], start: int) -> Text:
        """The numbered matches from ``start`` that fit on a few lines; 1 is the first shown.

        Long labels (concerns, communes) take a line each, so the third match is not cut off
        behind the first ("mạng" shows "Bắt nạt trên mạng" too)."""
        width = max(1, self.content_size.width)
        lines: list[Text] = [Text(no_wrap=True, style="dim")]
        self._visible = 0
        for i, item in enumerate(matches[start:], start=start):
            chosen = "✓" if self.multiple and item.value in self._value else ""
            lit = i == self.highlighted and (self.query or self._browsing)
            piece = Text(f" {i + 1 - start}", style="bold")
            piece.append(f" {chosen}{item.label} ", style="reverse" if lit else "")
            if lines[-1].cell_len and lines[-1].cell_len + piece.cell_len > width:
                if len(lines) == SUGGESTION_LINES:
                    break
                lines.append(Text(no_wrap=True, style="dim"))
            lines[-1].append_text(piece)
            self._visible += 1
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        return Text("\n", no_wrap=True).join(lines)


class CodePicker(SearchPicker):
    """A picker over one taxonomy kind (concern, setting, sex...); labels in the UI language."""

    def __init__(self, kind: str, value: Any = None, *, top_level: bool = False, **kw: Any) -> None:
        super().__init__(value, **kw)
        self.kind = kind
        codes = taxonomy.ordered_codes(kind)
        self._all = [choice(c, taxonomy.label(kind, c), c) for c in codes]
        # With nothing typed, list the top-level codes only (violence, not violence.physical).
        self._top = [c for c in self._all if not top_level or "." not in c.value]

    def choices(self, query: str) -> list[Choice]:
        return best_matches(query, self._all) if query.strip() else list(self._top)

    def label_of(self, value: Any) -> str:
        return taxonomy.label(self.kind, str(value))
