"""The command palette (ctrl+p): every action bound on the current screen, by its palette name.

It reads the registry through the nodes that bind it, so an action shows up exactly where its
key works, and running it from the palette is the same as pressing its key.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from leadbox_tui.ui import keymap


class LeadboxCommands(Provider):
    def _commands(self) -> Iterator[tuple[keymap.Command, DOMNode]]:
        """(command, the node it runs on) for every palette action reachable from this screen."""
        seen: set[str] = set()
        for node in (self.app, self.screen, *self.screen.walk_children()):
            for binding in node.BINDINGS:
                command = keymap.BY_ID.get(getattr(binding, "id", None) or "")
                if command is None or not command.title or command.id in seen:
                    continue
                seen.add(command.id)
                yield command, node

    def _hit_help(self, command: keymap.Command) -> str:
        return f"{keymap.key_names(command.keys)}  ·  {command.description}"

    async def discover(self) -> Hits:
        for command, node in self._commands():
            yield DiscoveryHit(
                command.title,
                partial(self.app.run_action, command.action, node),
                help=self._hit_help(command),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, node in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self.app.run_action, command.action, node),
                    help=self._hit_help(command),
                )
