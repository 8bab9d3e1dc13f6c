"""The trash (palette: "View: trash"): deleted leads, the most recently deleted first.

``r`` or ``enter`` restores the lead under the cursor, ``u`` undoes the last action. The list is
read a page at a time in a thread worker, the next page once the cursor nears the end, so a
trash of 100,000 leads opens as fast as one of ten. It dismisses whether anything came back,
so the inbox reads its leads again.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services import trash
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.session import close_database
from leadbox_tui.services.timefmt import long_datetime
from leadbox_tui.services.trash import TrashedLead
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.key_bar import KeyBar

PAGE = 200
AHEAD = 20  # read the next page when the cursor is this close to the end of what is read


class TrashRead(Message, bubble=False):
    def __init__(self, generation: int, offset: int, leads: list[TrashedLead], total: int) -> None:
        super().__init__()
        self.generation = generation
        self.offset = offset
        self.leads = leads
        self.total = total


class TrashWritten(Message, bubble=False):
    """A restore or an undo is done: what to tell the seller, and whether it went wrong."""

    def __init__(self, said: str, changed: bool, error: bool = False) -> None:
        super().__init__()
        self.said = said
        self.changed = changed
        self.error = error


def trashed_prompt(lead: TrashedLead) -> Text:
    contact = " · ".join(one_line(name) for name in (lead.person, lead.organization) if name)
    return Text.assemble(
        one_line(lead.title),
        (f"  {contact}" if contact else "", "dim"),
        (f"  deleted {long_datetime(lead.deleted_at)}", "dim"),
    )


class TrashScreen(Screen[bool], inherit_bindings=False):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("trash")

    def __init__(self) -> None:
        super().__init__()
        self.leads: list[TrashedLead] = []
        self.total: int | None = None
        self.changed = False
        self._generation = 0
        self._reading = False

    def compose(self) -> ComposeResult:
        yield Static("Trash", id="trash-title")
        yield OptionList(id="trash-list")
        yield Static("", id="trash-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        self._read_again()
        self.query_one("#trash-list").focus()

    # -- reading ---------------------------------------------------------------------------

    def _read_again(self) -> None:
        self._generation += 1
        self.leads = []
        self._reading = True
        self._read(self._generation, 0)

    @work(thread=True, group="trash-read")
    def _read(self, generation: int, offset: int) -> None:
        try:
            found = trash.trashed(offset, PAGE)
            message = TrashRead(generation, offset, found, trash.trash_count())
        except Exception as error:  # a locked or broken file: say so, keep the screen
            message = TrashRead(generation, offset, [], 0)
            self.app.call_from_thread(
                self.notify, f"Could not read the trash: {error}", severity="error", markup=False
            )
        finally:
            close_database()  # this worker thread's connection
        self.post_message(message)

    def on_trash_read(self, message: TrashRead) -> None:
        if message.generation != self._generation:
            return
        self._reading = False
        listing = self.query_one("#trash-list", OptionList)
        keep = listing.highlighted or 0
        if message.offset == 0:
            listing.clear_options()
        self.leads += message.leads
        self.total = message.total
        listing.add_options(Option(trashed_prompt(lead)) for lead in message.leads)
        if message.offset == 0 and self.leads:
            listing.highlighted = min(keep, len(self.leads) - 1)
        title = "1 lead" if message.total == 1 else f"{message.total:,} leads"
        self.query_one("#trash-title", Static).update(
            f"Trash · {title}, the most recently deleted first"
        )
        listing.display = bool(self.leads)
        self.refresh_bindings()
        empty = self.query_one("#trash-empty", Static)
        empty.display = not self.leads
        empty.update("The trash is empty. Leads deleted with d come here until restored.")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        near_end = event.option_index >= len(self.leads) - AHEAD
        more = self.total is not None and len(self.leads) < self.total
        if near_end and more and not self._reading:
            self._reading = True
            self._read(self._generation, len(self.leads))

    # -- keys ------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_restore()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "restore" or bool(self.leads)

    def action_restore(self) -> None:
        index = self.query_one("#trash-list", OptionList).highlighted
        if index is not None and index < len(self.leads):
            self._write("restore", self.leads[index].id)

    def action_undo(self) -> None:
        self._write("undo", None)

    @work(thread=True, group="trash-write")
    def _write(self, what: str, lead_id: int | None) -> None:
        try:
            if what == "restore" and lead_id is not None:
                message = TrashWritten(trash.restore([lead_id]).description, changed=True)
            elif (undone := undo_last()) is not None:
                message = TrashWritten(f"Undid: {undone.description}", changed=True)
            else:
                message = TrashWritten("Nothing to undo.", changed=False)
        except Exception as error:  # ValueError: the seller's mistake; others: the file's
            message = TrashWritten(f"Not done: {error}", changed=False, error=True)
        finally:
            close_database()  # this worker thread's connection
        self.post_message(message)

    def on_trash_written(self, message: TrashWritten) -> None:
        severity = "error" if message.error else "information"
        self.notify(one_line(message.said), severity=severity, markup=False)
        if message.changed:
            self.changed = True
            self._read_again()

    def action_back(self) -> None:
        self.dismiss(self.changed)
