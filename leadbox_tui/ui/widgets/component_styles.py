"""Rich styles for a widget's component classes, with the theme's see-through colours blended.

Textual's partial component styles drop a colour's alpha, so ``$text-muted`` (the foreground
at reduced opacity) would come out at full strength. The full style has the colour blended over
the widget's background; this keeps that colour and the partial style's text attributes, and
no background unless the class sets one (so a cursor row keeps its own).
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class ComponentStyles:
    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._styles: dict[str, Style] = {}

    def clear(self) -> None:
        """Forget them all (the theme or the widget's state changed)."""
        self._styles.clear()

    def __call__(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            full = self._widget.get_component_rich_style(name)
            partial = self._widget.get_component_rich_style(name, partial=True)
            colours = Style(
                color=full.color if partial.color else None,
                bgcolor=full.bgcolor if partial.bgcolor else None,
            )
            style = self._styles[name] = partial.without_color + colours
        return style
