"""The deals screen's detail panel keys, the inbox's on a deal: ``tab`` focuses the panel, ``j``
and ``k`` move over its items, ``N`` adds a note, ``t`` schedules an activity, ``e`` edits the
note, status or stage under the cursor, ``p`` pins a note, ``x`` marks an activity done,
``enter`` on a line naming a lead or another deal opens it.

``DealsScreen`` inherits these. The dialogs are the inbox's (note, activity, choices), the
writes go through the same services (``notes``, ``activities``) in the screen's write worker,
which says what happened and reads the table and the panel again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from leadbox_tui.services import activities, notes
from leadbox_tui.services.deal_detail import DealDetail, lead_whereabouts
from leadbox_tui.services.session import close_database
from leadbox_tui.ui.widgets.detail_panel import DetailPanel

if TYPE_CHECKING:
    from leadbox_tui.services.deals import DealFilter
    from leadbox_tui.ui.modals.activity import ActivityRequest
    from leadbox_tui.ui.widgets.deal_table import DealTable

STATUSES = [("Open", "open"), ("Won", "won"), ("Lost (asks why)", "lost")]


class DealDetailActions(Screen[Any]):
    if TYPE_CHECKING:  # DealsScreen's
        filter: DealFilter
        table: DealTable

        def _write(
            self, write: Callable[[], Any], said: str | Callable[[Any], str], leads: bool = False
        ) -> None: ...
        def _find(self, deal_id: int, sort: Any) -> None: ...
        def leave_for_lead(self, lead_id: int) -> None: ...
        def action_move_stage(self) -> None: ...
        def action_won(self) -> None: ...
        def action_lost(self) -> None: ...
        def action_reopen(self) -> None: ...

    @property
    def detail(self) -> DetailPanel:
        return self.query_one(DetailPanel)

    def detail_check(self, action: str) -> bool | None:
        """For ``check_action``: ``p`` and ``x`` only while a note or an activity is under the
        panel's cursor."""
        item = self.detail.selected
        if action == "pin_note":
            return item is not None and item[0] == "note"
        if action == "mark_done":
            return item is not None and item[0] == "activity"
        return True

    def action_switch_focus(self) -> None:
        (self.detail if self.table.has_focus else self.table).focus()

    def action_back(self) -> None:
        """``esc`` in the panel: back to the table (on the table, ``esc`` leaves the deals)."""
        self.table.focus()

    def _deal(self) -> DealDetail | None:
        """The deal the panel shows (the one under the table's cursor, once read)."""
        shown = self.detail.shown
        if shown is None:
            self.notify("No deal here.", severity="warning")
        return shown

    # -- notes -----------------------------------------------------------------------------

    def action_add_note(self) -> None:
        from leadbox_tui.ui.modals.note import NoteModal

        deal = self._deal()
        if deal is None:
            return

        def written(text: str | None) -> None:
            if text is not None:
                said = f"Added a note to {deal.title!r}."
                self._write(lambda: notes.add_deal_note(deal.id, text), said)

        self.app.push_screen(NoteModal(deal.title), written)

    def _edit_note(self, deal: DealDetail, note_id: int) -> None:
        from leadbox_tui.ui.modals.note import NoteModal

        note = next((n for n in deal.notes if n.id == note_id), None)
        if note is None:
            return

        def changed(text: str | None) -> None:
            if text is not None:
                self._write(
                    lambda: notes.edit_note(note_id, text),
                    lambda changed: "Changed the note." if changed else "The note did not change.",
                )

        self.app.push_screen(NoteModal(deal.title, note.body), changed)

    def action_pin_note(self) -> None:
        note_id, deal = self.detail.id_of(self.detail.selected, "note"), self.detail.shown
        if note_id is None or deal is None:
            return
        pinned = any(n.pinned for n in deal.notes if n.id == note_id)
        said = "Unpinned the note." if pinned else "Pinned the note to the top."
        self._write(lambda: notes.pin_note(note_id, not pinned), said)

    def delete_note_here(self) -> bool:
        """``d`` on a note under the panel's cursor deletes the note (once confirmed), not the
        deal; returns whether it was a note."""
        from leadbox_tui.ui.modals.confirm import ConfirmModal

        item = self.detail.selected
        if item is None or item[0] != "note":
            return False
        note_id = int(item[1])  # type: ignore[call-overload]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: notes.delete_note(note_id), "Deleted the note.")

        self.app.push_screen(ConfirmModal("Delete this note?", "u undoes it.", "Delete"), confirmed)
        return True

    # -- activities ------------------------------------------------------------------------

    def action_schedule(self) -> None:
        from leadbox_tui.ui.modals.activity import ActivityModal

        deal = self._deal()
        if deal is not None:
            self.app.push_screen(
                ActivityModal(deal.title), lambda asked: self._scheduled(deal, asked)
            )

    def _scheduled(self, deal: DealDetail, asked: ActivityRequest | None) -> None:
        if asked is None:
            return
        said = asked.said_on(deal.title, dt.date.today())
        self._write(
            lambda: activities.schedule_deal_activity(
                deal.id, asked.kind, asked.subject, asked.due_date, asked.due_time
            ),
            said,
        )

    def action_mark_done(self) -> None:
        activity_id, deal = self.detail.id_of(self.detail.selected, "activity"), self.detail.shown
        if activity_id is None or deal is None:
            return
        done = any(a.done for a in deal.activities if a.id == activity_id)
        said = "Marked not done." if done else "Marked done."
        self._write(lambda: activities.mark_done(activity_id, not done), said)

    # -- edit and open ---------------------------------------------------------------------

    def action_edit(self) -> None:
        """``e``: the note, status or stage under the panel's cursor; on the table, the stage."""
        item, deal = self.detail.selected, self.detail.shown
        if item is None or item == ("field", "stage"):
            self.action_move_stage()
        elif item[0] == "note" and deal is not None:
            self._edit_note(deal, int(item[1]))  # type: ignore[call-overload]
        elif item == ("field", "status") and deal is not None:
            self._choose_status(deal)
        elif item[0] == "activity":
            self.notify("x marks it done or not done; t schedules another.")
        else:
            self.notify("enter opens it.")

    def _choose_status(self, deal: DealDetail) -> None:
        from leadbox_tui.ui.modals.dialogs import ChoiceModal

        actions = {"open": self.action_reopen, "won": self.action_won, "lost": self.action_lost}

        def chosen(status: str | None) -> None:
            if status is not None and status != deal.status:
                actions[status]()

        self.app.push_screen(ChoiceModal("Status of the deal", STATUSES, deal.status), chosen)

    def action_open_deal(self) -> None:
        """``enter`` in the panel: the lead or the deal the line under the cursor names."""
        item, deal = self.detail.selected, self.detail.shown
        if item is None or deal is None:
            return
        if item[0] == "lead":
            self._open_lead(int(item[1]))  # type: ignore[call-overload]
        elif item[0] == "change":
            link = deal.changes[int(item[1])].link  # type: ignore[call-overload]
            if link is not None and link[0] == "lead":
                self._open_lead(link[1])
            elif link is not None:
                self._find(link[1], self.table.sort)

    @work(thread=True, exclusive=True, group="deal-open-lead")
    def _open_lead(self, lead_id: int) -> None:
        """Back to the inbox on the lead if it is there; else say where it went (converted to
        this deal, archived, in the trash...) and stay."""
        try:
            where = lead_whereabouts(lead_id)
        except Exception as error:
            where = f"Could not open lead {lead_id}: {error}"
        finally:
            close_database()
        if where is None:
            self.app.call_from_thread(self.leave_for_lead, lead_id)
        else:
            self.app.call_from_thread(self.notify, where, markup=False, timeout=8)
