"""The list of labels (palette: "Labels: manage"): create (``n``), rename (``r``), recolour
(``c``) and delete (``d``, once confirmed) them.

Names are typed and colours picked in place, under the list. The list is its own small screen:
it reads and writes through ``services.labels`` in thread workers, and dismisses whether
anything changed, so the inbox reads its leads (and their label column) again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services import labels
from leadbox_tui.services.labels import LABEL_COLOURS, LabelInfo
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.pick_labels import label_prompt
from leadbox_tui.ui.widgets.key_bar import KeyBar

Step = Literal["list", "name", "colour"]


class LabelsRead(Message, bubble=False):
    """The list read again, after a write that said ``said`` (and the label it was about)."""

    def __init__(
        self, found: list[LabelInfo], said: str = "", about: int | None = None, error: bool = False
    ) -> None:
        super().__init__()
        self.found = found
        self.said = said
        self.about = about
        self.error = error


class LabelsModal(ModalScreen[bool]):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("labels")

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[LabelInfo] = []
        self.changed = False
        self.step: Step = "list"
        self.editing: LabelInfo | None = None  # None while naming a new label
        self.new_name = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Labels", classes="dialog--title")
            yield Static(
                "n new · r rename · c colour · d delete · esc close", classes="dialog--hint"
            )
            yield OptionList(id="label-list")
            yield Static("", id="label-step", classes="dialog--hint")
            yield Input(id="label-name", placeholder="Label name")
            yield OptionList(
                *(Option(label_prompt(LabelInfo(0, colour, colour))) for colour in LABEL_COLOURS),
                id="label-colours",
            )
            yield Static("", id="error-label", classes="field-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_step("list")
        self._run(lambda: None, "")  # no write: just read the list

    # -- reading and writing ---------------------------------------------------------------

    @work(thread=True, group="labels-write")
    def _run(self, write: Callable[[], int | None], said: str) -> None:
        """Do one write (or none), then read the list again for the screen; ``write`` returns
        the id of the label it was about, for the cursor to stay on it."""
        try:
            about = write()
            message = LabelsRead(labels.list_labels(), said, about)
        except ValueError as error:  # LabelError: the seller's mistake, nothing changed
            message = LabelsRead(labels.list_labels(), str(error), error=True)
        except Exception as error:  # a locked or read-only file
            message = LabelsRead(self.labels, f"Not saved: {error}", error=True)
        finally:
            close_database()  # this worker thread's connection
        self.post_message(message)

    def on_labels_read(self, message: LabelsRead) -> None:
        listing = self.query_one("#label-list", OptionList)
        keep = listing.highlighted or 0
        self.labels = message.found
        listing.set_options(Option(label_prompt(label)) for label in self.labels)
        ids = [label.id for label in self.labels]
        if message.about in ids:  # a renamed label moves in the list: the cursor goes with it
            listing.highlighted = ids.index(message.about)
        elif self.labels:
            listing.highlighted = min(keep, len(self.labels) - 1)
        if message.error:
            self.query_one("#error-label", Static).update(Text(one_line(message.said)))
            return
        if message.said:
            self.changed = True
            self.notify(one_line(message.said), markup=False)
        self._show_step("list")

    # -- steps -----------------------------------------------------------------------------

    def _show_step(self, step: Step, prompt: str = "") -> None:
        self.step = step
        self.query_one("#label-name").display = step == "name"
        self.query_one("#label-colours").display = step == "colour"
        self.query_one("#label-step", Static).update(Text(prompt))
        self.query_one("#error-label", Static).update("")
        target = {"list": "#label-list", "name": "#label-name", "colour": "#label-colours"}[step]
        self.query_one(target).focus()
        self.refresh_bindings()

    def _highlighted(self) -> LabelInfo | None:
        index = self.query_one("#label-list", OptionList).highlighted
        return self.labels[index] if index is not None and index < len(self.labels) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_label", "rename_label", "recolour_label", "delete_label"):
            return self.step == "list"
        return True

    def action_new_label(self) -> None:
        self.editing = None
        self.query_one("#label-name", Input).value = ""
        self._show_step("name", "Name of the new label, then enter:")

    def action_rename_label(self) -> None:
        self.editing = self._highlighted()
        if self.editing is not None:
            name = self.query_one("#label-name", Input)
            name.value = self.editing.name
            self._show_step("name", f"New name for {one_line(self.editing.name)!r}, then enter:")

    def action_recolour_label(self) -> None:
        self.editing = self._highlighted()
        if self.editing is not None:
            self._pick_colour(self.editing.colour, f"Colour of {one_line(self.editing.name)!r}:")

    def _pick_colour(self, current: str, prompt: str) -> None:
        colours = self.query_one("#label-colours", OptionList)
        colours.highlighted = LABEL_COLOURS.index(current) if current in LABEL_COLOURS else 0
        self._show_step("colour", prompt)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if self.editing is not None:
            label_id = self.editing.id
            said = f"Renamed {self.editing.name!r} to {name!r}."

            def rename() -> int:
                labels.rename_label(label_id, name)
                return label_id

            self._run(rename, said)
        elif not name:
            self.query_one("#error-label", Static).update("Type a name first.")
        else:
            self.new_name = name
            self._pick_colour("grey", f"Colour of the new label {one_line(name)!r}:")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id != "label-colours":
            return
        colour = LABEL_COLOURS[event.option_index]
        if self.editing is None:
            name = self.new_name
            self._run(lambda: labels.create_label(name, colour), f"Created label {name!r}.")
        else:
            label_id, name = self.editing.id, self.editing.name

            def recolour() -> int:
                labels.recolour_label(label_id, colour)
                return label_id

            self._run(recolour, f"{name!r} is {colour} now.")

    def action_delete_label(self) -> None:
        label = self._highlighted()
        if label is None:
            return

        def delete() -> None:
            labels.delete_label(label.id)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(delete, f"Deleted label {label.name!r}.")

        question = ConfirmModal(
            f"Delete the label {label.name!r}?",
            "It comes off every lead that has it; u in the inbox undoes it.",
            "Delete",
        )
        self.app.push_screen(question, confirmed)

    def action_close(self) -> None:
        """``esc``: back to the list while naming or colouring, else close."""
        if self.step != "list":
            self._show_step("list")
        else:
            self.dismiss(self.changed)
