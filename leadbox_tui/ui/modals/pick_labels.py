"""The labels of one lead (``l``): ``space`` ticks or unticks a label, ``enter`` applies them all
as one change (one undo step), ``esc`` leaves them as they were. Dismisses the label ids."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from leadbox_tui.services.labels import LabelInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.key_bar import KeyBar


class LabelChoices(SelectionList[int]):
    BINDINGS = keymap.bindings("pick_labels")


# the theme colours of app.tcss's label classes, for prompts drawn outside the table and panel
LABEL_THEME_COLOURS = {
    "red": "$text-error",
    "orange": "$text-warning",
    "yellow": "$warning-lighten-2",
    "green": "$text-success",
    "blue": "$text-primary",
    "purple": "$text-secondary",
    "pink": "$error-lighten-2",
    "grey": "$text-muted",
}


def label_prompt(label: LabelInfo, after: str = "") -> Content:
    """The label's name, literally, after a dot of its colour."""
    dot = ("● ", LABEL_THEME_COLOURS.get(label.colour, "$text-muted"))
    return Content.assemble(dot, one_line(label.name), (after, "$text-muted"))


class PickLabelsModal(ModalScreen[list[int] | None]):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox

    def __init__(
        self, lead_title: str, labels: Sequence[LabelInfo], ticked: Collection[int]
    ) -> None:
        super().__init__()
        self.lead_title = lead_title
        self.labels = list(labels)
        self.ticked = set(ticked)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Labels of {one_line(self.lead_title)!r}"), classes="dialog--title")
            yield Static(
                "space ticks or unticks, enter applies. Labels: manage (L) adds more.",
                classes="dialog--hint",
            )
            yield LabelChoices(
                *(
                    Selection(label_prompt(label), label.id, label.id in self.ticked)
                    for label in self.labels
                )
            )
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.labels:
            self.query_one(".dialog--hint", Static).update(
                "No labels yet: create some with Labels: manage (L)."
            )
        self.query_one(LabelChoices).focus()

    def action_apply(self) -> None:
        self.dismiss(list(self.query_one(LabelChoices).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)
