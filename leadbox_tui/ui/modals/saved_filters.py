"""The saved filters (``F``): favourites first; ``enter`` applies one, ``f`` marks it favourite
(or not), ``r`` renames, ``e`` edits its conditions, ``n`` builds a new one from the filter in
view, ``d`` deletes (once confirmed). Dismisses the filter to apply (``None``: keep the view).

Like the label list, it is its own small screen: it reads and writes through
``services.filters`` in thread workers (each write one undoable action), and shows the list
again after each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services import filters, labels, users
from leadbox_tui.services.filters import InboxFilter, SavedFilterInfo
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.dialogs import NameModal
from leadbox_tui.ui.modals.filter_builder import Choices, FilterBuilderModal, FilterDraft
from leadbox_tui.ui.widgets.choice_lists import PickList
from leadbox_tui.ui.widgets.key_bar import KeyBar

FAVOURITE = "★"


class SavedFiltersRead(Message, bubble=False):
    """The saved filters, read after a write (``said``), with the one to put the cursor on."""

    def __init__(
        self,
        found: list[SavedFilterInfo] | None,
        said: str = "",
        error: bool = False,
        cursor_on: str | None = None,
        apply: bool = False,
    ) -> None:
        super().__init__()
        self.found = found
        self.said = said
        self.error = error
        self.cursor_on = cursor_on
        self.apply = apply


class BuilderReady(Message, bubble=False):
    """What the builder needs, read off the UI thread."""

    def __init__(self, builder: FilterBuilderModal, editing: str | None) -> None:
        super().__init__()
        self.builder = builder
        self.editing = editing


def filter_prompt(info: SavedFilterInfo) -> Text:
    line = Text(f"{FAVOURITE} " if info.favourite else "  ", style="bold")
    line.append(one_line(info.name), style="bold")
    line.append(f"   {one_line(info.description)}", style="dim")
    return line


class SavedFiltersModal(ModalScreen[SavedFilterInfo | None]):
    CSS_PATH = "../triage_b.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("saved")

    def __init__(self, current: InboxFilter) -> None:
        """``current``: the filter in view, where a new filter starts from."""
        super().__init__()
        self.current = current
        self.saved: list[SavedFilterInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Saved filters", classes="dialog--title")
            yield Static(
                "enter applies · f favourite · r rename · e edit · n new · d delete · esc close",
                classes="dialog--hint",
            )
            yield PickList(id="saved-list")
            yield Static(
                "No saved filter yet: n builds one from conditions, starting from the filter "
                "in view.",
                id="saved-empty",
                classes="dialog--hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self._run(lambda: None)

    # -- reading and writing ---------------------------------------------------------------

    @work(thread=True, group="saved-filters")
    def _run(
        self,
        write: Callable[[], object],
        said: str = "",
        cursor_on: str | None = None,
        apply: bool = False,
    ) -> None:
        """One write (or none), then the list read again."""
        try:
            write()
            message = SavedFiltersRead(filters.list_saved_filters(), said, False, cursor_on, apply)
        except ValueError as error:  # refused by the service (a name taken...): nothing written
            message = SavedFiltersRead(None, f"Not saved: {error}", True)
        except Exception as error:  # a locked or broken file
            message = SavedFiltersRead(None, f"Could not read the saved filters: {error}", True)
        finally:
            close_database()
        self.post_message(message)

    def on_saved_filters_read(self, message: SavedFiltersRead) -> None:
        if message.said:
            severity = "error" if message.error else "information"
            self.notify(one_line(message.said), severity=severity, markup=False)
        if message.found is None:
            return
        self.saved = message.found
        names = [info.name for info in self.saved]
        if message.apply and message.cursor_on in names:
            self.dismiss(self.saved[names.index(message.cursor_on)])
            return
        options = self.query_one(PickList)
        here = options.highlighted or 0
        options.set_options(Option(filter_prompt(info)) for info in self.saved)
        if message.cursor_on in names:
            here = names.index(message.cursor_on)
        if self.saved:
            options.highlighted = min(here, len(self.saved) - 1)
        self.set_class(not self.saved, "-empty")
        options.focus()

    def _chosen(self) -> SavedFilterInfo | None:
        here = self.query_one(PickList).highlighted
        if here is None or not self.saved:
            self.notify("No saved filter yet: n builds one.", severity="warning")
            return None
        return self.saved[here]

    # -- keys ------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.saved[event.option_index])

    def action_favourite(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            mark = not chosen.favourite
            said = f"{'Marked' if mark else 'Unmarked'} {chosen.name!r} as a favourite."
            self._run(lambda: filters.set_favourite(chosen.name, mark), said, chosen.name)

    def action_rename(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return

        def renamed(name: str | None) -> None:
            if name is not None and name != chosen.name:
                said = f"Renamed {chosen.name!r} to {name!r}."
                self._run(lambda: filters.rename_saved_filter(chosen.name, name), said, name)

        title = f"Rename the filter {one_line(chosen.name)!r}"
        self.app.push_screen(NameModal(title, chosen.name), renamed)

    def action_delete(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                said = f"Deleted the filter {chosen.name!r} (u in the inbox undoes it)."
                self._run(lambda: filters.delete_saved_filter(chosen.name), said)

        question = f"Delete the saved filter {chosen.name!r}?"
        self.app.push_screen(
            ConfirmModal(question, "The leads stay as they are.", "Delete"), confirmed
        )

    def action_new(self) -> None:
        self._prepare(replace(self.current, search=""), "", None)

    def action_edit(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self._prepare(chosen.filter, chosen.name, chosen.name)

    def action_close(self) -> None:
        self.dismiss(None)

    # -- the builder -----------------------------------------------------------------------

    @work(thread=True, group="saved-filters")
    def _prepare(self, base: InboxFilter, name: str, editing: str | None) -> None:
        """Read the builder's lists and describe what the conditions are added to."""
        try:
            choices = Choices(labels.list_labels(), users.list_users())
            rest = replace(base, all_of=(), any_of=(), search="")
            also = "" if rest == InboxFilter() else rest.describe()
        except Exception as error:
            self.post_message(SavedFiltersRead(None, f"Could not read: {error}", True))
            return
        finally:
            close_database()
        taken = [info.name for info in self.saved if info.name != editing]
        builder = FilterBuilderModal(base, choices, name=name, also=also, taken=taken)
        self.post_message(BuilderReady(builder, editing))

    def on_builder_ready(self, message: BuilderReady) -> None:
        editing = message.editing
        self.app.push_screen(message.builder, lambda draft: self._built(draft, editing))

    def _built(self, draft: FilterDraft | None, editing: str | None) -> None:
        if draft is None:
            return
        if editing is None:
            said = f"Saved the filter {draft.name!r}."
            self._run(lambda: filters.save_filter(draft.name, draft.filter), said, draft.name, True)
            return

        def update() -> None:
            filters.update_saved_filter(editing, draft.filter)
            if draft.name != editing:
                filters.rename_saved_filter(editing, draft.name)

        self._run(update, f"Changed the filter {draft.name!r}.", draft.name, True)
