"""The column chooser (palette "Table: choose columns"): which columns the table shows, in
which order. ``space`` shows or hides the column under the cursor, ``K``/``J`` move it,
``r`` goes back to the default columns, ``ctrl+s`` applies; dismisses the columns in order.

Every lead, person and organisation field the inbox query reads is offered. The added columns
are shown but not sorted by: no index of the inbox keeps them in order, and sorting a million
leads by one takes SQLite ten seconds or more.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services.inbox import COLUMNS, DEFAULT_COLUMNS
from leadbox_tui.ui import keymap
from leadbox_tui.ui.widgets.choice_lists import PickList
from leadbox_tui.ui.widgets.key_bar import KeyBar


class ColumnChooserModal(ModalScreen[tuple[str, ...] | None]):
    CSS_PATH = "../triage_b.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("columns")

    def __init__(self, columns: tuple[str, ...]) -> None:
        super().__init__()
        self._arrange(columns)

    def _arrange(self, columns: tuple[str, ...]) -> None:
        """The shown columns first, in their order, then the others as the inbox lists them."""
        self.order = [*columns, *(key for key in COLUMNS if key not in columns)]
        self.shown = set(columns)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Columns of the table", classes="dialog--title")
            yield Static(
                "space shows or hides · K/J move · r defaults · ctrl+s applies · esc cancels",
                classes="dialog--hint",
            )
            yield PickList(id="column-list")
            yield Static("", id="column-message", classes="dialog--hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw(0)
        self.query_one(PickList).focus()

    def _prompt(self, key: str) -> Text:
        column = COLUMNS[key]
        line = Text("✓ " if key in self.shown else "  ", style="bold")
        line.append(column.title)
        if not column.indexed:
            line.append("  not sorted by", style="dim")
        return line

    def _draw(self, highlighted: int) -> None:
        options = self.query_one(PickList)
        options.set_options(Option(self._prompt(key), id=key) for key in self.order)
        options.highlighted = highlighted

    @property
    def _cursor(self) -> int:
        return self.query_one(PickList).highlighted or 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = self.order[event.option_index]
        message = ""
        if key == "title":
            message = "The title is always shown: it takes the room the others leave."
        elif key in self.shown:
            self.shown.discard(key)
        else:
            self.shown.add(key)
        self.query_one("#column-message", Static).update(message)
        self._draw(event.option_index)

    def _move(self, by: int) -> None:
        here = self._cursor
        there = here + by
        if 0 <= there < len(self.order):
            self.order[here], self.order[there] = self.order[there], self.order[here]
            self._draw(there)

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def action_reset(self) -> None:
        self._arrange(DEFAULT_COLUMNS)
        self._draw(0)

    def action_apply(self) -> None:
        self.dismiss(tuple(key for key in self.order if key in self.shown))

    def action_cancel(self) -> None:
        self.dismiss(None)
