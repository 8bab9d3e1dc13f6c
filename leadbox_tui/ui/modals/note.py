"""Write a note (``N``), or change one: several lines, with ``@handle`` completion while typing.

Typing ``@`` and the start of a handle or a name offers the users it may be (looked up in a
thread worker, the newest answer shown); ``tab`` or ``enter`` puts ``@handle`` in the text,
``down``/``up`` choose among them. The service stores the mentions when the note is saved. The
dialog dismisses the text; the screen writes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from leadbox_tui.services.notes import mention_candidates
from leadbox_tui.services.session import close_database
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.widgets.key_bar import KeyBar

# "@" at the start or after a character that cannot be in a handle, then the handle so far
TYPING_MENTION = re.compile(r"(?:^|[^\w@])@([\w.\-]*)$")


def mention_at(line_before_cursor: str) -> tuple[int, str] | None:
    """(column of the "@", the prefix typed after it) when the cursor ends a mention."""
    match = TYPING_MENTION.search(line_before_cursor)
    if match is None:
        return None
    return match.start(1) - 1, match.group(1)


class MentionsFound(Message, bubble=False):
    def __init__(self, generation: int, users: Sequence[UserInfo]) -> None:
        super().__init__()
        self.generation = generation
        self.users = list(users)


class NoteEditor(TextArea):
    """The note's text; while users are offered for a mention, the arrows and ``tab``/``enter``
    work on the offer, otherwise they move and type as usual."""

    BINDINGS = keymap.bindings("mention")

    @property
    def _offers(self) -> OptionList:
        return self.screen.query_one("#mentions", OptionList)

    def _offering(self) -> bool:
        return bool(self._offers.display and self._offers.option_count)

    def action_next_mention(self) -> None:
        if self._offering():
            self._offers.action_cursor_down()
        else:
            self.action_cursor_down()

    def action_previous_mention(self) -> None:
        if self._offering():
            self._offers.action_cursor_up()
        else:
            self.action_cursor_up()

    def action_choose_mention(self) -> None:
        if not self._offering() or self._offers.highlighted is None:
            raise SkipAction()  # a new line, or the next field, as usual
        self._offers.action_select()


class NoteModal(ModalScreen[str | None]):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("form")

    def __init__(self, lead_title: str, text: str = "") -> None:
        super().__init__()
        self.lead_title = lead_title
        self.text = text
        self.offered: list[UserInfo] = []
        self._generation = 0
        self._mention: tuple[int, int] | None = None  # (row, column of "@") being typed

    def compose(self) -> ComposeResult:
        verb = "Change the note on" if self.text else "Note on"
        with Vertical(classes="dialog"):
            yield Static(Text(f"{verb} {one_line(self.lead_title)!r}"), classes="dialog--title")
            yield Static(
                "Several lines are fine. @ and a name mentions a teammate.",
                classes="dialog--hint",
            )
            yield NoteEditor(self.text, id="note-body", soft_wrap=True, tab_behavior="focus")
            yield OptionList(id="mentions", classes="suggestions")
            yield Static("", id="error-body", classes="field-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#mentions").display = False
        editor = self.query_one(NoteEditor)
        editor.focus()
        editor.move_cursor(editor.document.end)

    @property
    def body(self) -> str:
        return self.query_one(NoteEditor).text

    # -- mentions --------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#error-body", Static).update("")
        self._follow_cursor()

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        """Offer users while the cursor ends an ``@mention`` being typed; else offer nothing."""
        editor = self.query_one(NoteEditor)
        row, column = editor.cursor_location
        typing = mention_at(editor.document.get_line(row)[:column])
        self._generation += 1
        if typing is None:
            self._mention = None
            self._show([])
            return
        self._mention = (row, typing[0])
        self._look_up(self._generation, typing[1])

    @work(thread=True, exclusive=True, group="mentions")
    def _look_up(self, generation: int, prefix: str) -> None:
        try:
            users = mention_candidates(prefix)
        except Exception:  # a locked file: no completion this time, typing goes on
            users = []
        finally:
            close_database()  # this worker thread's connection
        self.post_message(MentionsFound(generation, users))

    def on_mentions_found(self, message: MentionsFound) -> None:
        if message.generation == self._generation:
            self._show(message.users)

    def _show(self, users: Sequence[UserInfo]) -> None:
        self.offered = list(users)
        offers = self.query_one("#mentions", OptionList)
        offers.set_options(
            Option(Text.assemble(one_line(u.name), (f"  @{one_line(u.handle)}", "dim")))
            for u in users
        )
        offers.display = bool(users)
        if users:
            offers.highlighted = 0
            offers.border_title = "Mention: tab or enter"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._mention is None:
            return
        editor = self.query_one(NoteEditor)
        row, at = self._mention
        handle = self.offered[event.option_index].handle
        editor.replace(f"@{handle} ", (row, at), editor.cursor_location)
        editor.focus()

    # -- saving ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "save_new"

    def action_save(self) -> None:
        if not self.body.strip():
            self.query_one("#error-body", Static).update("Write something first.")
            return
        self.dismiss(self.body)

    def action_cancel(self) -> None:
        if self.body.strip() == self.text.strip():
            self.dismiss(None)
            return
        question = ConfirmModal("Discard this note?", "What you typed is not saved.", "Discard")
        self.app.push_screen(question, lambda yes: self.dismiss(None) if yes else None)
