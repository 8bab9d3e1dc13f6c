"""Lists moved with the vim keys of the registry: ticks (``TickList``) and one-of (``PickList``).

Textual's lists move with the arrows only; these take the ``choices`` keys (j/k, g/G,
space or enter to choose) so every list of the triage screens reads the same.
"""

from __future__ import annotations

from typing import TypeVar

from textual.widgets import OptionList, SelectionList

from leadbox_tui.ui import keymap

T = TypeVar("T")


def _highlight_first(options: OptionList) -> None:
    """A list that gets the keys shows where they act: on its first choice, if on none."""
    if options.highlighted is None and options.option_count:
        options.highlighted = 0


class TickList(SelectionList[T], inherit_bindings=False):
    """Several choices ticked at once (sources, labels...)."""

    BINDINGS = keymap.bindings("choices")

    def on_focus(self) -> None:
        _highlight_first(self)


class PickList(OptionList, inherit_bindings=False):
    """One choice picked (a saved filter, a column)."""

    BINDINGS = keymap.bindings("choices")

    def on_focus(self) -> None:
        _highlight_first(self)
