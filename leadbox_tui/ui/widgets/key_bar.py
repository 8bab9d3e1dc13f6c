"""The key bar at the bottom of a screen: the keys that matter there now, drawn as one line.

Textual's ``Footer`` makes a widget per key and builds them all again whenever the bindings
change (a focus, the selection, the detail panel's cursor): a fifth of the inbox's start-up, and
a frame at each change. This bar reads the screen's active bindings and paints one line. It
looks like the footer (the same theme variables) and, like Leadbox, is for the keyboard only.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

DIM = Style(dim=True)  # a key the screen offers but cannot take now


class KeyBar(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def _hint(self, binding: Binding, enabled: bool) -> Text:
        dim = Style() if enabled else DIM
        return Text.assemble(
            (
                f" {self.app.get_key_display(binding)} ",
                self.get_component_rich_style("key-bar--key") + dim,
            ),
            (
                f"{binding.description} ",
                self.get_component_rich_style("key-bar--description") + dim,
            ),
        )

    def render(self) -> Text:
        """The shown keys from the left, one per action, and the command palette's key on the
        right, as the footer places them. Keys that do not fit give way to the palette's, which
        leads to every action: the last of them is cut with an ellipsis."""
        active = self.screen.active_bindings
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                line.append_text(self._hint(binding, enabled))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            right = self._hint(palette[1], palette[2])
            room = self.size.width - line.cell_len - right.cell_len
            if room < 1:
                line.truncate(max(0, self.size.width - right.cell_len - 1), overflow="ellipsis")
                room = 1
            line.append(" " * room)
            line.append_text(right)
        return line
