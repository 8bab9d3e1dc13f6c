"""The import wizard (``i``): a file, its columns, a preview, the rows already known, the import
with its progress, and the report, from which ``u`` takes the whole import back.

Spreadsheets go through every step; e-mails (.eml) and vCards (.vcf) have nothing to map and
are imported as soon as they are chosen. Reading and writing run in thread workers that report
by message; the screen owns every state change. Nothing is written before the import step,
which is one undoable action: stopped, failed or refused, it leaves the inbox as it was.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from leadbox_tui.services import importer
from leadbox_tui.services.email_import import import_emails
from leadbox_tui.services.import_undo import last_action_id, undo_import
from leadbox_tui.services.importer import (
    DUPLICATE_CHOICES,
    ImportCancelled,
    ImportReport,
    PreviewRow,
)
from leadbox_tui.services.mapping import Mapping, guess_mapping
from leadbox_tui.services.session import close_database
from leadbox_tui.services.spreadsheet import Table, open_table
from leadbox_tui.services.vcard import import_vcards
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.transfer_messages import (
    DuplicatesScanned,
    ImportFinished,
    ImportUndone,
    PreviewReady,
    TableOpened,
    WorkFailed,
    WorkProgressed,
    WorkStopped,
)
from leadbox_tui.ui.widgets.import_mapping import MappingStep, SourceChoice, set_status
from leadbox_tui.ui.widgets.import_tables import (
    DuplicatesTable,
    PreviewTable,
    ReportTable,
    counted,
    row_problems,
)
from leadbox_tui.ui.widgets.key_bar import KeyBar
from leadbox_tui.ui.widgets.path_input import PathInput

EMAIL_SUFFIXES = (".eml",)
VCARD_SUFFIXES = (".vcf", ".vcard")
OFFERED = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", *EMAIL_SUFFIXES, *VCARD_SUFFIXES)
SAMPLE_ROWS = 3
SHOWN_SECONDS = 2  # a quicker import's time tells the seller nothing
DUPLICATE_LABELS = {
    "skip": "Skip them: the inbox keeps what it has",
    "merge": "Merge each into the contact it matches, and into their open lead",
    "import": "Import them anyway, as new people and leads",
}
STEPS = ("file", "mapping", "preview", "duplicates", "working", "report")
STEP_TITLES = {
    "file": "Choose a file",
    "mapping": "Columns",
    "preview": "Preview",
    "duplicates": "Already in the inbox",
    "working": "Import",
    "report": "Report",
}
FILE_HELP = (
    "A spreadsheet (XLSX, XLSM, CSV or TSV), e-mails (.eml) or vCards (.vcf).\n"
    "tab or → completes the path; enter opens the file."
)


def kind_of(path: Path) -> str:
    """ "email", "vcard" or "table" (a spreadsheet, or a file the reader will refuse)."""
    name = path.name.lower()
    if name.endswith(EMAIL_SUFFIXES):
        return "email"
    if name.endswith(VCARD_SUFFIXES):
        return "vcard"
    return "table"


def report_summary(report: ImportReport) -> str:
    """ "leads.csv: 120 leads added, 3 merged, 4 skipped, 2 rejected." (and the time it took,
    when it was long enough to matter)"""
    parts = [f"{counted(report.added, report.what)} added", f"{report.merged:,} merged"]
    parts += [f"{len(report.skipped):,} skipped", f"{len(report.rejected):,} rejected"]
    took = f" in {report.seconds:.0f} s" if report.seconds >= SHOWN_SECONDS else ""
    return f"{report.file}: {', '.join(parts)}{took}."


def shown_path(path: Path) -> str:
    """A path as the seller would type it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class ImportOutcome:
    """What the wizard did, for the inbox to reload and say."""

    report: ImportReport
    undone: bool


