"""The deals screen (``2``): the filter bar, the deals table, the deal's detail beside it (the
inbox's panel: ``tab``, then ``j``/``k``, ``N``, ``t``, ``e``, ``p``, ``x``, ``enter``; see
``deal_detail_actions``), a status line.

The filter bar (``f``: status, pipeline, stage, owner, deleted deals), search (``/``), won
(``W``), lost with a reason (``L``), reopen (``O``), delete (``d``), the deleted deals (``T``)
and restore (``R``), back to a lead (``c``: the deal, or the selection up to 100; ``C``: every
deal the filter shows, up to 100 too), the board (``b``), pipelines and stages (``P``), undo
(``u``), back to the leads (``1``). Reads and writes run in workers; every write is said and the
table read again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from leadbox_tui.services import deal_to_lead, deals
from leadbox_tui.services.deals import DealFilter
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.messages import CursorMoved, LeadOpened, LeadsCounted
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.dialogs import ChoiceModal
from leadbox_tui.ui.modals.lost_reason import LostReasonModal
from leadbox_tui.ui.screens.deal_detail_actions import DealDetailActions
from leadbox_tui.ui.screens.deal_views import DealViewActions
from leadbox_tui.ui.widgets.deal_detail_view import DEAL_DETAIL
from leadbox_tui.ui.widgets.deal_filter_bar import DealFilterBar, deals_text
from leadbox_tui.ui.widgets.deal_table import DealTable
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.key_bar import KeyBar
from leadbox_tui.ui.widgets.search_bar import SearchBar

OFF_HERE = frozenset(
    {"extend_selection", "select_all", "bulk_edit", "bulk_labels", "bulk_archive", "bulk_delete"}
)
ON_LIVE = frozenset(
    {
        *("won", "lost", "reopen", "delete", "to_lead", "filtered_to_lead", "board", "move_stage"),
        *("add_note", "schedule", "edit", "pin_note", "mark_done"),
    }
)


@dataclass(frozen=True)
class LeftDeals:
    """How the seller left the deals: whether deals became leads, and the view to go to next."""

    made_leads: bool
    go_to: str | None = None  # "contacts"; None for the leads
    open_lead: int | None = None  # a lead the seller opened from a deal: the inbox shows it


class DealsScreen(DealDetailActions, DealViewActions, inherit_bindings=False):
    """Dismisses how the seller left the deals (``LeftDeals``)."""

    CSS_PATH = "../convert.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("deals")
    AUTO_FOCUS = "#deals"  # back from a dialog: the table, not a list of the closed bar

    def __init__(self, open_deal: int | None = None) -> None:
        """``open_deal``: start on that deal (in the deleted deals if it is deleted)."""
        super().__init__()
        self.filter = DealFilter()
        self.selected: dict[int, None] = {}
        self.total: int | None = None
        self.position: int | None = None
        self.made_leads = False
        self.open_deal = open_deal
        self.go_to: int | None = None  # the row of ``open_deal``, once the table is counted

    def compose(self) -> ComposeResult:
        yield DealFilterBar(id="deal-filter-bar")
        yield SearchBar("Search title, person, organisation", id="deal-search-bar")
        with Horizontal(id="deal-panes"):
            yield DealTable(self.filter, id="deals")
            yield DetailPanel(DEAL_DETAIL, id="deal-detail")
        yield Static(id="deal-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.table.marked = self.selected.keys()
        self.watch(self.table, "cursor", self._cursor_placed, init=False)
        self.filter_bar.show_filter(self.filter)
        self.table.focus()
        self._read_choices()
        if self.open_deal is not None:
            self._find(self.open_deal, self.table.sort)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in OFF_HERE:
            return False  # the lead table's selection keys the deals do not have: let them by
        if action in ON_LIVE:
            return not self.filter.deleted and self.detail_check(action)
        if action == "restore":
            return self.filter.deleted
        if action == "clear_layer":  # the selection, else the search or filter; else back
            return bool(self.selected) or self.filter != DealFilter(deleted=self.filter.deleted)
        return True

    # -- what the table reports ------------------------------------------------------------

    def on_leads_counted(self, message: LeadsCounted) -> None:
        message.stop()
        self.total = message.total
        self.filter_bar.show_total(message.total)
        self._show_status()
        if message.total:
            self._go_to_found()
        if message.total == 0:
            self.detail.clear()

    def _cursor_placed(self, index: int) -> None:
        """The cursor's place in the status line, drawn with the rows (see ``LeadTable``)."""
        self.position = index
        self._show_status()

    def on_cursor_moved(self, message: CursorMoved) -> None:
        message.stop()
        self._cursor_placed(message.index)  # the first rows of a view put it in place
        if message.lead_id is not None:
            self.detail.follow(message.lead_id)

    def on_lead_opened(self, message: LeadOpened) -> None:
        message.stop()
        self.detail.show_now(message.lead_id)
        self.detail.focus()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # the panel's keys (p, x) come and go with its focus

    def _show_status(self) -> None:
        view = "Deleted deals · " if self.filter.deleted else ""
        if self.total is None:
            count = "Counting deals…"
        elif not self.total or self.position is None:
            count = deals_text(self.total)
        else:
            count = f"Deal {self.position + 1:,} of {self.total:,}"
        chosen = f" · {len(self.selected)} selected" if self.selected else ""
        self.query_one("#deal-status", Static).update(Text(view + count + chosen))

    # -- keys ------------------------------------------------------------------------------

    def action_leads(self) -> None:
        self.dismiss(LeftDeals(self.made_leads))

    def action_contacts(self) -> None:
        self.dismiss(LeftDeals(self.made_leads, "contacts"))

    def leave_for_lead(self, lead_id: int) -> None:
        """Back to the inbox, which puts its cursor on the lead."""
        self.dismiss(LeftDeals(self.made_leads, open_lead=lead_id))

    def action_toggle_deleted(self) -> None:
        self.set_filter(replace(self.filter, deleted=not self.filter.deleted))

    def action_toggle_selected(self) -> None:
        deal_id = self.table.current_lead_id
        if deal_id is None:
            return
        if deal_id in self.selected:
            del self.selected[deal_id]
        else:
            self.selected[deal_id] = None
        self.table.refresh_marks()
        self._show_status()
        self.table.action_cursor_down()

    def action_clear_layer(self) -> None:
        if self.selected:
            self.selected.clear()
            self.table.refresh_marks()
            self._show_status()
        elif self.filter.search:
            self.query_one(SearchBar).clear()
            self.set_filter(replace(self.filter, search=""))
        else:
            self.set_filter(DealFilter(deleted=self.filter.deleted))

    def _targets(self) -> list[int]:
        """The selected deals, else the one under the cursor (none: said)."""
        if self.selected:
            return list(self.selected)
        deal_id = self.table.current_lead_id
        if deal_id is None:
            self.notify("No deal here.", severity="warning")
            return []
        return [deal_id]

    def action_won(self) -> None:
        if ids := self._targets():
            self._write(lambda: deals.mark_won(ids), f"Marked {deals_text(len(ids))} won.")

    def action_lost(self) -> None:
        ids = self._targets()
        if not ids:
            return

        def given(reason: str | None) -> None:
            if reason is not None:
                said = f"Marked {deals_text(len(ids))} lost."
                self._write(lambda: deals.mark_lost(ids, reason), said)

        title = f"Why was {'it' if len(ids) == 1 else 'the ' + deals_text(len(ids))} lost?"
        self.app.push_screen(LostReasonModal(title), given)

    def action_reopen(self) -> None:
        if ids := self._targets():
            self._write(lambda: deals.reopen(ids), f"Reopened {deals_text(len(ids))}.")

    def action_delete(self) -> None:
        """``d``: the note under the panel's cursor, else the deal (or the selection)."""
        if self.delete_note_here():
            return
        ids = self._targets()
        if not ids:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                said = f"Deleted {deals_text(len(ids))} (T shows the deleted deals, u undoes)."
                self._write(lambda: deals.delete_deals(ids), said)

        what = deals_text(len(ids))
        question = ConfirmModal(f"Delete {what}?", "T shows deleted deals; R restores.", "Delete")
        self.app.push_screen(question, confirmed)

    def action_move_stage(self) -> None:
        """``m``: the deal, or the selection, to a stage of any pipeline, picked from a list."""
        ids = self._targets()
        stages = [(p, s) for p in self.filter_bar.pipelines for s in p.stages]
        if not ids or not stages:
            return
        row = self.table.row_at(self.table.cursor)
        names = {str(s.id): f"{p.name} › {s.name}" for p, s in stages}

        def chosen(stage_id: str | None) -> None:
            if stage_id is not None:
                said = f"Moved {deals_text(len(ids))} to {names[stage_id]} (u undoes)."
                self._write(lambda: deals.move_deals(ids, int(stage_id)), said)

        here = getattr(row, "stage_id", None) if len(ids) == 1 else None
        choices = [(name, stage_id) for stage_id, name in names.items()]
        question = ChoiceModal(f"Move {deals_text(len(ids))} to", choices, str(here))
        self.app.push_screen(question, chosen)

    def action_restore(self) -> None:
        if ids := self._targets():
            self._write(lambda: deals.restore_deals(ids), f"Restored {deals_text(len(ids))}.")

    def action_to_lead(self) -> None:
        """The deal, or the selection: at most 100, the service says so otherwise."""
        if ids := self._targets():
            self._write(
                lambda: deal_to_lead.deals_to_leads(ids),
                lambda made: (
                    f"Back to the inbox as {'1 lead' if len(made) == 1 else f'{len(made)} leads'}; "
                    f"{'the deal is' if len(made) == 1 else 'the deals are'} in the deleted "
                    "deals (T), where R restores; u undoes."
                ),
                leads=True,
            )

    def action_filtered_to_lead(self) -> None:
        try:
            deal_to_lead.check_filtered_count(self.total or 0)  # refused before any question
        except ValueError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return
        query = deals.DealQuery(self.filter, self.table.sort)  # type: ignore[arg-type]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(
                    lambda: deal_to_lead.filtered_deals_to_leads(query),
                    lambda made: f"Converted {deals_text(len(made))} back to leads (u undoes).",
                    leads=True,
                )

        what = deals_text(self.total or 0)
        question = ConfirmModal(f"Convert all {what} in view back to leads?", "u undoes it.")
        self.app.push_screen(question, confirmed)

    def action_undo(self) -> None:
        self._write(
            undo_last,
            lambda undone: f"Undid: {undone.description}" if undone else "Nothing to undo.",
            leads=True,
        )

    def action_board(self) -> None:
        from leadbox_tui.ui.screens.board import BoardScreen  # the board needs the deals first

        row = self.table.row_at(self.table.cursor)
        pipeline_id = getattr(row, "pipeline_id", None)
        self.app.push_screen(BoardScreen(pipeline_id), lambda _: self.table.reload())

    # -- writes ----------------------------------------------------------------------------

    @work(thread=True, group="deal-writes")
    def _write(
        self, write: Callable[[], Any], said: str | Callable[[Any], str], leads: bool = False
    ) -> None:
        try:
            result = write()
            said, failed = said if isinstance(said, str) else said(result), False
        except ValueError as error:  # the services' refusals (the 100-deal limit among them)
            said, failed = str(error), True
        except Exception as error:
            said, failed = f"Not saved: {error}", True
        finally:
            close_database()
        self.app.call_from_thread(self._written, said, failed, leads)

    def _written(self, said: str, failed: bool, leads: bool) -> None:
        said = said[:1].upper() + said[1:]
        self.notify(one_line(said), severity="error" if failed else "information", markup=False)
        if failed:
            return
        self.made_leads = self.made_leads or leads
        self.selected.clear()
        self.table.reload()  # its cursor moving on to another deal moves the panel on too
        if self.detail.lead_id is not None:
            self.detail.show_now(self.detail.lead_id)
