"""One yes/no question for any screen: ``y`` or ``enter`` says yes, ``n`` or ``esc`` says no.

The screen that asks does the work in the callback it gave ``push_screen``; the dialog only
answers. The question may hold seller text (a lead's title): it is shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import multi_line


class ConfirmModal(ModalScreen[bool], inherit_bindings=False):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("confirm")

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(multi_line(self.question)), classes="dialog--title")
            if self.detail:
                yield Static(Text(multi_line(self.detail)), classes="dialog--detail")
            keys = Text.assemble(("y", "bold"), f" {self.yes}    ", ("n", "bold"), f" {self.no}")
            yield Static(keys, classes="dialog--keys")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
