"""The dialogs of the bulk actions: one field set (or cleared) for every selected lead, as in
Business Contact Manager, and labels added to or removed from all of them.

Each dismisses what to do; the screen runs it through ``services.bulk`` in a worker. The value
is checked by the same rule the service applies (``bulk.bulk_value``), so a mistyped date or
amount is said here and nothing starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Select, Static
from textual.widgets.selection_list import Selection

from leadbox_tui.services import bulk
from leadbox_tui.services.labels import LabelInfo
from leadbox_tui.services.leads import SOURCES
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.choice_lists import TickList
from leadbox_tui.ui.widgets.key_bar import KeyBar

SET, CLEAR = "set", "clear"
TYPED = {
    "title": "the new title",
    "value": "an amount, like 1200.50 (each lead keeps its currency)",
    "currency": "three letters, like EUR",
    "expected_close": "a date, like 2026-12-31",
    "stage": "a stage",
    "origin": "where the leads came from",
}


@dataclass(frozen=True)
class BulkEdit:
    field: str
    value: Any  # None clears the field


@dataclass(frozen=True)
class LabelChange:
    add: bool
    label_ids: tuple[int, ...]


def owner_choices(users: Sequence[UserInfo]) -> list[tuple[Text, int]]:
    """The users as owners, the seller first."""
    ordered = sorted(users, key=lambda u: not u.is_me)
    return [(Text(one_line(u.name) + (" (me)" if u.is_me else "")), u.id) for u in ordered]


class BulkEditModal(ModalScreen[BulkEdit | None]):
    CSS_PATH = "../triage_b.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("bulk")

    def __init__(self, what: str, users: Sequence[UserInfo], field: str = "owner") -> None:
        """``what``: the selection in words ("12 leads"), for the title."""
        super().__init__()
        self.what = what
        self.users = list(users)
        self.field = field

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Edit {self.what}"), classes="dialog--title")
            yield Static(
                "One field, set to one value for every selected lead, or cleared. "
                "ctrl+s applies; u undoes it afterwards.",
                classes="dialog--hint",
            )
            fields = [(Text(title), key) for key, title in bulk.BULK_FIELDS.items()]
            with Horizontal(classes="field-row"):
                yield Static("Field", classes="field-label")
                yield Select(fields, value=self.field, allow_blank=False, id="bulk-field")
            with Horizontal(classes="field-row"):
                yield Static("Change", classes="field-label")
                modes = [(Text("Set it to"), SET), (Text("Clear it"), CLEAR)]
                yield Select(modes, value=SET, allow_blank=False, id="bulk-mode")
            with Horizontal(classes="field-row", id="bulk-value-row"):
                yield Static("Value", classes="field-label")
                yield self._value_widget()
            yield Static("", id="bulk-error", classes="field-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#bulk-field", Select).focus()

    def _value_widget(self) -> Widget:
        picks: list[tuple[Text, Any]] | None = None
        if self.field == "owner":
            picks = owner_choices(self.users)
        elif self.field == "source":
            picks = [(Text(source), source) for source in SOURCES]
        elif self.field == "visible_to":
            picks = [(Text(v), v) for v in bulk.VISIBILITY]
        elif self.field == "score":
            picks = [(Text(f"{n} ({'★' * n or 'none'})"), n) for n in range(6)]
        if picks is not None:
            return Select(picks, prompt="choose…", id="bulk-value")
        return Input(placeholder=TYPED.get(self.field, ""), id="bulk-value")

    @on(Select.Changed, "#bulk-field")
    async def field_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL or event.value == self.field:
            return
        self.field = str(event.value)
        await self.query_one("#bulk-value").remove()
        await self.query_one("#bulk-value-row").mount(self._value_widget())

    @on(Select.Changed, "#bulk-mode")
    def mode_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.query_one("#bulk-value-row").display = event.value == SET

    def _value(self) -> Any:
        if self.query_one("#bulk-mode", Select).value == CLEAR:
            return None
        widget = self.query_one("#bulk-value")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        assert isinstance(widget, Input)
        return widget.value

    def action_apply(self) -> None:
        value = self._value()
        clearing = self.query_one("#bulk-mode", Select).value == CLEAR
        if value is None and not clearing:
            self._say(f"Choose or type the {bulk.BULK_FIELDS[self.field].lower()} first.")
            return
        try:
            bulk.bulk_value(self.field, value)  # the service's own check, before anything runs
        except bulk.BulkError as error:
            self._say(f"{error}.")
            return
        self.dismiss(BulkEdit(self.field, value))

    def _say(self, message: str) -> None:
        self.query_one("#bulk-error", Static).update(Text(one_line(message)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class BulkLabelsModal(ModalScreen[LabelChange | None]):
    CSS_PATH = "../triage_b.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("bulk")

    def __init__(self, what: str, labels: Sequence[LabelInfo]) -> None:
        super().__init__()
        self.what = what
        self.labels = list(labels)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Labels of {self.what}"), classes="dialog--title")
            yield Static(
                "Tick the labels (space), choose add or remove, ctrl+s applies.",
                classes="dialog--hint",
            )
            with Horizontal(classes="field-row"):
                yield Static("Change", classes="field-label")
                modes = [(Text("Add these labels"), "add"), (Text("Remove these labels"), "remove")]
                yield Select(modes, value="add", allow_blank=False, id="labels-mode")
            yield TickList(
                *(Selection(Text(one_line(label.name)), label.id) for label in self.labels),
                id="labels-ticks",
            )
            yield Static("", id="bulk-error", classes="field-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#labels-ticks", TickList).focus()

    def action_apply(self) -> None:
        ticked = tuple(self.query_one("#labels-ticks", TickList).selected)
        if not ticked:
            self.query_one("#bulk-error", Static).update("Tick one label or more first (space).")
            return
        adding = self.query_one("#labels-mode", Select).value == "add"
        self.dismiss(LabelChange(adding, ticked))

    def action_cancel(self) -> None:
        self.dismiss(None)