class ImportScreen(ModalScreen[ImportOutcome | None]):
    CSS_PATH = "../transfer.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("import")

    def __init__(self, start_path: str = "") -> None:
        super().__init__()
        self.start_path = start_path
        self.step = "file"
        self.path: Path | None = None
        self.table: Table | None = None
        self.preview_rows: list[PreviewRow] = []
        self.choice = "skip"
        self.report: ImportReport | None = None
        self.since = 0  # the last action before the import: undo takes back what came after
        self.undone = False
        self._work = 0  # the piece of work whose messages count; older ones are dropped
        # set by esc; a worker sees it at its next check, even one that had not started yet
        self._stop = threading.Event()
        self._stoppable = self._stopping = False
        self._back_to = "file"  # where a stopped or failed piece of work returns
        self._stands_for = "working"  # the step the header names while a worker runs

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog"):
            yield Static(id="import-title")
            with ContentSwitcher(initial="step-file", id="import-steps"):
                with Vertical(id="step-file"):
                    yield Static(FILE_HELP, classes="import-help")
                    yield PathInput(
                        self.start_path,
                        suffixes=OFFERED,
                        placeholder="leads.xlsx, contacts.csv, message.eml, cards.vcf",
                        id="import-path",
                    )
                    yield Static(id="file-status", classes="import-status")
                yield MappingStep(id="step-mapping")
                with Vertical(id="step-preview"):
                    yield Static(id="preview-info")
                    yield PreviewTable(id="preview")
                    yield Static(id="preview-row", classes="import-status")
                with Vertical(id="step-duplicates"):
                    yield Static(id="duplicates-info")
                    yield OptionList(
                        *(Option(DUPLICATE_LABELS[c], id=c) for c in DUPLICATE_CHOICES),
                        id="duplicates-choice",
                    )
                    yield DuplicatesTable(id="duplicates")
                with Vertical(id="step-working"):
                    yield Static(id="work-title")
                    yield ProgressBar(id="work-progress", show_eta=False)
                    yield Static(id="work-hint", classes="import-help")
                with Vertical(id="step-report"):
                    yield Static(id="report-summary")
                    yield Static(id="report-file", classes="import-help")
                    yield ReportTable(id="report")
                    yield Static(id="report-more", classes="import-help")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show("file")

    def _show(self, step: str, focus: str | None = None) -> None:
        self.step = step
        self.query_one(ContentSwitcher).current = f"step-{step}"
        shown = self._stands_for if step == "working" else step
        spreadsheet = self.path is None or kind_of(self.path) == "table"
        number = f"step {STEPS.index(shown) + 1} of {len(STEPS)} · " if spreadsheet else ""
        title = Text(f"Import · {number}{STEP_TITLES[shown]}")
        if self.path is not None and step != "file":
            title.append(f"  ·  {one_line(self.path.name)}", style="bold")
        self.query_one("#import-title", Static).update(title)
        default_focus = {
            "file": "#import-path",
            "mapping": "#mapping",
            "preview": "#preview",
            "duplicates": "#duplicates-choice",
            "report": "#report",
        }
        target = default_focus.get(step) if focus is None else focus
        if target:
            self.query_one(target).focus()
        else:
            self.set_focus(None)
        self.refresh_bindings()

    def _status(self, widget_id: str, text: str, kind: str = "") -> None:
        set_status(self.query_one(widget_id, Static), text, kind)

    # -- which keys mean something now -----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        step = self.step
        allowed = {
            "next_step": step in ("file", "mapping", "preview"),
            "run_import": step == "duplicates",
            "previous_step": step in ("mapping", "preview", "duplicates"),
            "stop": step == "working" and self._stoppable,
            "close": step in ("file", "report"),
            "undo_import": step == "report" and self._can_undo(),
            "save_mapping": step == "mapping",
            "load_mapping": step == "mapping",
            "toggle_notes": step == "mapping",
        }
        return allowed.get(action, True)

    def _can_undo(self) -> bool:
        report = self.report
        return report is not None and not self.undone and report.added + report.merged > 0

    # -- moving between steps --------------------------------------------------------------

    def action_next_step(self) -> None:
        if self.step == "file":
            self._choose_file()
        elif self.step == "mapping" and self.table is not None and self.mapping is not None:
            self.mapping_step.status("Reading the first rows…")
            self._preview(self._new_work(), self.table, self.mapping)
        elif self.step == "preview" and self.table is not None and self.mapping is not None:
            self._working("Checking the file against the inbox", "preview", "duplicates")
            self._scan(self._new_work(), self.table, self.mapping, self._stop)

    def action_previous_step(self) -> None:
        self._new_work()  # whatever was being read for this step no longer matters
        self._show({"mapping": "file", "preview": "mapping", "duplicates": "preview"}[self.step])

    def action_close(self) -> None:
        self._new_work()
        outcome = ImportOutcome(self.report, self.undone) if self.report else None
        self.dismiss(outcome)

    def action_stop(self) -> None:
        """Ask the work to stop; it says when it has (a write is rolled back first)."""
        self._stop.set()
        self._stoppable, self._stopping = False, True
        self._status("#work-hint", "Stopping…")
        self.refresh_bindings()

    def _new_work(self) -> int:
        self._work += 1
        return self._work

    def _working(self, title: str, back_to: str, stands_for: str, stoppable: bool = True) -> None:
        """Show ``title`` and a progress bar while a worker reads or writes; ``stands_for`` is
        the step the header names, ``back_to`` the one a stop or a failure returns to."""
        self._back_to, self._stands_for = back_to, stands_for
        self._stoppable, self._stopping = stoppable, False
        self._stop = threading.Event()
        self.query_one("#work-title", Static).update(Text(title + "…"))
        self.query_one(ProgressBar).update(total=None, progress=0)
        hint = "esc stops; nothing is written until the end." if stoppable else ""
        self._status("#work-hint", hint)
        self._show("working")

    def _progress(self, work: int) -> Callable[[int, int], None]:
        return lambda done, total: self.post_message(WorkProgressed(work, done, total))

    def on_work_progressed(self, message: WorkProgressed) -> None:
        if message.work == self._work:
            self.query_one(ProgressBar).update(total=message.total, progress=message.done)
            if not self._stopping:
                self._status("#work-hint", self._progress_hint(message.done, message.total))

    def _progress_hint(self, done: int, total: int) -> str:
        stop = "  ·  esc stops; nothing is written until the end." if self._stoppable else ""
        return f"{done:,} of {counted(total, 'rows')}{stop}"

    def on_work_stopped(self, message: WorkStopped) -> None:
        if message.work == self._work:
            self._show(self._back_to)
            self.notify("Stopped: nothing was imported.")

    def on_work_failed(self, message: WorkFailed) -> None:
        if message.work != self._work:
            return
        if self.step == "working":
            self._show(self._back_to)
        if self.step == "file":
            self._status("#file-status", message.error, "error")
        elif self.step == "mapping":
            self.mapping_step.source_refused(message.error)
        else:
            self.notify(message.error, title="Not imported", severity="error", markup=False)

    # -- step 1: the file ------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose_file()

    def _choose_file(self) -> None:
        text = self.query_one("#import-path", PathInput).value.strip()
        if not text:
            self._status("#file-status", "Type the path of a file first.", "error")
            return
        path = Path.cwd() / os.path.expanduser(text)
        self.path, self.table, self.report = path, None, None
        self.mapping_step.forget()
        work_id = self._new_work()
        if kind_of(path) == "table":
            self._status("#file-status", f"Reading {path.name}…")
            self._open(work_id, path, SourceChoice())
            return
        self._status("#file-status", "")
        self._working(f"Importing {path.name}", "file", "working", stoppable=False)
        self._import_files(work_id, path)

    @work(thread=True, group="import-read")
    def _open(self, work_id: int, path: Path, choice: SourceChoice) -> None:
        try:
            table = open_table(
                path,
                sheet=choice.sheet,
                encoding=choice.encoding,
                delimiter=choice.delimiter,
                header_row=choice.header_row,
            )
            samples = [cells for _, cells in table.sample(SAMPLE_ROWS)]
            guess = guess_mapping(table.info.headers)
            self.post_message(TableOpened(work_id, table, guess, samples))
        except Exception as error:  # the reader's one line: a bad file, a wrong encoding...
            self.post_message(WorkFailed(work_id, str(error)))

    def on_table_opened(self, message: TableOpened) -> None:
        if message.work != self._work:
            return
        self.table = message.table
        self.mapping_step.show(message.table, message.samples, message.mapping)
        self._status("#file-status", "")
        if self.step != "mapping":
            self._show("mapping")

    @property
    def mapping(self) -> Mapping | None:
        return self.mapping_step.mapping

    # -- step 2: how to read it, and where each column goes (the MappingStep) ------------------

    @property
    def mapping_step(self) -> MappingStep:
        return self.query_one(MappingStep)

    def on_mapping_step_source_changed(self, message: MappingStep.SourceChanged) -> None:
        if self.path is not None:
            self._open(self._new_work(), self.path, message.choice)

    def action_toggle_notes(self) -> None:
        self.mapping_step.toggle_notes()

    def action_save_mapping(self) -> None:
        self.mapping_step.ask_name_to_save(self.path.stem if self.path else "")

    def action_load_mapping(self) -> None:
        self.mapping_step.offer_saved()

    # -- step 3: the first rows as they will be imported -------------------------------------

    @work(thread=True, group="import-read")
    def _preview(self, work_id: int, table: Table, chosen: Mapping) -> None:
        try:
            self.post_message(PreviewReady(work_id, importer.preview(table, chosen)))
        except Exception as error:
            self.post_message(WorkFailed(work_id, str(error)))
        finally:
            close_database()

    def on_preview_ready(self, message: PreviewReady) -> None:
        if message.work != self._work or self.table is None:
            return
        rows = message.rows
        rejected = sum(row.data is None for row in rows)
        known = sum(row.duplicate is not None for row in rows)
        self.query_one("#preview-info", Static).update(
            f"The first {counted(len(rows), 'rows')} as they will be imported: "
            f"{len(rows) - rejected:,} ready ({known:,} already in the inbox), "
            f"{rejected:,} rejected. The file has about {counted(self.table.info.rows, 'rows')}."
        )
        self.preview_rows = rows
        self.query_one(PreviewTable).show_rows(rows)
        self.mapping_step.status("")
        self._show("preview")
        self._describe_preview_row(0)

    def on_data_table_row_highlighted(self, event: PreviewTable.RowHighlighted) -> None:
        if event.data_table.id == "preview":
            self._describe_preview_row(event.cursor_row)

    def _describe_preview_row(self, index: int) -> None:
        """The whole of the highlighted row's problems, which the table cuts short."""
        rows = self.preview_rows
        if not 0 <= index < len(rows):
            self._status("#preview-row", "")
            return
        problems, style = row_problems(rows[index])
        self._status("#preview-row", f"Row {rows[index].row}: {problems}", style)

    # -- step 4: the rows that match contacts already in the inbox ------------------------------

    @work(thread=True, group="import-work")
    def _scan(self, work_id: int, table: Table, chosen: Mapping, stop: threading.Event) -> None:
        try:
            scan = importer.scan_duplicates(table, chosen, self._progress(work_id), stop.is_set)
            self.post_message(DuplicatesScanned(work_id, scan))
        except ImportCancelled:
            self.post_message(WorkStopped(work_id))
        except Exception as error:
            self.post_message(WorkFailed(work_id, str(error)))
        finally:
            close_database()

    def on_duplicates_scanned(self, message: DuplicatesScanned) -> None:
        if message.work != self._work:
            return
        scan = message.scan
        found = len(scan.duplicates)
        table = self.query_one(DuplicatesTable)
        table.display = bool(found)
        left_out = table.show_rows(scan.duplicates)
        rows = counted(scan.rows, "rows")
        if found:
            verb = "matches" if found == 1 else "match"
            lines = [f"{found:,} of the file's {rows} {verb} a contact already in the inbox."]
            if left_out:
                lines.append(f"The first {table.row_count:,} are listed below.")
            lines.append("What should the import do with them?")
        else:
            lines = [f"None of the file's {rows} matches a contact already in the inbox."]
        if scan.rejected:
            lines.append(f"{counted(scan.rejected, 'rows')} will be rejected; the report says why.")
        lines.append("ctrl+n imports.")
        self.query_one("#duplicates-info", Static).update("\n".join(lines))
        choices = self.query_one("#duplicates-choice", OptionList)
        choices.display = bool(found)
        choices.highlighted = DUPLICATE_CHOICES.index(self.choice)
        self._show("duplicates", focus="#duplicates-choice" if found else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "duplicates-choice":
            event.stop()
            self.action_run_import()

    # -- step 5: the import ----------------------------------------------------------------

    def action_run_import(self) -> None:
        if self.table is None or self.mapping is None:
            return
        choices = self.query_one("#duplicates-choice", OptionList)
        if choices.display and choices.highlighted is not None:
            self.choice = DUPLICATE_CHOICES[choices.highlighted]
        self._working(f"Importing {self.table.info.path.name}", "duplicates", "working")
        self._import_table(self._new_work(), self.table, self.mapping, self.choice, self._stop)

    @work(thread=True, group="import-work")
    def _import_table(
        self, work_id: int, table: Table, chosen: Mapping, choice: str, stop: threading.Event
    ) -> None:
        try:
            since = last_action_id()
            report = importer.run_import(
                table,
                chosen,
                choice,
                progress=self._progress(work_id),
                cancelled=stop.is_set,
            )
            self.post_message(ImportFinished(work_id, report, since))
        except ImportCancelled:
            self.post_message(WorkStopped(work_id))
        except Exception as error:  # the rejected-rows file cannot be written, a locked inbox
            self.post_message(WorkFailed(work_id, str(error)))
        finally:
            close_database()

    @work(thread=True, group="import-work")
    def _import_files(self, work_id: int, path: Path) -> None:
        """An .eml or .vcf file: nothing to map, imported at once (a few records: no stop)."""
        try:
            data = path.read_bytes()
            since = last_action_id()
            if kind_of(path) == "vcard" or data.lstrip().upper().startswith(b"BEGIN:VCARD"):
                report = import_vcards([(path.name, data)])
            else:
                report = import_emails([(path.name, data)])
            self.post_message(ImportFinished(work_id, report, since))
        except OSError as error:
            self.post_message(WorkFailed(work_id, f"cannot read {path}: {error.strerror}"))
        except Exception as error:  # not a vCard, a locked inbox
            self.post_message(WorkFailed(work_id, str(error)))
        finally:
            close_database()

    # -- step 6: the report, and undoing it all ---------------------------------------------

    def on_import_finished(self, message: ImportFinished) -> None:
        self.report, self.since, self.undone = message.report, message.since, False
        self._show_report()
        self._show("report")

    def _show_report(self) -> None:
        report = self.report
        assert report is not None
        summary = self.query_one("#report-summary", Static)
        if self.undone:
            summary.update(Text(f"Undone: {one_line(report_summary(report))}"))
        else:
            summary.update(Text(one_line(report_summary(report))))
        summary.set_class(self.undone, "-undone")
        lines = []
        if report.rejected_file is not None:
            where = shown_path(report.rejected_file)
            lines.append(f"The rejected rows are in {where}: fix them there and import that file.")
        if self._can_undo():
            lines.append("u takes the whole import back.")
        elif self.undone:
            lines.append("The import was taken back: the inbox is as it was before.")
        self.query_one("#report-file", Static).update(Text(one_line("  ".join(lines))))
        left_out = self.query_one(ReportTable).show_report(report)
        more = f"… and {left_out:,} more." if left_out else ""
        if left_out and report.rejected_file is not None:
            more += " Every rejected row is in the rejected-rows file."
        self.query_one("#report-more", Static).update(more)

    def action_undo_import(self) -> None:
        self._working("Taking the import back", "report", "report", stoppable=False)
        self._undo(self._new_work(), self.since)

    @work(thread=True, group="import-work")
    def _undo(self, work_id: int, since: int) -> None:
        try:
            self.post_message(ImportUndone(work_id, undo_import(since)))
        except Exception as error:
            self.post_message(WorkFailed(work_id, f"Not undone: {error}"))
        finally:
            close_database()

    def on_import_undone(self, message: ImportUndone) -> None:
        if message.work != self._work:
            return
        if message.undone is None:
            self.notify("Nothing to undo: the import changed nothing.")
        else:
            self.undone = True
            self.notify(f"Undone: {one_line(message.undone.description)}", markup=False)
        self._show_report()
        self._show("report")
