"""The inbox: the lead table, the detail panel beside it, a status line and the footer.

The screen owns the view (inbox or archived, the sort) and hands it down to the table; it
reacts to what the table reports (cursor moved, lead opened, sort changed, leads counted) and
does the writes through the services, in workers, so a slow disk never freezes a key.

The screens and dialogs of each feature are imported where they open, not here: the first
rows must not wait for the import wizard or the matching engine to load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal

from leadbox_tui.services import leads, preferences
from leadbox_tui.services.first_rows import SORT_SETTING, FirstRows, saved_sort
from leadbox_tui.services.inbox import InboxFilter, InboxSort
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import collector, keymap
from leadbox_tui.ui.messages import CursorMoved, LeadOpened, LeadsCounted, SortChanged
from leadbox_tui.ui.screens.convert_actions import ConvertActions
from leadbox_tui.ui.screens.inbox_bulk import SelectionActions
from leadbox_tui.ui.screens.inbox_filters import FilterActions, saved_columns
from leadbox_tui.ui.screens.triage_actions import TriageActions
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.filter_bar import FilterBar
from leadbox_tui.ui.widgets.key_bar import KeyBar
from leadbox_tui.ui.widgets.lead_table import LeadTable
from leadbox_tui.ui.widgets.search_bar import SearchBar
from leadbox_tui.ui.widgets.status_line import StatusLine
from leadbox_tui.ui.widgets.task_bar import TaskBar
from leadbox_tui.ui.widgets.welcome import Welcome

if TYPE_CHECKING:
    from leadbox_tui.services.exporter import ExportResult
    from leadbox_tui.ui.dedupe_messages import Merged
    from leadbox_tui.ui.merging import MergeChoice
    from leadbox_tui.ui.screens.import_wizard import ImportOutcome


class InboxScreen(
    ConvertActions, TriageActions, FilterActions, SelectionActions, inherit_bindings=False
):
    # the triage keys: triage_actions.py (part A), inbox_filters.py, inbox_bulk.py (part B);
    # c (convert to deals): convert_actions.py
    BINDINGS = keymap.bindings("inbox")
    # back from a dialog with nothing focused (the table was hidden in an empty inbox): the
    # table, not the first focusable widget, which may be in a closed bar
    AUTO_FOCUS = "#leads"

    def __init__(self, first_rows: FirstRows | None = None) -> None:
        super().__init__()
        self.filter = InboxFilter()
        self.sort = saved_sort()
        self.first_rows = first_rows
        self.total: int | None = None
        self.position: int | None = None
        self.filter_name: str | None = None  # the saved filter in view, while unchanged

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        yield SearchBar(id="search-bar")
        with Horizontal(id="panes"):
            yield LeadTable(
                self.filter,
                self.sort,
                columns=saved_columns(),
                first_rows=self.first_rows,
                id="leads",
            )
            yield DetailPanel(id="detail")
        yield TaskBar(id="task-bar")
        yield StatusLine(id="status")
        yield KeyBar()

    @property
    def table(self) -> LeadTable:
        return self.query_one(LeadTable)

    @property
    def detail(self) -> DetailPanel:
        return self.query_one(DetailPanel)

    def on_mount(self) -> None:
        self.table.marked = self.selection.marked
        self.watch(self.table, "cursor", self._cursor_placed, init=False)
        self.filter_bar.show_filter(self.filter)
        self._describe(self.filter)
        self._show_status()
        self.table.focus()
        if not self.app.is_headless:  # (a test process runs app after app: nothing kept)
            # once the first frame is drawn, what the app holds is set aside: the garbage
            # collector's full passes walk only what comes next (collector.py)
            self.call_after_refresh(collector.settle)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # the footer's esc comes and goes with the table's focus

    def _show_status(self) -> None:
        self.query_one(StatusLine).show(
            self.position, self.total, self.filter, self.sort, self.selection_text()
        )

    # -- what the table reports ------------------------------------------------------------

    def on_leads_counted(self, message: LeadsCounted) -> None:
        self.total = message.total
        self.filter_counted(message.total)
        self.selection_counted(message.total)
        self._show_status()
        empty = message.total == 0 and message.filter == InboxFilter()
        if empty and not self.query(Welcome):  # made for an empty inbox only
            self.mount(Welcome(id="welcome"), after="#panes")
        self.set_class(empty, "-empty")
        self.refresh_bindings()
        if message.total == 0:
            self.detail.clear()

    def _cursor_placed(self, index: int) -> None:
        """The cursor's place in the status line, drawn with the rows (see ``LeadTable``)."""
        self.position = index
        self._show_status()

    def on_cursor_moved(self, message: CursorMoved) -> None:
        self._cursor_placed(message.index)  # the first rows of a view put it in place
        if message.lead_id is not None:
            self.detail.follow(message.lead_id)

    def on_lead_opened(self, message: LeadOpened) -> None:
        self.table.mark_seen(message.lead_id)
        self._mark_seen(message.lead_id)
        self.detail.show_now(message.lead_id)
        self.detail.focus()

    def on_sort_changed(self, message: SortChanged) -> None:
        self.sort = message.sort
        self._show_status()
        self._save_sort(message.sort)

    # -- keys ------------------------------------------------------------------------------

    def action_toggle_archived(self) -> None:
        self.set_filter(replace(self.filter, archived=not self.filter.archived))
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that mean nothing here now are left out of the footer: ``esc`` on the table,
        ``tab`` and ``esc`` while the welcome stands in for an empty inbox."""
        if action in {"back", "switch_focus"} and self.has_class("-empty"):
            return False
        if action == "back":
            return not self.table.has_focus
        return (
            self.filter_check(action) and self.selection_check(action) and self.triage_check(action)
        )

    def action_switch_focus(self) -> None:
        (self.detail if self.table.has_focus else self.table).focus()

    def action_back(self) -> None:
        self.table.focus()

    # -- writes, off the UI thread ---------------------------------------------------------

    @work(thread=True, group="inbox-writes")
    def _mark_seen(self, lead_id: int) -> None:
        self._write(leads.mark_seen, lead_id)

    @work(thread=True, group="inbox-writes")
    def _save_sort(self, sort: InboxSort) -> None:
        value = {"column": sort.column, "descending": sort.descending}
        self._write(preferences.put, SORT_SETTING, value)

    def _write(self, write: Callable[..., object], *args: Any) -> None:
        try:
            write(*args)
        except Exception as error:  # a locked or read-only file: tell the seller, keep going
            self.app.call_from_thread(self.notify, f"Not saved: {error}", severity="error")
        finally:
            close_database()  # this worker thread's connection

    # -- duplicates and merge --------------------------------------------------------------

    def action_duplicates(self) -> None:
        from leadbox_tui.ui.screens.duplicates import DuplicatesScreen

        self.app.push_screen(DuplicatesScreen(), self._after_duplicates)

    def _after_duplicates(self, changed: bool | None) -> None:
        if changed:
            self._reload_after_merge()

    def action_merge_lead(self) -> None:
        """``m``: the two selected leads, if a selection exists; else the lead under the cursor
        with one the seller picks."""
        from leadbox_tui.services.merge import MergeError
        from leadbox_tui.ui.merging import selected_pair
        from leadbox_tui.ui.modals.merge_pick import MergePickModal

        try:
            pair = selected_pair(self.table.marked, self.table.current_lead_id)
        except MergeError as error:
            self.notify(f"{str(error).capitalize()}.", severity="warning")
            return
        if pair is not None:
            self._open_merge(*pair)
            return
        row = self.table.row_at(self.table.cursor)
        if row is not None:
            pick = MergePickModal(row.id, row.title)
            self.app.push_screen(pick, lambda other_id: self._open_merge(row.id, other_id))

    def _open_merge(self, lead_id: int, other_id: int | None) -> None:
        from leadbox_tui.ui.modals.merge_view import MergeModal

        if other_id is not None:
            self.app.push_screen(MergeModal("lead", lead_id, other_id), self._merge_chosen)

    def _merge_chosen(self, choice: MergeChoice | None) -> None:
        from leadbox_tui.ui.merging import start_merge

        if choice is not None:
            start_merge(self, choice)

    def on_merged(self, message: Merged) -> None:
        from leadbox_tui.ui.merging import merged_text

        if message.result is None:
            self.notify(f"Not merged: {message.error}", severity="error", markup=False)
            return
        self.notify(merged_text(message.plan, message.result), markup=False)
        if self.selection:  # the two merged were the selection: one of them is gone
            self.selection.clear()
            self.selection_changed()
        self._reload_after_merge()

    def _reload_after_merge(self) -> None:
        self.table.reload()
        if self.detail.lead_id is not None:
            self.detail.show_now(self.detail.lead_id)

    # -- import and export -----------------------------------------------------------------

    def action_import_file(self) -> None:
        from leadbox_tui.ui.screens.import_wizard import ImportScreen

        self.app.push_screen(ImportScreen(), self._imported)

    def _imported(self, outcome: ImportOutcome | None) -> None:
        from leadbox_tui.ui.screens.import_wizard import report_summary

        if outcome is None:
            return
        self.table.reload()
        said = report_summary(outcome.report)
        self.notify(f"Undone: {said}" if outcome.undone else said, markup=False)

    def action_export_leads(self) -> None:
        """``X``: the leads of the view as the table shows them (filter, sort, columns)."""
        from leadbox_tui.ui.modals.export import ExportModal

        self.app.push_screen(
            ExportModal(self.filter, self.sort, self.table.columns), self._exported
        )

    def _exported(self, result: ExportResult | None) -> None:
        if result is not None:
            what = "people" if result.format == "vcard" else "leads"
            count = f"{result.rows:,} {what if result.rows != 1 else what.rstrip('s')}"
            self.notify(f"{count} written to {result.path}", markup=False)
