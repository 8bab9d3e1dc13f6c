"""Picking two records of a group of three or more to merge: the first one marked stays."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.option_list import Option

from leadbox_tui.services.duplicates import DuplicateGroup
from leadbox_tui.ui import keymap
from leadbox_tui.ui.widgets.duplicate_groups import MemberList, member_line
from leadbox_tui.ui.widgets.key_bar import KeyBar

MARKS = {None: "          ", 1: "● stays   ", 2: "● merged  "}


class PickTwoModal(ModalScreen[tuple[int, int] | None], inherit_bindings=False):
    """Dismisses (the one that stays, the one merged into it), or None."""
    CSS_PATH = "../duplicates.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("pick_two")

    def __init__(self, group: DuplicateGroup) -> None:
        super().__init__()
        self.group = group
        self.marked: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-two-box") as box:
            box.border_title = "Merge which two?"
            yield Static(
                Text("space marks two of them; the first one marked stays, the other is merged in.")
            )
            yield MemberList(*self._options(), id="pick-two-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(MemberList).focus()

    def _options(self) -> list[Option]:
        options = []
        for member in self.group.members:
            order = self.marked.index(member.id) + 1 if member.id in self.marked else None
            line = Text()
            line.append(MARKS[order], style="bold")
            options.append(Option(line + member_line(member), id=str(member.id)))
        return options

    @property
    def _current(self) -> int | None:
        option = self.query_one(MemberList).highlighted_option
        return int(option.id) if option is not None and option.id is not None else None

    def action_cursor_down(self) -> None:
        self.query_one(MemberList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(MemberList).action_cursor_up()

    def action_mark(self) -> None:
        current = self._current
        if current is None:
            return
        if current in self.marked:
            self.marked.remove(current)
        else:
            self.marked = [*self.marked, current][-2:]
        members = self.query_one(MemberList)
        at = members.highlighted
        members.set_options(self._options())
        members.highlighted = at

    def action_choose(self) -> None:
        """Two marked; or one marked and the cursor on another, which is then the second."""
        pair = list(self.marked)
        if len(pair) == 1 and self._current not in (None, pair[0]):
            pair.append(self._current)  # type: ignore[arg-type]
        if len(pair) != 2:
            self.notify("Mark two of them with space first.", severity="warning")
            return
        self.dismiss((pair[0], pair[1]))

    def action_cancel(self) -> None:
        self.dismiss(None)
