"""The search box (``/``) above the table: fuzzy, as the seller types.

Each key typed is said at once (``SearchKey``: the screen drops what was still to come of the
view on screen, which the key makes useless); each pause in the typing (``DEBOUNCE`` seconds)
sends the text up as ``SearchTyped``; the screen plans the search in a worker and the newest
text wins. ``enter`` (or ``down``) hands the keys back to the table with the search kept;
``esc`` clears it. While the search index catches up with a large backlog (after a demo build
or an import) a bar shows how far it got, and typing goes on meanwhile.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widgets import Input, ProgressBar, Static

from leadbox_tui.ui import keymap

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


class SearchInput(Input):
    """Textual's input, whose text width (its virtual size) no longer asks for a new layout of
    the whole screen at each key: the box has a fixed size, and that layout (every widget
    placed again, the table's scroll bar redrawn) was the first frame of every key typed.
    It still scrolls its text by that width."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class SearchBar(Horizontal):
    BINDINGS = keymap.bindings("search")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pause: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("/", id="search-prompt")
        yield SearchInput(
            placeholder="Search title, person, organisation, e-mail, phone", id="search-input"
        )
        yield Static(id="search-indexing")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def text(self) -> str:
        return self.input.value

    def open(self, text: str) -> None:
        self.add_class("-open")
        if self.input.value != text:
            with self.input.prevent(Input.Changed):
                self.input.value = text
        self.input.focus()

    def close(self) -> None:
        """Hidden once the search is cleared; a kept search stays in sight."""
        if not self.text.strip():
            self.remove_class("-open")

    def show_indexing(self, done: int, total: int) -> None:
        """The search index catching up: ``done`` of ``total`` leads."""
        self.add_class("-indexing")
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
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        if self._pause is not None:  # a key said is followed by its text: none
            self._pause.stop()
            self._typed()
        self.close()
        self.post_message(SearchLeft(cleared=True))

    def clear(self) -> None:
        """The screen cleared the search (esc on the table)."""
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.close()
