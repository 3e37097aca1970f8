"""A closed select that takes the letters typed on it: they open its list and search it, as a
closed drop-down does in a browser, instead of vanishing (issue 19 item 3: no key typed ahead is
lost). Typed right after Enter moved focus here, "zal" picks "Zalo"."""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList, Select


class TypingSelect(Select[str]):
    async def _on_key(self, event: events.Key) -> None:
        if self.expanded or not event.is_printable or event.character is None:
            return
        event.stop()
        event.prevent_default()
        self.expanded = True  # focuses the list
        # The list searches as it does for a key typed on it (its own type-to-search). The list
        # is Textual's private SelectOverlay, found by its public base class, the only OptionList
        # inside a Select (tests/tui/test_cases.py::test_letters_typed_after_choosing_a_step_...
        # fails with NoMatches if that ever changes).
        self.query_one(OptionList).post_message(events.Key(event.key, event.character))
