"""The deals screen's view keys: the filter bar (``f``), search (``/``), a deal opened from a
lead's history, and pipelines and stages (``P``), which the filter offers.

``DealsScreen`` inherits these. Every change of view goes through ``set_filter``: the table shows
the new first rows, the filter bar names the filter and counts it, the selection is dropped (it
belonged to the old view). The pipelines and users the bar offers are read in a worker, again
after ``P`` changed them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from leadbox_tui.services import deals
from leadbox_tui.services.deals import DealFilter, DealSort
from leadbox_tui.services.pipelines import list_pipelines
from leadbox_tui.services.session import close_database
from leadbox_tui.services.users import list_users
from leadbox_tui.ui.modals.pipelines import PipelinesModal
from leadbox_tui.ui.widgets.deal_filter_bar import DealFilterBar, DealFilterChosen
from leadbox_tui.ui.widgets.deal_table import DealTable
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.filter_bar import FilterBarClosed
from leadbox_tui.ui.widgets.search_bar import SearchBar, SearchLeft, SearchTyped


class DealViewActions(Screen[Any]):
    if TYPE_CHECKING:  # DealsScreen's
        filter: DealFilter
        selected: dict[int, None]
        total: int | None
        go_to: int | None  # the row of a deal to open, once its view is counted

        @property
        def detail(self) -> DetailPanel: ...
        def _show_status(self) -> None: ...

    @property
    def table(self) -> DealTable:
        return self.query_one(DealTable)

    @property
    def filter_bar(self) -> DealFilterBar:
        return self.query_one(DealFilterBar)

    def set_filter(self, view: DealFilter) -> None:
        """Show the deals of ``view`` from the first; the selection was of the old view."""
        if view == self.filter:
            return
        self.filter = view
        self.selected.clear()
        self.total = None
        self.filter_bar.show_filter(view)
        self.table.show(view)
        self._show_status()
        self.refresh_bindings()

    def action_open_filter_bar(self) -> None:
        self.filter_bar.open()

    def on_deal_filter_chosen(self, message: DealFilterChosen) -> None:
        message.stop()
        self.set_filter(message.filter)

    def on_filter_bar_closed(self, message: FilterBarClosed) -> None:
        message.stop()
        self.table.focus()

    @work(thread=True, exclusive=True, group="deal-choices")
    def _read_choices(self) -> None:
        """The pipelines and users the filter bar offers (again after pipelines change)."""
        try:
            found = (list_pipelines(), list_users())
        except Exception as error:
            self.app.call_from_thread(self.notify, f"Could not read: {error}", severity="error")
            return
        finally:
            close_database()
        self.app.call_from_thread(self.filter_bar.set_deal_choices, *found)

    @work(thread=True, exclusive=True, group="deal-find")
    def _find(self, deal_id: int, sort: DealSort) -> None:
        """Where ``open_deal`` is: its view (deleted or not) and its row there."""
        try:
            found = deals.locate(deal_id, sort)
            said = "" if found else f"Deal {deal_id} is no longer there."  # its making undone
        except Exception as error:
            found, said = None, f"Could not open deal {deal_id}: {error}"
        finally:
            close_database()
        if found is not None:
            self.app.call_from_thread(self._found, *found)
        else:
            self.app.call_from_thread(self.notify, said, severity="warning", markup=False)

    def _found(self, view: DealFilter, index: int) -> None:
        self.go_to = index
        if view != self.filter:
            self.set_filter(view)  # the cursor goes there once the view is counted
        elif self.total is not None:
            self._go_to_found()

    def _go_to_found(self) -> None:
        if self.go_to is not None:
            self.table.move_to(self.go_to)
            self.go_to = None
            self.detail.focus()

    def action_pipelines(self) -> None:
        row = self.table.row_at(self.table.cursor)
        self.app.push_screen(
            PipelinesModal(getattr(row, "pipeline_id", None)), self._pipelines_done
        )

    def _pipelines_done(self, changed: bool | None) -> None:
        if changed:
            self._read_choices()
            self.table.reload()
            if self.detail.lead_id is not None:
                self.detail.show_now(self.detail.lead_id)

    def action_search(self) -> None:
        """``/``: part of a title, a person's or an organisation's name, as you type."""
        self.query_one(SearchBar).open(self.filter.search)

    def on_search_typed(self, message: SearchTyped) -> None:
        message.stop()
        self.set_filter(replace(self.filter, search=message.text))

    def on_search_left(self, message: SearchLeft) -> None:
        message.stop()
        if message.cleared:
            self.set_filter(replace(self.filter, search=""))
        self.table.focus()
