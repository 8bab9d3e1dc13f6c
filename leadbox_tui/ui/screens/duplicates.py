"""The duplicates screen (``D``): groups of likely duplicate leads, people and organisations.

The scan runs in a process of its own (``services.scan_process``), waited on by a thread worker,
with a progress bar; when the seller leaves (``esc``) the process is ended at once. While it
runs the screen never waits on it: the app keeps drawing and answering keys (``ui.collector``
keeps the garbage collector from walking the scan's groups meanwhile).

Its groups come most certain first, each with why; from one the seller merges two records (the
merge view, then the merge service in a worker) or says "not duplicates", which is remembered so
the group is not offered again. The screen dismisses whether anything was written, so the inbox
knows to read its leads again.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from leadbox_tui.services import history
from leadbox_tui.services.duplicates import DuplicateGroup, mark_not_duplicates
from leadbox_tui.services.scan_process import STARTING, ScanCancelled, scan_in_process
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import collector, keymap
from leadbox_tui.ui.dedupe_messages import (
    Merged,
    NotDuplicatesMarked,
    ScanFinished,
    ScanProgressed,
    UndoFinished,
)
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.merging import MergeChoice, merged_text, start_merge
from leadbox_tui.ui.modals.merge_view import MergeModal
from leadbox_tui.ui.modals.pick_two import PickTwoModal
from leadbox_tui.ui.widgets.duplicate_groups import KIND_NAMES, DuplicateGroupsView
from leadbox_tui.ui.widgets.key_bar import KeyBar

NOUNS = {"lead": "leads", "person": "people", "organization": "organisations"}


def summary(groups: list[DuplicateGroup]) -> str:
    """ "12 groups of likely duplicates: 5 of leads, 7 of people · most certain first"."""
    if not groups:
        return "No likely duplicates. r scans again, esc goes back."
    counts = {kind: sum(g.kind == kind for g in groups) for kind in NOUNS}
    parts = [f"{n:,} of {NOUNS[kind]}" for kind, n in counts.items() if n]
    plural = "" if len(groups) == 1 else "s"
    found = f"{len(groups):,} group{plural} of likely duplicates"
    return f"{found}: {', '.join(parts)} · most certain first"


class DuplicatesScreen(Screen[bool], inherit_bindings=False):
    """Dismisses True when a merge, "not duplicates" or an undo wrote something."""
    CSS_PATH = "../duplicates.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("duplicates")

    def __init__(self) -> None:
        super().__init__()
        self.scanning = True  # from the start: the scan starts on mount
        self.changed = False
        self._generation = 0  # of the scan whose messages are still wanted
        self._busy = False  # a merge or a write of this screen is under way
        self._merging: DuplicateGroup | None = None  # the group the merge under way came from

    def compose(self) -> ComposeResult:
        yield Static(Text("Duplicates", style="bold"), id="dup-title")
        yield Static(id="dup-summary")
        with Horizontal(id="dup-progress"):
            yield Static(id="dup-stage")
            yield ProgressBar(total=100, show_eta=False, id="dup-bar")
        yield DuplicateGroupsView(id="dup-groups")
        yield KeyBar()  # one painted line: the footer rebuilt a widget per key at each change

    def on_mount(self) -> None:
        self.view.focus()
        self._start_scan()

    # -- the scan --------------------------------------------------------------------------

    def _start_scan(self) -> None:
        self._generation += 1
        if not self.scanning:  # a new scan (the first is composed scanning)
            self.scanning = True
            self.query_one("#dup-progress").remove_class("-done")
            self.refresh_bindings()
        self.query_one(ProgressBar).update(total=100, progress=0)
        self._stage(STARTING)
        self._say("Looking for likely duplicates…")
        collector.hold()
        self._scan(self._generation)

    def _stage(self, stage: str) -> None:
        self.query_one("#dup-stage", Static).update(stage, layout=False)  # one line, fixed width

    @work(thread=True, exclusive=True, group="duplicates-scan")
    def _scan(self, generation: int) -> None:
        """Waits on the scan's process, which sends its progress and groups; ``esc`` ends it."""
        worker = get_current_worker()

        def progress(done: int, total: int, stage: str) -> None:
            self.post_message(ScanProgressed(generation, done, total, stage))

        try:
            groups = scan_in_process(
                self.app.location, progress=progress, should_stop=lambda: worker.is_cancelled
            )
            self.post_message(ScanFinished(generation, groups))
        except ScanCancelled:
            pass  # the seller left; nothing was written
        except Exception as error:  # a locked or broken file: the screen says so
            self.post_message(ScanFinished(generation, None, str(error)))

    def on_scan_progressed(self, message: ScanProgressed) -> None:
        if message.generation == self._generation and self.scanning:
            self.query_one(ProgressBar).update(total=message.total, progress=message.done)
            self._stage(message.stage)

    def on_scan_finished(self, message: ScanFinished) -> None:
        if message.generation != self._generation or not self.scanning:
            return
        self.scanning = False
        collector.keep()
        self.query_one("#dup-progress").add_class("-done")
        if message.groups is None:
            self._say(Text(f"Could not scan: {one_line(message.error)}"))
        else:
            self._show(message.groups)
        self.call_after_refresh(self.refresh_bindings)  # the footer in the next frame: two short

    def _show(self, groups: list[DuplicateGroup]) -> None:
        self.view.show(groups)
        self._summarise()

    def _summarise(self) -> None:
        self._say(Text(summary(self.groups)))

    def _say(self, text: str | Text) -> None:
        self.query_one("#dup-summary", Static).update(text, layout=False)  # one line

    # -- keys ------------------------------------------------------------------------------

    @property
    def view(self) -> DuplicateGroupsView:
        return self.query_one(DuplicateGroupsView)

    @property
    def groups(self) -> list[DuplicateGroup]:
        return self.view.groups

    @property
    def current(self) -> DuplicateGroup | None:
        return self.view.current

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Merging, dismissing and undoing wait for the scan and for each other."""
        if action in {"merge", "not_duplicates"}:
            return None if self.scanning or self._busy or self.current is None else True
        if action in {"undo", "rescan"}:
            return None if self.scanning or self._busy else True
        return True

    def action_cursor_down(self) -> None:
        self.view.move_to(self.view.cursor + 1)

    def action_cursor_up(self) -> None:
        self.view.move_to(self.view.cursor - 1)

    def action_page_down(self) -> None:
        self.view.move_by_page(1)

    def action_page_up(self) -> None:
        self.view.move_by_page(-1)

    def action_first(self) -> None:
        self.view.move_to(0)

    def action_last(self) -> None:
        self.view.move_to(len(self.groups) - 1)

    def action_back(self) -> None:
        if self.scanning:
            self.workers.cancel_group(self, "duplicates-scan")
            self.scanning = False
        self.view.show([])  # freed now, not left to the collector
        self.dismiss(self.changed)

    def on_unmount(self) -> None:
        collector.release()  # left by esc, or the app closed on this screen

    def action_rescan(self) -> None:
        self._start_scan()

    # -- merge -----------------------------------------------------------------------------

    def action_merge(self) -> None:
        group = self.current
        if group is None:
            return
        if len(group.members) == 2:
            self._open_merge(group, (group.members[0].id, group.members[1].id))
        else:
            self.app.push_screen(PickTwoModal(group), lambda pair: self._open_merge(group, pair))

    def _open_merge(self, group: DuplicateGroup, pair: tuple[int, int] | None) -> None:
        if pair is not None:
            modal = MergeModal(group.kind, *pair)
            self.app.push_screen(modal, lambda choice: self._merge(group, choice))

    def _merge(self, group: DuplicateGroup, choice: MergeChoice | None) -> None:
        if choice is None:
            return
        self._busy = True
        self._merging = group
        self.refresh_bindings()
        start_merge(self, choice)

    def on_merged(self, message: Merged) -> None:
        self._busy = False
        self.refresh_bindings()
        if message.result is None:
            self.notify(f"Not merged: {message.error}", severity="error", markup=False)
            return
        self.changed = True
        self.notify(merged_text(message.plan, message.result), markup=False)
        group = self._merging
        if group in self.groups:
            gone = message.plan.other_id
            rest = tuple(m for m in group.members if m.id != gone)
            self._replace(group, replace(group, members=rest) if len(rest) > 1 else None)

    def _replace(self, group: DuplicateGroup, new: DuplicateGroup | None) -> None:
        """Show ``new`` in place of ``group``, or drop the group when it is done with."""
        self.view.replace(group, new)
        self._summarise()
        self.refresh_bindings()

    # -- not duplicates, undo --------------------------------------------------------------

    def action_not_duplicates(self) -> None:
        group = self.current
        if group is not None:
            self._busy = True
            self.refresh_bindings()
            self._mark_not_duplicates(group)

    @work(thread=True, group="duplicates-writes")
    def _mark_not_duplicates(self, group: DuplicateGroup) -> None:
        try:
            mark_not_duplicates(group.kind, group.ids)
            self.post_message(NotDuplicatesMarked(group))
        except Exception as error:
            self.post_message(NotDuplicatesMarked(group, str(error)))
        finally:
            close_database()

    def on_not_duplicates_marked(self, message: NotDuplicatesMarked) -> None:
        self._busy = False
        self.refresh_bindings()
        if message.error:
            self.notify(f"Not saved: {message.error}", severity="error", markup=False)
            return
        group = message.group
        ids = ", ".join(f"#{i}" for i in group.ids)
        self.notify(
            f"{KIND_NAMES[group.kind]} {ids} are not duplicates: they will not be offered "
            "again. u undoes it.",
            markup=False,
        )
        if group in self.groups:
            self._replace(group, None)

    def action_undo(self) -> None:
        self._busy = True
        self.refresh_bindings()
        self._undo()

    @work(thread=True, group="duplicates-writes")
    def _undo(self) -> None:
        try:
            self.post_message(UndoFinished(history.undo_last()))
        except Exception as error:
            self.post_message(UndoFinished(None, str(error)))
        finally:
            close_database()

    def on_undo_finished(self, message: UndoFinished) -> None:
        self._busy = False
        if message.error:
            self.notify(f"Not undone: {message.error}", severity="error", markup=False)
        elif message.undone is None:
            self.notify("Nothing to undo.")
        else:
            self.changed = True
            self.notify(f"Undid: {one_line(message.undone.description)}", markup=False)
            self._start_scan()  # what came back may be duplicates again
        self.refresh_bindings()
