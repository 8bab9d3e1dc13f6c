"""The inbox's triage keys: add (``n``), edit (``e``), note (``N``), activity (``t``), labels
(``l``), archive (``a``), delete (``d``), undo (``u``), the trash and the label list; pin a note
(``p``) and mark an activity done (``x``) from the detail panel.

``InboxScreen`` inherits these, so its module stays about the view. The pattern is the house's:
what a dialog needs is read in a thread worker, the dialog dismisses a value, the write goes
through a service in a worker, and every write ends with a notification saying what happened
and the table (and the detail panel, when it shows the lead) read again. Each dialog is
imported where it opens, so the inbox's first frame does not wait for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.screen import Screen

from leadbox_tui.services import activities, bulk, labels, leads, notes, users
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import LeadRow
from leadbox_tui.services.session import close_database
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.messages import LeadsCounted
from leadbox_tui.ui.widgets.detail_panel import read_lead

if TYPE_CHECKING:
    from leadbox_tui.services.inbox import InboxFilter
    from leadbox_tui.ui.modals.activity import ActivityRequest
    from leadbox_tui.ui.modals.edit_field import FieldEdit
    from leadbox_tui.ui.widgets.detail_panel import DetailPanel
    from leadbox_tui.ui.widgets.lead_table import LeadTable

T = TypeVar("T")
ON_A_LEAD = frozenset({"edit", "add_note", "schedule", "labels", "archive", "delete"})


def quoted(title: str) -> str:
    return repr(one_line(title))


class TriageActions(Screen[None]):
    if TYPE_CHECKING:  # InboxScreen's
        table: LeadTable
        detail: DetailPanel
        filter: InboxFilter

    def triage_check(self, action: str) -> bool | None:
        """For ``check_action``: keys that need a lead, a note or an activity under the cursor
        stay out of the footer (and let the key through) while there is none."""
        if action in ON_A_LEAD:
            return not self.has_class("-empty")
        item = self.detail.selected
        if action == "pin_note":
            return item is not None and item[0] == "note"
        if action == "mark_done":
            return item is not None and item[0] == "activity"
        return True

    def on_leads_counted(self, message: LeadsCounted) -> None:
        """Leads in an inbox that was empty (a lead added, a delete undone): the table was
        hidden, so nothing had the focus; the table takes the keys again."""
        if message.total and self.focused is None:
            self.call_after_refresh(self.table.focus)

    def _lead(self) -> LeadRow | None:
        """The lead under the table's cursor (the one the detail panel shows), if read yet."""
        row = self.table.row_at(self.table.cursor)
        if row is None:
            self.notify("No lead here.", severity="warning")
        return row

    # -- the plumbing ----------------------------------------------------------------------

    def _read_then(self, read: Callable[[], T], then: Callable[[T], object]) -> None:
        """Read what a dialog needs off the UI thread, then open it on the UI thread; the keys
        typed meanwhile are for the dialog (``LeadboxApp.hold_keys``)."""
        self.app.hold_keys()  # type: ignore[attr-defined]
        self._read_in_worker(read, then)

    @work(thread=True, group="triage-reads")
    def _read_in_worker(self, read: Callable[[], T], then: Callable[[T], object]) -> None:
        try:
            data = read()
        except Exception as error:  # a locked or broken file: say so, open nothing
            self.app.call_from_thread(
                self.notify, f"Could not read: {error}", severity="error", markup=False
            )
            self.app.call_from_thread(self.app.release_keys)  # type: ignore[attr-defined]
            return
        finally:
            close_database()  # this worker thread's connection
        self.app.call_from_thread(self._open, then, data)

    def _open(self, then: Callable[[T], object], data: T) -> None:
        """``then`` with what was read; the keys held go on if it opened no screen."""
        shown = self.app.screen
        then(data)
        if self.app.screen is shown:
            self.app.release_keys()  # type: ignore[attr-defined]

    @work(thread=True, group="inbox-writes")
    def _triage_write(
        self, write: Callable[[], T], said: str | Callable[[T], str], lead_id: int | None
    ) -> None:
        """One write through the services; then say what it did (``said``, or made from what
        the write returned) and read the leads again."""
        try:
            result = write()
            said, failed = said if isinstance(said, str) else said(result), False
        except ValueError as error:  # the services' refusals: one line for the seller
            said, failed = str(error), True
        except Exception as error:  # a locked or read-only file: nothing was written
            said, failed = f"Not saved: {error}", True
        finally:
            close_database()  # this worker thread's connection
        self.app.call_from_thread(self._written, said, failed, lead_id)

    def _written(self, said: str, failed: bool, lead_id: int | None) -> None:
        said = said[:1].upper() + said[1:]
        self.notify(one_line(said), severity="error" if failed else "information", markup=False)
        if failed:
            return
        self.table.reload()
        if lead_id is not None and self.detail.lead_id == lead_id:
            self.detail.show_now(lead_id)

    def _push(self, screen: Screen[Any], done: Callable[[Any], object]) -> None:
        self.app.push_screen(screen, done)

    # -- add and edit ----------------------------------------------------------------------

    def action_new_lead(self) -> None:
        from leadbox_tui.ui.modals.add_lead import AddLeadModal

        self._read_then(
            lambda: (users.list_users(), labels.list_labels()),
            lambda found: self._push(AddLeadModal(*found), self._added),
        )

    def _added(self, added: list[int] | None) -> None:
        if added:
            self.table.reload()

    def action_edit(self) -> None:
        """``e``: the field, note or activity under the detail panel's cursor, else a field of
        the lead under the table's cursor, picked from a list."""
        item = self.detail.selected
        if item is not None and item[0] == "note":
            self._edit_note(int(item[1]))  # type: ignore[call-overload]
            return
        if item is not None and item[0] == "activity":
            self.notify("x marks it done or not done; t schedules another.")
            return
        row = self._lead()
        if row is None:
            return
        field = str(item[1]) if item is not None else None
        self._read_then(
            lambda: (read_lead(row.id), users.list_users()),
            lambda found: self._open_editor(row, field, *found),
        )

    def _open_editor(self, row: LeadRow, field: str | None, detail: Any, people: Any) -> None:
        from leadbox_tui.ui.modals.edit_field import EditFieldModal

        if detail is None:
            self.notify("This lead is gone.", severity="warning")
            return
        self._push(EditFieldModal(detail, people, field), lambda edit: self._edited(row, edit))

    def _edited(self, row: LeadRow, edit: FieldEdit | None) -> None:
        if edit is None:
            return

        name = bulk.BULK_FIELDS[edit.field].lower()
        verb = "Cleared" if edit.value is None else "Changed"
        self._triage_write(
            lambda: bulk.bulk_edit([row.id], edit.field, edit.value).changed,
            lambda changed: (
                f"{verb} the {name} of {quoted(row.title)}."
                if changed
                else f"The {name} of {quoted(row.title)} was already so."
            ),
            row.id,
        )

    # -- notes -----------------------------------------------------------------------------

    def action_add_note(self) -> None:
        from leadbox_tui.ui.modals.note import NoteModal

        row = self._lead()
        if row is not None:
            self._push(NoteModal(row.title), lambda text: self._note_written(row, text))

    def _note_written(self, row: LeadRow, text: str | None) -> None:
        if text is not None:
            said = f"Added a note to {quoted(row.title)}."
            self._triage_write(lambda: notes.add_note(row.id, text), said, row.id)

    def _edit_note(self, note_id: int) -> None:
        from leadbox_tui.ui.modals.note import NoteModal

        shown = self.detail.shown
        note = next((n for n in shown.notes if n.id == note_id), None) if shown else None
        if shown is None or note is None:
            return

        def changed(text: str | None) -> None:
            if text is not None:
                self._triage_write(
                    lambda: notes.edit_note(note_id, text),
                    lambda changed: "Changed the note." if changed else "The note did not change.",
                    shown.id,
                )

        self._push(NoteModal(shown.title, note.body), changed)

    def action_pin_note(self) -> None:
        note_id = self.detail.id_of(self.detail.item, "note")
        shown = self.detail.shown
        if note_id is None or shown is None:
            return
        pinned = any(n.pinned for n in shown.notes if n.id == note_id)
        said = "Unpinned the note." if pinned else "Pinned the note to the top."
        self._triage_write(lambda: notes.pin_note(note_id, not pinned), said, shown.id)

    # -- activities ------------------------------------------------------------------------

    def action_schedule(self) -> None:
        from leadbox_tui.ui.modals.activity import ActivityModal

        row = self._lead()
        if row is not None:
            self._push(ActivityModal(row.title), lambda asked: self._scheduled(row, asked))

    def _scheduled(self, row: LeadRow, asked: ActivityRequest | None) -> None:
        if asked is None:
            return
        said = asked.said_on(row.title, dt.date.today())
        self._triage_write(
            lambda: activities.schedule_activity(
                row.id, asked.kind, asked.subject, asked.due_date, asked.due_time
            ),
            said,
            row.id,
        )

    def action_mark_done(self) -> None:
        activity_id = self.detail.id_of(self.detail.item, "activity")
        shown = self.detail.shown
        if activity_id is None or shown is None:
            return
        done = any(a.done for a in shown.activities if a.id == activity_id)
        said = "Marked not done." if done else "Marked done."
        self._triage_write(lambda: activities.mark_done(activity_id, not done), said, shown.id)

    # -- labels ----------------------------------------------------------------------------

    def action_labels(self) -> None:
        from leadbox_tui.ui.modals.pick_labels import PickLabelsModal

        row = self._lead()
        if row is None:
            return
        self._read_then(
            lambda: (labels.list_labels(), labels.label_ids_of(row.id)),
            lambda found: self._push(
                PickLabelsModal(row.title, *found), lambda ids: self._labelled(row, ids)
            ),
        )

    def _labelled(self, row: LeadRow, label_ids: list[int] | None) -> None:
        if label_ids is None:
            return

        self._triage_write(
            lambda: labels.set_lead_labels(row.id, label_ids),
            lambda changed: (
                f"Changed the labels of {quoted(row.title)}."
                if changed
                else f"The labels of {quoted(row.title)} did not change."
            ),
            row.id,
        )

    def action_manage_labels(self) -> None:
        from leadbox_tui.ui.modals.manage_labels import LabelsModal

        self._push(LabelsModal(), self._labels_managed)

    def _labels_managed(self, changed: bool | None) -> None:
        if changed:
            self.table.reload()
            if self.detail.lead_id is not None:
                self.detail.show_now(self.detail.lead_id)

    # -- archive, delete, undo, trash ------------------------------------------------------

    def action_archive(self) -> None:
        row = self._lead()
        if row is None:
            return
        if self.table.filter.archived:
            said = f"Unarchived {quoted(row.title)}: back in the inbox."
            self._triage_write(lambda: leads.unarchive([row.id]), said, None)
        else:
            said = f"Archived {quoted(row.title)} (A shows the archived leads, u undoes)."
            self._triage_write(lambda: leads.archive([row.id]), said, None)

    def action_delete(self) -> None:
        """``d``: the note under the detail panel's cursor, else the lead, once confirmed."""
        from leadbox_tui.ui.modals.confirm import ConfirmModal

        item = self.detail.selected
        if item is not None and item[0] == "note":
            note_id = int(item[1])  # type: ignore[call-overload]
            lead_id = self.detail.lead_id

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._triage_write(
                        lambda: notes.delete_note(note_id), "Deleted the note.", lead_id
                    )

            self._push(ConfirmModal("Delete this note?", "u undoes it.", "Delete"), confirmed)
            return
        row = self._lead()
        if row is None:
            return
        question = ConfirmModal(
            f"Delete the lead {quoted(row.title)}?",
            "It goes to the trash: View: trash (T) restores it, and u undoes.",
            "Delete",
        )
        said = f"Deleted {quoted(row.title)} (in the trash; u undoes)."

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._triage_write(lambda: leads.delete([row.id]), said, None)

        self._push(question, confirmed)

    def action_undo(self) -> None:
        self._triage_write(
            undo_last,
            lambda undone: f"Undid: {undone.description}" if undone else "Nothing to undo.",
            self.detail.lead_id,
        )

    def action_trash(self) -> None:
        from leadbox_tui.ui.screens.trash import TrashScreen

        self._push(TrashScreen(), self._back_from_trash)

    def _back_from_trash(self, changed: bool | None) -> None:
        if changed:
            self.table.reload()
