"""Bindings have one source: the footer, the command palette and a user keymap share them.

A binding's ``id`` (``home.new_contact``) is also its catalogue key (``tui.key.home.new_contact``),
so its description follows the language the operator chose at login. ``LocalFooter`` (every
screen's footer) and the palette's ``BindingCommands`` look the words up when they draw, through
Textual's public API only (``Footer.compose``, ``Screen.active_bindings``, ``refresh_bindings``);
a binding without an id keeps its own words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from rich.cells import cell_len
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import HorizontalGroup
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Footer

from caseintake.i18n import has, t

# Textual's own keys that a footer shows (they carry no id), by their English words: the
# catalogue key of each, so "esc Dismiss menu" reads in the chosen language too.
_TEXTUAL_KEYS = {
    "Dismiss menu": "tui.key.textual.dismiss_menu",
    "Open link": "tui.key.textual.open_link",
}


def described(binding: Binding) -> str:
    """The binding's words in the current language (its catalogue entry, by id)."""
    if binding.id and has(f"tui.key.{binding.id}"):
        return t(f"tui.key.{binding.id}")
    textual = _TEXTUAL_KEYS.get(binding.description)
    return t(textual) if textual else binding.description


class LocalFooter(Footer):
    """Textual's footer, with each key's words from the catalogue of the chosen language; keys
    that do not fit one line wrap onto more (issue 19, item 15): at 80 columns no key a screen
    offers is out of sight."""

    DEFAULT_CSS = """
    LocalFooter.-wrapped { layout: vertical; height: auto; }
    LocalFooter .footer-row { height: 1; width: 1fr; }
    """

    _rows_for_width: tuple[int, int] = (0, 1)

    def compose(self) -> ComposeResult:
        keys: list[Widget] = []
        palette: list[Widget] = []
        for widget in self._keys():
            (palette if widget.has_class("-command-palette") else keys).append(widget)
        width = self.app.size.width - sum(_width(w, False) + 2 for w in palette)
        rows = _rows(keys, width, self.compact)
        self._rows_for_width = (self.app.size.width, len(rows))
        self.set_class(len(rows) > 1, "-wrapped")
        if len(rows) <= 1:
            yield from keys
        else:
            for row in rows:
                with HorizontalGroup(classes="footer-row"):
                    yield from row
        yield from palette

    def on_resize(self) -> None:
        if self._rows_for_width[0] != self.app.size.width:
            self.call_after_refresh(self.recompose)

    def _keys(self) -> Iterator[Widget]:
        by_action: dict[str, Binding] = {}
        for active in self.screen.active_bindings.values():
            # An action may have a second, hidden key (F7 beside Ctrl+N): its words come from
            # the binding that has a catalogue id, whichever key comes first.
            known = by_action.get(active.binding.action)
            if known is None or (known.id is None and active.binding.id is not None):
                by_action[active.binding.action] = active.binding
        for widget in super().compose():
            binding = by_action.get(getattr(widget, "action", ""))
            if binding is not None and getattr(widget, "description", ""):
                widget.description = described(binding)  # type: ignore[attr-defined]
            yield widget


def _width(widget: Widget, compact: bool) -> int:
    """A footer key's cells: `` key description `` (compact: ``key description`` and a gap)."""
    key, words = getattr(widget, "key_display", ""), getattr(widget, "description", "")
    return cell_len(key) + cell_len(words) + (2 if compact else 3)


def _rows(keys: list[Widget], width: int, compact: bool) -> list[list[Widget]]:
    """The keys in lines of at most ``width`` cells, in their order."""
    rows: list[list[Widget]] = [[]]
    used = 0
    for key in keys:
        size = _width(key, compact)
        if rows[-1] and used + size > width:
            rows.append([])
            used = 0
        rows[-1].append(key)
        used += size
    return rows


# Textual's own palette entries, by their English title: the catalogue key of each. The
# screenshot entry is left out: it would write the screen (a case) unencrypted to disk.
_SYSTEM_COMMANDS = {
    "Theme": "theme",
    "Quit": "quit",
    "Keys": "keys",
    "Maximize": "maximize",
    "Minimize": "minimize",
}


def localized_system_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands (``App.get_system_commands``) in the chosen language."""
    for command in commands:
        key = _SYSTEM_COMMANDS.get(command.title)
        if key is not None:
            yield command._replace(title=t(f"tui.palette.{key}"), help=t(f"tui.palette.{key}_help"))


def localize_bindings(node: DOMNode, *, refresh: bool = True) -> None:
    """Ask the footer to draw the node's keys again, in the language chosen since (the words
    are looked up when drawn); ``refresh=False`` while the node is not on screen yet."""
    if refresh:
        node.refresh_bindings()


class BindingCommands(Provider):
    """The command palette lists the same actions the footer shows, for the current screen."""

    def _commands(self) -> list[tuple[str, str, DOMNode, str]]:
        seen: set[str] = set()
        found = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            palette = binding.action == "command_palette"  # not an entry of itself
            if binding.id is None or binding.id in seen or not active.enabled or palette:
                continue
            seen.add(binding.id)
            display = self.app.get_key_display(binding) or key
            found.append((described(binding), display, active.node, binding.action))
        return found

    async def discover(self) -> Hits:
        for description, display, node, action in self._commands():
            yield DiscoveryHit(description, partial(node.run_action, action), help=display)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, display, node, action in self._commands():
            score = matcher.match(description)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(description),
                    partial(node.run_action, action),
                    help=display,
                )
