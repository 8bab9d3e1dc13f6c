"""The inbox's view keys: the filter bar (``f``), search (``/``), saved filters (``F``) and the
column chooser (palette "Table: choose columns").

``InboxScreen`` inherits these. Every change of filter goes through ``set_filter``: the table
shows the new first rows at once and counts in the background, the filter bar names the filter
(its description read in a worker, its count from the table), and the selection is dropped, as
it belonged to the leads of the old view. A search is planned by the table's page loader as it
reads the first page; the table's count, the only other reader, starts after those rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from leadbox_tui.services import labels, normalize, preferences, search, users
from leadbox_tui.services.conditions import ME
from leadbox_tui.services.filters import InboxFilter, SavedFilterInfo
from leadbox_tui.services.inbox import COLUMNS, DEFAULT_COLUMNS
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import collector
from leadbox_tui.ui.widgets.filter_bar import FilterBar, FilterBarClosed, FilterChosen
from leadbox_tui.ui.widgets.search_bar import SearchBar, SearchKey, SearchLeft, SearchTyped

if TYPE_CHECKING:
    from leadbox_tui.services.inbox import InboxSort
    from leadbox_tui.ui.selection import Selection
    from leadbox_tui.ui.widgets.detail_panel import DetailPanel
    from leadbox_tui.ui.widgets.lead_table import LeadTable

COLUMNS_SETTING = "inbox.columns"
BAR_KEYS = frozenset({"open_filter_bar", "saved_filters", "search", "back", "switch_focus"})


def saved_columns() -> tuple[str, ...]:
    """The columns of the last run (the title always among them), else the default ones."""
    value: Any = preferences.get(COLUMNS_SETTING)
    if not isinstance(value, list):
        return DEFAULT_COLUMNS
    columns = tuple(dict.fromkeys(key for key in value if key in COLUMNS))
    return columns if "title" in columns else DEFAULT_COLUMNS


class FilterDescribed(Message, bubble=False):
    def __init__(self, view: InboxFilter, description: str) -> None:
        super().__init__()
        self.view = view
        self.description = description


class SearchIndexing(Message, bubble=False):
    """The search index catching up: ``done`` of ``total``; ``finished`` at the end."""

    def __init__(self, done: int, total: int, finished: bool = False) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.finished = finished


class IndexingStopped(Exception):
    """The screen went away while the search index was catching up."""


class FilterActions(Screen[None]):
    if TYPE_CHECKING:  # InboxScreen's
        table: LeadTable
        detail: DetailPanel
        filter: InboxFilter
        sort: InboxSort
        total: int | None
        position: int | None
        selection: Selection
        filter_name: str | None

        def _show_status(self) -> None: ...
        def _write(self, write: Callable[..., object], *args: Any) -> None: ...
        def selection_changed(self) -> None: ...
        def _fetch_then(self, read: Callable[[], Any], then: Callable[[Any], object]) -> None: ...

    _indexing = False
    _warmed_up = False  # libphonenumber loaded for the search box

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    # -- one way to change the view --------------------------------------------------------

    def set_filter(self, view: InboxFilter, name: str | None = None, typed: bool = False) -> None:
        """Show the leads of ``view`` (``name``: the saved filter it is), from the first row;
        ``typed``: a search being typed (see ``LeadTable.show``).

        A search is planned by the table's page loader, as it reads the first page: one hand-over
        between threads per key typed, not two, and a plan a newer key made useless is stopped
        with the read (the loader plans first; its count starts only after the first rows)."""
        self.filter_name = name
        self.filter = view
        self.total = self.position = None
        if self.selection:  # (marks redrawn for none would draw the table before its rows)
            self.selection.clear()
            self.selection_changed()
        self.selection.clear()  # its anchor too
        self.table.show(filter=view, typed=typed)  # the detail panel follows its first row
        self._show_status()
        self.filter_bar.show_filter(view, self.filter_name)
        self._describe(view)

    def _describe(self, view: InboxFilter) -> None:
        """The filter in words: at once (one drawing of the bar per key typed, not two),
        unless it names labels, an owner or conditions, which may name them: those names are
        read from the inbox in a worker."""
        if view.labels or view.all_of or view.any_of or view.owner not in (None, ME):
            self._describe_later(view)
        else:
            self.filter_bar.show_description(view, view.describe())

    @work(thread=True, exclusive=True, group="filter-describe")
    def _describe_later(self, view: InboxFilter) -> None:
        try:
            self.post_message(FilterDescribed(view, view.describe()))
        except Exception as error:  # a locked file: the bar says so
            self.post_message(FilterDescribed(view, f"(could not be read: {error})"))
        finally:
            close_database()

    def on_filter_described(self, message: FilterDescribed) -> None:
        self.filter_bar.show_description(message.view, message.description)

    def filter_counted(self, total: int) -> None:
        """The table counted its view (called from the screen's LeadsCounted handler)."""
        self.filter_bar.show_total(total)

    # -- the filter bar --------------------------------------------------------------------

    def filter_check(self, action: str) -> bool:
        """For ``check_action``: while the filter bar has the keys, the lead's own keys
        (``a`` archives, ``d`` deletes...) wait for the table."""
        return action in BAR_KEYS or not self.filter_bar.has_focus_within

    def action_open_filter_bar(self) -> None:
        """Open at once (keys may follow fast); the labels and users are read meanwhile."""
        self.filter_bar.open()
        self._fetch_then(
            lambda: (labels.list_labels(), users.list_users()),
            lambda found: self.filter_bar.set_choices(*found),
        )

    def on_filter_chosen(self, message: FilterChosen) -> None:
        self.set_filter(message.filter)

    def on_filter_bar_closed(self, message: FilterBarClosed) -> None:
        self.table.focus()

    # -- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.open(self.filter.search)
        if not self._indexing:
            self._catch_up()
        if not self._warmed_up or not collector.settled():
            self._warmed_up = True
            self._warm_up()

    @work(thread=True, exclusive=True, group="search-warm-up")
    def _warm_up(self) -> None:
        """Load libphonenumber and its metadata (about 50 ms, once) while the seller starts
        typing, not in the read of the first phone-like search ("029"). Then everything loaded
        so far (modules, styles, widgets, caches) is left out of the garbage collector's full
        passes (``collector.settle``): each walked it all, 50-130 ms with every thread stopped,
        every few keys typed. Again after the duplicates screen handed it all back."""
        # (the inbox's first rows set aside what the app held then; this adds libphonenumber)
        normalize.phone_key("0")
        collector.settle()

    def on_search_key(self, message: SearchKey) -> None:
        """A key typed: the view on screen is about to give way. Its count, and the detail
        panel's read of the lead under the cursor, would land on the next view's first rows
        (with a key every half second or so, they came due just as it was typed)."""
        self.table.typing()
        self.detail.hold()

    def on_search_typed(self, message: SearchTyped) -> None:
        if message.text.strip() != self.filter.search.strip():
            view = replace(self.filter, search=message.text.strip())
            self.set_filter(view, self.filter_name, typed=True)
        else:  # the same search (a space): counted and its lead shown again once typing pauses
            self.table.show(self.filter, typed=True)

    def on_search_left(self, message: SearchLeft) -> None:
        if message.cleared and self.filter.search:
            self.set_filter(replace(self.filter, search=""), self.filter_name)
        self.table.focus()

    def clear_search(self) -> None:
        self.search_bar.clear()
        self.set_filter(replace(self.filter, search=""), self.filter_name)

    @work(thread=True, exclusive=True, group="search-index")
    def _catch_up(self) -> None:
        """Index a large backlog (a demo build, an import) while the seller types; each
        search meanwhile finds what is indexed so far."""
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise IndexingStopped
            self.post_message(SearchIndexing(done, total))

        try:
            pending = search.pending_count()
            if pending <= search.INLINE_BACKLOG:
                return  # a search indexes this much itself
            self.post_message(SearchIndexing(0, pending))
            search.catch_up(progress)
            self.post_message(SearchIndexing(pending, pending, finished=True))
        except IndexingStopped:
            pass
        except Exception as error:  # a locked file: searches miss the unindexed leads
            self.app.call_from_thread(
                self.notify, f"Search index not updated: {error}", severity="error", markup=False
            )
        finally:
            close_database()

    def on_search_indexing(self, message: SearchIndexing) -> None:
        self._indexing = not message.finished
        if message.finished:
            self.search_bar.indexing_done()
            if self.filter.search:  # the same words find more now
                self.set_filter(replace(self.filter), self.filter_name)
        else:
            self.search_bar.show_indexing(message.done, message.total)

    # -- saved filters ---------------------------------------------------------------------

    def action_saved_filters(self) -> None:
        from leadbox_tui.ui.modals.saved_filters import SavedFiltersModal

        self.app.push_screen(SavedFiltersModal(self.filter), self._saved_filter_chosen)

    def _saved_filter_chosen(self, chosen: SavedFilterInfo | None) -> None:
        if chosen is not None:
            self.search_bar.clear()
            self.set_filter(chosen.filter, chosen.name)
            if chosen.filter.search:
                self.search_bar.open(chosen.filter.search)
                self.table.focus()

    # -- columns ---------------------------------------------------------------------------

    def action_choose_columns(self) -> None:
        from leadbox_tui.ui.modals.column_chooser import ColumnChooserModal

        self.app.push_screen(ColumnChooserModal(self.table.columns), self._columns_chosen)

    def _columns_chosen(self, columns: tuple[str, ...] | None) -> None:
        if columns is None or columns == self.table.columns:
            return
        self.table.set_columns(columns)
        self._save_columns(columns)
        shown = ", ".join(COLUMNS[key].title for key in columns)
        self.notify(f"Columns: {shown}.", markup=False)

    @work(thread=True, group="inbox-writes")
    def _save_columns(self, columns: tuple[str, ...]) -> None:
        self._write(preferences.put, COLUMNS_SETTING, list(columns))
