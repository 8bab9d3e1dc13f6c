"""The selection and the bulk actions of the inbox: ``space`` selects the lead under the cursor
(and moves on), ``v`` extends from the lead last selected to the cursor, ``*`` selects every
lead the filter matches (as the filter: no million ids in memory), ``esc`` clears. With a
selection, ``e``/``l``/``a``/``d`` on the table edit a field, labels, archive and delete all of
it; ``o`` assigns an owner (to the lead under the cursor when nothing is selected).

Each bulk action is one service call: one transaction and one undo step. It runs in a thread
worker that reports its progress to a bar (for large selections) and can be stopped with
``esc``: the transaction is then rolled back and nothing changes. The selection is cleared
after every action, since the leads it held may have left the view. The dialogs are imported
where they open, so the inbox's first frame does not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from leadbox_tui.services import bulk, labels, users
from leadbox_tui.services.bulk import BulkResult
from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.session import close_database
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.selection import Selection, leads_text
from leadbox_tui.ui.widgets.task_bar import TaskBar

if TYPE_CHECKING:
    from leadbox_tui.services.inbox import InboxSort
    from leadbox_tui.ui.modals.bulk_edit import BulkEdit, LabelChange
    from leadbox_tui.ui.widgets.detail_panel import DetailPanel
    from leadbox_tui.ui.widgets.lead_table import LeadTable

T = TypeVar("T")
Target = Sequence[int] | InboxQuery
Work = Callable[[Target, bulk.Progress], BulkResult]
BAR_FROM = 2_000  # selections this large show a progress bar
ON_SELECTION = frozenset({"bulk_edit", "bulk_labels", "bulk_archive", "bulk_delete"})


class BulkProgress(Message, bubble=False):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class BulkFinished(Message, bubble=False):
    def __init__(
        self, result: BulkResult | None = None, error: str = "", stopped: bool = False
    ) -> None:
        super().__init__()
        self.result = result
        self.error = error
        self.stopped = stopped


class RangeRead(Message, bubble=False):
    """The ids of a range of rows, read for ``v`` (rows beyond the pages in memory)."""

    def __init__(self, view: InboxFilter, ids: list[int], anchor: int) -> None:
        super().__init__()
        self.view = view
        self.ids = ids
        self.anchor = anchor


class BulkStopped(Exception):
    """The seller stopped the bulk action: raised inside its transaction, which rolls back."""


def changed_text(result: BulkResult) -> str:
    """What a bulk action did, for the notification."""
    said = f"{result.description}."
    unchanged = result.selected - result.changed
    if result.changed and unchanged > 0:
        said += f" {unchanged:,} already had it."
    elif not result.changed:
        said += " Nothing needed changing."
    return said + " u undoes it."


class SelectionActions(Screen[None]):
    if TYPE_CHECKING:  # InboxScreen's
        table: LeadTable
        detail: DetailPanel
        filter: InboxFilter
        sort: InboxSort
        total: int | None

        def _show_status(self) -> None: ...
        def clear_search(self) -> None: ...
        def set_filter(self, view: InboxFilter, name: str | None = None) -> None: ...

    selection: Selection
    _bulk_running = False
    _had_selection = False

    def __init__(self) -> None:
        super().__init__()
        self.selection = Selection()

    def selection_check(self, action: str) -> bool | None:
        """For ``check_action``: the selection's keys stay out of the footer (and let the
        lead's own keys through) while nothing is selected."""
        if action in ON_SELECTION:
            return bool(self.selection)
        if action == "clear_layer":
            return self._bulk_running or bool(self.selection) or self.filter != InboxFilter()
        return True

    def selection_text(self) -> str:
        """For the status line: "12 selected", "all 1,250 selected"; empty with no selection."""
        return f"{self.selection.describe()} selected" if self.selection else ""

    def selection_changed(self) -> None:
        self.table.marked = self.selection.marked
        self.table.refresh_marks()
        self._show_status()
        if bool(self.selection) != self._had_selection:  # the footer's keys change with it
            self._had_selection = bool(self.selection)
            self.refresh_bindings()  # (a footer redrawn for nothing costs a frame or more)

    def selection_counted(self, total: int) -> None:
        """The view was counted: a ``*`` selection of it is that many leads."""
        if self.selection.everything is self.filter and self.selection.everything_count is None:
            self.selection.everything_count = total
            self._show_status()

    # -- selecting -------------------------------------------------------------------------

    def action_toggle_selected(self) -> None:
        row = self.table.row_at(self.table.cursor)
        if row is None:
            return
        if self.selection.everything is not None:
            self.notify("Every lead of the filter is selected: esc clears it first.")
            return
        self.selection.toggle(row.id, self.table.cursor)
        self.selection_changed()
        self.table.action_cursor_down()

    def action_extend_selection(self) -> None:
        anchor = self.selection.anchor
        if anchor is None or self.selection.everything is not None:
            self.action_toggle_selected()
            return
        first, last = sorted((anchor, self.table.cursor))
        rows = [self.table.row_at(index) for index in range(first, last + 1)]
        if all(row is not None for row in rows):
            self._add_range([row.id for row in rows if row is not None], self.table.cursor)
        else:
            self._read_range(self.filter, self.sort, first, last - first + 1, self.table.cursor)

    @work(thread=True, exclusive=True, group="selection-range")
    def _read_range(
        self, view: InboxFilter, sort: InboxSort, offset: int, limit: int, anchor: int
    ) -> None:
        try:
            ids = InboxQuery(view, sort).ids(offset, limit)
            self.post_message(RangeRead(view, ids, anchor))
        except Exception as error:
            self.app.call_from_thread(
                self.notify, f"Could not read: {error}", severity="error", markup=False
            )
        finally:
            close_database()

    def on_range_read(self, message: RangeRead) -> None:
        if message.view is self.filter:
            self._add_range(message.ids, message.anchor)

    def _add_range(self, ids: list[int], anchor: int) -> None:
        added = self.selection.add(ids, anchor)
        self.selection_changed()
        self.notify(f"Selected {leads_text(added)} more ({leads_text(len(ids))} in the range).")

    def action_select_all(self) -> None:
        self.selection.select_everything(self.filter, self.total)
        self.selection_changed()

    def action_clear_layer(self) -> None:
        """``esc`` on the table peels one layer: a running bulk action (stopped), the
        selection, the search, then the filter."""
        if self._bulk_running:
            self.workers.cancel_group(self, "bulk")
            self.notify("Stopping…")
        elif self.selection:
            self.selection.clear()
            self.selection_changed()
        elif self.filter.search:
            self.clear_search()
        elif self.filter != InboxFilter():
            self.set_filter(InboxFilter())

    # -- the bulk actions ------------------------------------------------------------------

    def _target(self) -> tuple[Target, str] | None:
        """What an action applies to: the selection, else the lead under the cursor."""
        if self.selection:
            return self.selection.target(self.sort), self.selection.describe()
        row = self.table.row_at(self.table.cursor)
        if row is None:
            self.notify("No lead here.", severity="warning")
            return None
        return [row.id], repr(one_line(row.title))

    @work(thread=True, group="bulk-reads")
    def _fetch_then(self, read: Callable[[], T], then: Callable[[T], object]) -> None:
        """Read what a dialog needs off the UI thread, then open it on the UI thread."""
        try:
            found = read()
        except Exception as error:
            self.app.call_from_thread(
                self.notify, f"Could not read: {error}", severity="error", markup=False
            )
            return
        finally:
            close_database()
        self.app.call_from_thread(then, found)

    def action_assign_owner(self) -> None:
        from leadbox_tui.ui.modals.bulk_edit import owner_choices
        from leadbox_tui.ui.modals.dialogs import ChoiceModal

        target = self._target()
        if target is None:
            return
        ids, what = target

        def chosen(owner: str | None) -> None:
            if owner is not None:
                self._start(f"Assigning an owner to {what}", ids, _owner_work(int(owner)))

        def ask(people: list[Any]) -> None:
            choices = [(str(text), str(user_id)) for text, user_id in owner_choices(people)]
            self.app.push_screen(ChoiceModal(f"Owner of {what}", choices), chosen)

        self._fetch_then(users.list_users, ask)

    def action_bulk_edit(self) -> None:
        from leadbox_tui.ui.modals.bulk_edit import BulkEditModal

        ids, what = self.selection.target(self.sort), self.selection.describe()

        def chosen(edit: BulkEdit | None) -> None:
            if edit is not None:
                name = bulk.BULK_FIELDS[edit.field].lower()
                self._start(f"Editing the {name} of {what}", ids, _edit_work(edit))

        self._fetch_then(
            users.list_users,
            lambda people: self.app.push_screen(BulkEditModal(what, people), chosen),
        )

    def action_bulk_labels(self) -> None:
        from leadbox_tui.ui.modals.bulk_edit import BulkLabelsModal

        ids, what = self.selection.target(self.sort), self.selection.describe()

        def chosen(change: LabelChange | None) -> None:
            if change is not None:
                verb = "Adding labels to" if change.add else "Removing labels from"
                self._start(f"{verb} {what}", ids, _labels_work(change))

        self._fetch_then(
            labels.list_labels,
            lambda found: self.app.push_screen(BulkLabelsModal(what, found), chosen),
        )

    def action_bulk_archive(self) -> None:
        ids, what = self.selection.target(self.sort), self.selection.describe()
        if self.filter.archived:
            self._start(f"Unarchiving {what}", ids, bulk.unarchive)
        else:
            self._start(f"Archiving {what}", ids, bulk.archive)

    def action_bulk_delete(self) -> None:
        from leadbox_tui.ui.modals.confirm import ConfirmModal

        ids, what = self.selection.target(self.sort), self.selection.describe()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._start(f"Deleting {what}", ids, bulk.delete)

        question = ConfirmModal(
            f"Delete {what}?", "They go to the trash (T); u undoes it.", "Delete"
        )
        self.app.push_screen(question, confirmed)

    # -- running one -----------------------------------------------------------------------

    @property
    def task_bar(self) -> TaskBar:
        return self.query_one(TaskBar)

    def _start(self, label: str, target: Target, run: Work) -> None:
        if self._bulk_running:
            self.notify("A bulk action is still running (esc stops it).", severity="warning")
            return
        self._bulk_running = True
        large = isinstance(target, InboxQuery) or len(target) >= BAR_FROM
        if large:
            self.task_bar.start(f"{label}…")
        self.refresh_bindings()
        self._run_bulk(run, target)

    @work(thread=True, group="bulk")
    def _run_bulk(self, run: Work, target: Target) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise BulkStopped
            self.post_message(BulkProgress(done, total))

        try:
            message = BulkFinished(run(target, progress))
        except BulkStopped:
            message = BulkFinished(stopped=True)
        except ValueError as error:  # refused by the service: nothing was written
            message = BulkFinished(error=str(error))
        except Exception as error:  # a locked or read-only file: nothing was written
            message = BulkFinished(error=f"Not saved: {error}")
        finally:
            close_database()
        self.post_message(message)

    def on_bulk_progress(self, message: BulkProgress) -> None:
        self.task_bar.advance(message.done, message.total)

    def on_bulk_finished(self, message: BulkFinished) -> None:
        self._bulk_running = False
        self.task_bar.end()
        if message.stopped:
            self.notify("Stopped: nothing was changed.", markup=False)
        elif message.result is None:
            said = message.error[:1].upper() + message.error[1:]
            self.notify(one_line(said), severity="error", markup=False)
        else:
            self.notify(one_line(changed_text(message.result)), markup=False)
            self.selection.clear()
            self.selection_changed()
            self.table.reload()
            if self.detail.lead_id is not None:
                self.detail.show_now(self.detail.lead_id)
        self.refresh_bindings()


def _owner_work(owner: int) -> Work:
    return lambda target, progress: bulk.assign_owner(target, owner, progress)


def _edit_work(edit: BulkEdit) -> Work:
    return lambda target, progress: bulk.bulk_edit(target, edit.field, edit.value, progress)


def _labels_work(change: LabelChange) -> Work:
    apply = bulk.add_labels if change.add else bulk.remove_labels
    return lambda target, progress: apply(target, change.label_ids, progress)
