"""Bindings have one source: the footer, the command palette and a user keymap share them.

A binding's ``id`` (``home.new_contact``) is also its catalogue key (``tui.key.home.new_contact``),
so its description follows the language the operator chose at login.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from caseintake.i18n import t


def localize_bindings(node: DOMNode, *, refresh: bool = True) -> None:
    """Give the node's bindings their descriptions in the current language (``refresh``: the
    node is on screen and its footer must redraw)."""
    # Textual keeps a per-instance copy of the bindings map; only its lists are shared.
    key_map = node._bindings.key_to_bindings
    for key, bindings in key_map.items():
        key_map[key] = [
            replace(b, description=t(f"tui.key.{b.id}")) if b.id else b for b in bindings
        ]
    if refresh:
        node.refresh_bindings()


class BindingCommands(Provider):
    """The command palette lists the same actions the footer shows, for the current screen."""

    def _commands(self) -> list[tuple[str, str, DOMNode, str]]:
        seen: set[str] = set()
        found = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.id is None or binding.id in seen or not active.enabled:
                continue
            seen.add(binding.id)
            display = self.app.get_key_display(binding) or key
            found.append((binding.description, display, active.node, binding.action))
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
