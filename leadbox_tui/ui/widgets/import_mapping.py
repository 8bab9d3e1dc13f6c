"""The import wizard's second step: how the spreadsheet is read (sheet, encoding, delimiter,
header row, each as found and choosable) and where each of its columns goes.

It owns the mapping being edited: a field picked per column, the columns not imported sent to
the note or not, dates read day or month first, a mapping saved or loaded by name (through the
services, in thread workers). A change to how the file is read is asked of the screen with
``SourceChanged``; the screen reads the file again and hands the new table back with ``show``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static

from leadbox_tui.services import mapping as mappings
from leadbox_tui.services.mapping import FIELDS, Mapping
from leadbox_tui.services.session import close_database
from leadbox_tui.services.spreadsheet import DELIMITERS, ENCODINGS, Cell, Table
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.dialogs import ChoiceModal, NameModal
from leadbox_tui.ui.transfer_messages import (
    MappingFailed,
    MappingLoaded,
    MappingNamesListed,
    MappingSaved,
)
from leadbox_tui.ui.widgets.import_tables import MappingTable, counted, field_label
from leadbox_tui.ui.widgets.tick_box import TickBox

STATUS_KINDS = ("error", "warning", "good")


@dataclass(frozen=True)
class SourceChoice:
    """How to read a spreadsheet; ``None`` lets the reader find it."""

    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None


def describe_source(table: Table) -> str:
    """ "CSV, encoding cp1252, delimiter semicolon, headers on row 3, about 1,250 rows" """
    info = table.info
    found = [info.format.upper()]
    if info.sheet:
        found.append(f"sheet {info.sheet!r} of {len(info.sheets)}")
    if info.encoding:
        found.append(f"encoding {info.encoding}")
    if info.delimiter:
        found.append(f"delimiter {DELIMITERS.get(info.delimiter, repr(info.delimiter))}")
    found += [f"headers on row {info.header_row}", f"about {counted(info.rows, 'rows')}"]
    return ", ".join(found)


def set_status(status: Static, text: str, kind: str = "") -> None:
    """A line of news: ``kind`` "error", "warning" or "good" colours it."""
    status.update(Text(one_line(text)))
    for name in STATUS_KINDS:
        status.set_class(kind == name, f"-{name}")


class MappingStep(Vertical):
    class SourceChanged(Message):
        """Read the file again this way."""

        def __init__(self, choice: SourceChoice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.table: Table | None = None
        self.mapping: Mapping | None = None
        self.mapping_name = ""

    def compose(self) -> ComposeResult:
        yield Static(id="source-info")
        with Horizontal(id="source-options"):
            yield Label("Sheet", classes="option-label sheet-option")
            yield Select([], id="sheet", classes="sheet-option")
            yield Label("Encoding", classes="option-label text-option")
            yield Select([], id="encoding", classes="text-option")
            yield Label("Delimiter", classes="option-label text-option")
            yield Select([], id="delimiter", classes="text-option")
            yield Label("Header row", classes="option-label")
            yield Input(id="header-row", type="integer")
        yield MappingTable(id="mapping")
        with Horizontal(id="mapping-flags"):
            yield TickBox("Columns not imported go into the note", id="to-note")
            yield TickBox("Dates are month first (03/04 is 4 March)", id="month-first")
        yield Static(id="mapping-status", classes="import-status")

    def status(self, text: str, kind: str = "") -> None:
        set_status(self.query_one("#mapping-status", Static), text, kind)

    # -- the file, as read ------------------------------------------------------------------

    def show(self, table: Table, samples: list[list[Cell]], guessed: Mapping) -> None:
        """A table (re)read: its columns with the mapping kept if the headers are the same,
        else the one the headers suggest (with the seller's choices of note and dates)."""
        old = self.table
        self.table = table
        if old is None or old.info.headers != table.info.headers or self.mapping is None:
            self.mapping = Mapping(
                guessed.fields,
                unmapped_to_note=self.query_one("#to-note", TickBox).value,
                day_first=not self.query_one("#month-first", TickBox).value,
            )
        self._show_source(table)
        self.query_one(MappingTable).show_columns(table.info.headers, samples, self.mapping)
        self.status("enter changes the field of the column under the cursor.")

    def forget(self) -> None:
        """Another file: nothing of this one carries over but the note and date choices."""
        self.table = self.mapping = None
        self.mapping_name = ""

    def _show_source(self, table: Table) -> None:
        info = table.info
        self.query_one("#source-info", Static).update(Text(one_line(describe_source(table))))
        csv = info.format == "csv"
        for widget in self.query(".text-option"):
            widget.display = csv
        for widget in self.query(".sheet-option"):
            widget.display = not csv
        if csv:
            encodings = dict.fromkeys([info.encoding or "utf-8", *ENCODINGS])
            self._set_select("#encoding", [(e, e) for e in encodings], info.encoding)
            delimiters = [(f"{name}  {d!r}", d) for d, name in DELIMITERS.items()]
            self._set_select("#delimiter", delimiters, info.delimiter)
        else:
            self._set_select("#sheet", [(s, s) for s in info.sheets], info.sheet)
        header = self.query_one("#header-row", Input)
        with header.prevent(Input.Changed):
            header.value = str(info.header_row)

    def _set_select(self, selector: str, options: list[tuple[str, str]], value: str | None) -> None:
        select = self.query_one(selector, Select)
        with select.prevent(Select.Changed):
            select.set_options((Text(one_line(label)), v) for label, v in options)
            if value is not None:
                select.value = value

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.table is None or event.value is Select.NULL:
            return
        value = str(event.value)
        info = self.table.info
        if event.select.id == "sheet" and value != info.sheet:
            self._change_source(sheet=value, header_row=None)
        elif event.select.id == "encoding" and value != info.encoding:
            self._change_source(encoding=value)
        elif event.select.id == "delimiter" and value != info.delimiter:
            self._change_source(delimiter=value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._change_source(header_row=int(event.value) if event.value else None)

    def _change_source(self, **changed: object) -> None:
        """Ask for the file again with one choice changed and the others as they are now."""
        if self.table is None:
            return
        info = self.table.info
        choice = SourceChoice(info.sheet, info.encoding, info.delimiter, info.header_row)
        self.status("Reading the file again…")
        self.post_message(self.SourceChanged(replace(choice, **changed)))

    def source_refused(self, error: str) -> None:
        """The file could not be read that way: back to the way it was read, and why."""
        if self.table is not None:
            self._show_source(self.table)
        self.status(error, "error")

    # -- where each column goes -------------------------------------------------------------

    def on_mapping_table_field_wanted(self, message: MappingTable.FieldWanted) -> None:
        if self.table is None or self.mapping is None:
            return
        column = message.column
        headers = self.table.info.headers
        users = {f: headers[i] for i, f in enumerate(self.mapping.fields) if f and i != column}
        choices = [("Not imported", "")]
        for key, field in FIELDS.items():
            label = field_label(key)
            if key in users and not field.repeatable:
                label += f"  (moves from {users[key]!r})"
            choices.append((label, key))
        current = self.mapping.fields[column] or ""
        picker = ChoiceModal(f"Import column {headers[column]!r} as", choices, current)
        self.app.push_screen(picker, lambda field: self._field_chosen(column, field))

    def _field_chosen(self, column: int, field: str | None) -> None:
        if field is None or self.mapping is None:
            return
        self.mapping = self.mapping.with_field(column, field or None)
        self.query_one(MappingTable).show_mapping(self.mapping)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self.mapping is None:
            return
        if event.checkbox.id == "to-note":
            self.mapping = replace(self.mapping, unmapped_to_note=event.value)
            self.query_one(MappingTable).show_mapping(self.mapping)
        elif event.checkbox.id == "month-first":
            self.mapping = replace(self.mapping, day_first=not event.value)

    def toggle_notes(self) -> None:
        self.query_one("#to-note", TickBox).toggle()

    # -- saved mappings ---------------------------------------------------------------------

    def ask_name_to_save(self, default: str) -> None:
        asking = NameModal(
            "Save this mapping as", self.mapping_name or default, "a name, such as the CRM's"
        )
        self.app.push_screen(asking, self._save_as)

    def _save_as(self, name: str | None) -> None:
        if name and self.table is not None and self.mapping is not None:
            self._save(name, self.mapping, self.table.info.headers)

    @work(thread=True, group="import-mappings")
    def _save(self, name: str, chosen: Mapping, headers: tuple[str, ...]) -> None:
        try:
            mappings.save_mapping(name, chosen, headers)
            self.post_message(MappingSaved(name))
        except Exception as error:  # a bad name, a locked inbox
            self.post_message(MappingFailed(str(error)))
        finally:
            close_database()

    def on_mapping_saved(self, message: MappingSaved) -> None:
        self.mapping_name = message.name
        self.status(f"Mapping saved as {message.name!r}.", "good")

    def on_mapping_failed(self, message: MappingFailed) -> None:
        self.status(message.error, "error")

    @work(thread=True, group="import-mappings")
    def offer_saved(self) -> None:
        """List the saved mappings to pick one (the answer comes as ``MappingNamesListed``)."""
        try:
            self.post_message(MappingNamesListed(mappings.saved_mapping_names()))
        except Exception as error:
            self.post_message(MappingFailed(str(error)))
        finally:
            close_database()

    def on_mapping_names_listed(self, message: MappingNamesListed) -> None:
        if not message.names:
            self.status("No mapping saved yet: s saves this one.")
            return
        picker = ChoiceModal("Use the saved mapping", [(n, n) for n in message.names])
        self.app.push_screen(picker, self._load_chosen)

    def _load_chosen(self, name: str | None) -> None:
        if name and self.table is not None:
            self._load(name, self.table.info.headers)

    @work(thread=True, group="import-mappings")
    def _load(self, name: str, headers: tuple[str, ...]) -> None:
        try:
            self.post_message(MappingLoaded(name, mappings.load_mapping(name, headers)))
        except Exception as error:  # a mapping saved by an older version, a locked inbox
            self.post_message(MappingFailed(str(error)))
        finally:
            close_database()

    def on_mapping_loaded(self, message: MappingLoaded) -> None:
        if self.table is None or len(message.mapping.fields) != len(self.table.info.headers):
            return  # another file meanwhile
        self.mapping, self.mapping_name = message.mapping, message.name
        for box_id, value in (
            ("#to-note", message.mapping.unmapped_to_note),
            ("#month-first", not message.mapping.day_first),
        ):
            box = self.query_one(box_id, TickBox)
            with box.prevent(Checkbox.Changed):
                box.value = value
        self.query_one(MappingTable).show_mapping(message.mapping)
        self.status(f"Using the mapping {message.name!r}.", "good")
