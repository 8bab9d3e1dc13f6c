"""The export dialog (``X``): the leads in view, in their order, to an XLSX or CSV file.

The file name says the format; the seller chooses the columns on screen or every field, and a
BOM for a CSV that Excel should read as UTF-8. The export runs in a thread worker with a
progress bar and can be stopped (no file is left behind); the dialog dismisses what was written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from leadbox_tui.services.exporter import (
    ALL_COLUMNS,
    EXPORT_COLUMNS,
    ExportCancelled,
    ExportResult,
    export_leads,
)
from leadbox_tui.services.inbox import InboxFilter, InboxQuery, InboxSort
from leadbox_tui.services.session import close_database
from leadbox_tui.services.vcard import export_lead_people
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.transfer_messages import (
    ExportFinished,
    ExportViewRead,
    WorkFailed,
    WorkProgressed,
    WorkStopped,
)
from leadbox_tui.ui.widgets.key_bar import KeyBar
from leadbox_tui.ui.widgets.lead_cells import header_title
from leadbox_tui.ui.widgets.path_input import PathInput
from leadbox_tui.ui.widgets.tick_box import TickBox

FORMATS = {
    ".xlsx": "XLSX workbook",
    ".xlsm": "XLSX workbook",
    ".csv": "CSV, comma-separated",
    ".txt": "CSV, comma-separated",
    ".tsv": "TSV, tab-separated",
    ".vcf": "vCards of the leads' people",
}
CSV_SUFFIXES = (".csv", ".txt", ".tsv")


def default_name(today: dt.date | None = None) -> str:
    return f"leads-{(today or dt.date.today()).isoformat()}.xlsx"


def export_path(text: str) -> Path:
    """The file a typed name means: ``~`` expanded, relative to the current directory."""
    return Path.cwd() / Path(os.path.expanduser(text.strip()))


class ExportModal(ModalScreen[ExportResult | None]):
    CSS_PATH = "../transfer.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("export")

    def __init__(self, filter: InboxFilter, sort: InboxSort, columns: Sequence[str]) -> None:
        super().__init__()
        self.query_to_export = InboxQuery(filter, sort)
        self.columns = [c for c in columns if c in EXPORT_COLUMNS]
        self.running = False
        self._work = 0
        self._worker: Worker | None = None
        self._replace: Path | None = None  # the existing file the seller agreed to replace

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export the leads in view", classes="dialog--title")
            yield Static("Counting the leads…", id="export-view")
            yield PathInput(
                default_name(), suffixes=tuple(FORMATS), placeholder="leads.xlsx", id="export-path"
            )
            yield Static(id="export-format", classes="export-help")
            yield TickBox("Every field, not only the columns on screen", id="all-fields")
            yield TickBox("Start the CSV with a BOM, for Excel", id="bom")
            yield Static(id="export-status")
            yield ProgressBar(id="export-progress", show_eta=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self._say("enter writes the file; esc cancels.", "")
        self._show_format()
        self.query_one("#export-path", PathInput).focus()
        self._read_view(self._work)

    @work(thread=True, group="export-view")
    def _read_view(self, work_id: int) -> None:
        try:
            query = self.query_to_export
            self.post_message(ExportViewRead(work_id, query.filter.describe(), query.total))
        except Exception as error:  # a locked inbox: the export will say so too
            self.post_message(WorkFailed(work_id, str(error)))
        finally:
            close_database()

    def on_export_view_read(self, message: ExportViewRead) -> None:
        sort = self.query_to_export.sort
        order = header_title(sort.column, sort.column, sort.descending)
        plural = "lead" if message.total == 1 else "leads"
        self.query_one("#export-view", Static).update(
            Text(one_line(f"{message.total:,} {plural} in view: {message.description}, by {order}"))
        )

    # -- the choices -----------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self._replace = None
        self._show_format()

    def _suffix(self) -> str:
        return export_path(self.query_one("#export-path", PathInput).value).suffix.lower()

    def _show_format(self) -> None:
        suffix = self._suffix()
        what = FORMATS.get(suffix)
        text = (
            f"Format: {what} (from the file name)"
            if what
            else "Name the file .xlsx, .csv or .tsv (or .vcf for the people's vCards)."
        )
        line = self.query_one("#export-format", Static)
        line.update(text)
        line.set_class(what is None, "-error")
        self.query_one("#bom", TickBox).disabled = suffix not in CSV_SUFFIXES
        self.query_one("#all-fields", TickBox).disabled = suffix == ".vcf"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.running
        if action in ("run", "cancel"):
            return not self.running
        return True

    # -- writing ---------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_run()

    def action_run(self) -> None:
        text = self.query_one("#export-path", PathInput).value
        if not text.strip():
            self._say("Type the name of the file first.", "error")
            return
        path = export_path(text)
        if path.suffix.lower() not in FORMATS:
            self._say(f"{path.name}: name it .xlsx, .csv, .tsv or .vcf.", "error")
            return
        if path.is_dir():
            self._say(f"{path} is a folder; add a file name.", "error")
            return
        if path.exists() and self._replace != path:
            self._replace = path
            self._say(f"{path.name} exists already: enter again replaces it.", "warning")
            return
        columns = ALL_COLUMNS if self.query_one("#all-fields", TickBox).value else self.columns
        bom = self.query_one("#bom", TickBox).value
        self.running = True
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._say(f"Writing {path}…  esc stops.", "")
        self.refresh_bindings()
        self._work += 1
        self._worker = self._export(self._work, path, tuple(columns), bom)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, work_id: int, path: Path, columns: tuple[str, ...], bom: bool) -> None:
        worker = get_current_worker()
        try:
            if path.suffix.lower() == ".vcf":
                count = export_lead_people(path, self.query_to_export)
                result = ExportResult(path, "vcard", count, 0.0)
            else:
                result = export_leads(
                    path,
                    self.query_to_export,
                    columns,
                    bom=bom,
                    progress=lambda done, total: self.post_message(
                        WorkProgressed(work_id, done, total)
                    ),
                    cancelled=lambda: worker.is_cancelled,
                )
            self.post_message(ExportFinished(work_id, result))
        except ExportCancelled:
            self.post_message(WorkStopped(work_id))
        except Exception as error:  # a folder that cannot be written, a full disk, a bad name
            self.post_message(WorkFailed(work_id, str(error)))
        finally:
            close_database()

    def on_work_progressed(self, message: WorkProgressed) -> None:
        if message.work == self._work and self.running:
            self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_export_finished(self, message: ExportFinished) -> None:
        self.dismiss(message.result)

    def on_work_stopped(self, message: WorkStopped) -> None:
        self._idle("Stopped: no file was written.", "warning")

    def on_work_failed(self, message: WorkFailed) -> None:
        if message.work == self._work:
            self._idle(message.error, "error")

    def _idle(self, text: str, kind: str) -> None:
        self.running = False
        self.query_one(ProgressBar).display = False
        self._say(text, kind)
        self.refresh_bindings()

    def _say(self, text: str, kind: str) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Text(one_line(text)))
        for name in ("error", "warning"):
            status.set_class(kind == name, f"-{name}")

    def action_stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self._say("Stopping…", "")

    def action_cancel(self) -> None:
        self.dismiss(None)
