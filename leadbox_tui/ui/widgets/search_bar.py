"""The search box (``/``) above the table: fuzzy, as the seller types.

Each key typed is said at once (``SearchKey``: the screen drops what was still to come of the
view on screen, which the key makes useless); each pause in the typing (``DEBOUNCE`` seconds)
sends the text up as ``SearchTyped``; the screen plans the search in a worker and the newest
text wins. ``enter`` (or ``down``) hands the keys back to the table with the search kept;
``esc`` clears it. While the search index catches up with a large backlog (after a demo build
or an import) a bar shows how far it got, and typing goes on meanwhile.

The box is made at the first ``/`` (with Textual's ``Input``, loaded then): the inbox's first
frame has four widgets fewer to style and lay out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from leadbox_tui.ui import keymap

if TYPE_CHECKING:
    from textual.widgets import Input

PLACEHOLDER = "Search title, person, organisation, e-mail, phone"

DEBOUNCE = 0.01  # coalesces a paste or a held key (a newer key stops the older search anyway)


class SearchKey(Message):
    """A key changed the search text: ``SearchTyped`` follows within ``DEBOUNCE`` seconds,
    always (before ``SearchLeft``, if the seller leaves the box meanwhile)."""


class SearchTyped(Message):
    """The search text after a pause in the typing."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SearchLeft(Message):
    """The seller left the search box: ``cleared`` by esc, else kept (enter, down)."""

    def __init__(self, cleared: bool) -> None:
        super().__init__()
        self.cleared = cleared


class SearchBar(Horizontal):
    BINDINGS = keymap.bindings("search")

    def __init__(self, placeholder: str = PLACEHOLDER, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder
        self._input: Input | None = None  # made at the first open
        self._pause: Timer | None = None

    @property
    def input(self) -> Input:
        return self._input if self._input is not None else self._make_parts()

    def _make_parts(self) -> Input:
        """The prompt, the text box and the indexing note, made when first needed."""
        from leadbox_tui.ui.widgets.search_input import SearchInput

        self._input = SearchInput(placeholder=self._placeholder, id="search-input")
        self.mount(Static("/", id="search-prompt"), self._input, Static(id="search-indexing"))
        return self._input

    @property
    def text(self) -> str:
        return self._input.value if self._input is not None else ""

    def open(self, text: str) -> None:
        self.add_class("-open")
        if self.input.value != text:
            with self.input.prevent(self.input.Changed):
                self.input.value = text
        self.screen.set_focus(self.input)  # at once: the keys typed next come here

    def close(self) -> None:
        """Hidden once the search is cleared; a kept search stays in sight."""
        if not self.text.strip():
            self.remove_class("-open")

    def show_indexing(self, done: int, total: int) -> None:
        """The search index catching up: ``done`` of ``total`` leads."""
        self.add_class("-indexing")
        if self._input is None:
            self._make_parts()
        if not self.query("#search-progress"):  # made when first needed, not with the inbox
            self.mount(ProgressBar(id="search-progress", show_eta=False))
        self.query_one("#search-progress", ProgressBar).update(total=total, progress=done)
        note = Text(f"indexing {done:,} of {total:,} leads: searches miss the rest", end="")
        self.query_one("#search-indexing", Static).update(note)

    def indexing_done(self) -> None:
        self.remove_class("-indexing")
        for bar in self.query("#search-progress").results(ProgressBar):
            bar.update(total=1, progress=1)  # full: a bar with no total animates even hidden

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._pause is not None:
            self._pause.stop()
        else:  # the first key of a burst (a paste, a held key: one is enough)
            self.post_message(SearchKey())
        self._pause = self.set_timer(DEBOUNCE, self._typed)

    def _typed(self) -> None:
        self._pause = None
        self.post_message(SearchTyped(self.text))

    def action_done(self) -> None:
        if self._pause is not None:  # what was typed last counts, pause or not
            self._pause.stop()
            self._typed()
        self.close()
        self.post_message(SearchLeft(cleared=False))

    def action_cancel(self) -> None:
        with self.input.prevent(self.input.Changed):
            self.input.value = ""
        if self._pause is not None:  # a key said is followed by its text: none
            self._pause.stop()
            self._typed()
        self.close()
        self.post_message(SearchLeft(cleared=True))

    def clear(self) -> None:
        """The screen cleared the search (esc on the table)."""
        if self._input is not None:
            with self._input.prevent(self._input.Changed):
                self._input.value = ""
        self.close()
