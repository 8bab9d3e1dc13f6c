"""Two small dialogs: pick one of a list, or type a name. Each dismisses its answer (``None``
when cancelled); the screen that asked does the rest."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.choice_lists import PickList
from leadbox_tui.ui.widgets.key_bar import KeyBar


class ChoiceModal(ModalScreen[str | None]):
    """One of ``choices`` (label, value), the ``current`` value highlighted; enter picks it."""

    CSS_PATH = "../transfer.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("dialog")

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], current: str | None = None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(one_line(self.title_text)), classes="dialog--title")
            yield PickList(*(Option(Text(one_line(label))) for label, _ in self.choices))
        yield KeyBar()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for _, value in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class NameModal(ModalScreen[str | None]):
    """A name typed (not empty); enter gives it."""

    CSS_PATH = "../transfer.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("dialog")

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(one_line(self.title_text)), classes="dialog--title")
            yield Input(self.value, placeholder=self.placeholder)
            yield Static("", classes="dialog--error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if name:
            self.dismiss(name)
        else:
            self.query_one(".dialog--error", Static).update("Type a name first.")

    def action_cancel(self) -> None:
        self.dismiss(None)
