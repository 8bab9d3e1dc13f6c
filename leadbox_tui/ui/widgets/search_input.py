"""The search box's text input, loaded with Textual's ``Input`` at the first ``/``."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchInput(Input):
    """Textual's input, whose text width (its virtual size) no longer asks for a new layout of
    the whole screen at each key: the box has a fixed size, and that layout (every widget
    placed again, the table's scroll bar redrawn) was the first frame of every key typed.
    It still scrolls its text by that width."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
