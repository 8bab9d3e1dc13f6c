"""The tables of the import wizard: the columns and their fields, the preview of the first
rows, the rows already in the inbox, and the report. Each shows what the services computed;
every text from the file is shown literally, cut to a readable width."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from leadbox_tui.services.importer import ImportReport, PreviewRow, RowData
from leadbox_tui.services.mapping import FIELDS, Mapping, text_of
from leadbox_tui.services.spreadsheet import Cell, column_letter
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.component_styles import ComponentStyles

CELL_WIDTH = 36  # longer texts are cut: the full text of a row is shown below the table
PROBLEMS_WIDTH = 44
SAMPLE_ROWS = 3
LISTED_ROWS = 1_000  # the duplicates and the report list this many; the rest are counted


def counted(count: int, what: str) -> str:
    """ "1 row", "2 rows", "1 lead", "3 contacts"."""
    singular = {"leads": "lead", "contacts": "contact", "rows": "row"}[what]
    return f"{count:,} {what if count != 1 else singular}"


def short(text: str, width: int = CELL_WIDTH) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def field_label(field: str | None, unmapped_to_note: bool = False) -> str:
    """ "Person: First name", or what happens to a column sent nowhere."""
    if field is None:
        return "Not imported → note" if unmapped_to_note else "Not imported"
    group, label = FIELDS[field].group, FIELDS[field].label
    if label.lower().startswith(group.lower()):  # "Person name" is the person's name
        label = label[len(group) :].strip().capitalize() or "Name"
    return f"{group}: {label}"


class RowsTable(DataTable):
    """A row-cursor table with vim moves and the wizard's styles for good and bad rows."""

    BINDINGS = keymap.bindings("rows")
    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | {
        "rows-table--error",
        "rows-table--warning",
        "rows-table--muted",
        "rows-table--good",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._styles = ComponentStyles(self)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def styled(self, text: str, name: str | None = None, width: int = CELL_WIDTH) -> Text:
        return Text(short(text, width), style=self._styles(f"rows-table--{name}") if name else "")


class MappingTable(RowsTable):
    """Each column of the file: its header, its first values, and the field it goes to."""

    BINDINGS = keymap.bindings("mapping")

    class FieldWanted(Message):
        """The seller wants to send ``column`` to another field."""

        def __init__(self, column: int) -> None:
            super().__init__()
            self.column = column

    def on_mount(self) -> None:
        self.add_column("Column", key="column")
        self.add_column("First values", key="values")
        self.add_column("Imported as", key="field")

    def show_columns(
        self, headers: Sequence[str], samples: Sequence[Sequence[Cell]], mapping: Mapping
    ) -> None:
        """All the columns again (a new file, sheet or header row), the cursor on the first."""
        self.clear()
        for index, header in enumerate(headers):
            values = [text_of(row[index]) for row in samples[:SAMPLE_ROWS] if index < len(row)]
            self.add_row(
                self.styled(f"{column_letter(index)}  {header}"),
                self.styled(" · ".join(v for v in values if v), "muted", 48),
                self._field_cell(mapping.fields[index], mapping.unmapped_to_note),
                key=str(index),
            )

    def show_mapping(self, mapping: Mapping) -> None:
        """The fields again, where the columns stay the same."""
        for index, field in enumerate(mapping.fields):
            cell = self._field_cell(field, mapping.unmapped_to_note)
            self.update_cell(str(index), "field", cell, update_width=True)

    def _field_cell(self, field: str | None, to_note: bool) -> Text:
        style = None if field else ("muted" if not to_note else "warning")
        return self.styled(field_label(field, to_note), style)

    def action_change_field(self) -> None:
        if self.row_count:
            self.post_message(self.FieldWanted(self.cursor_row))


def _money(data: RowData) -> str:
    if data.value is None:
        return data.currency or ""
    return f"{data.value:,} {data.currency or ''}".strip()


PREVIEW_COLUMNS: tuple[tuple[str, Callable[[RowData], str]], ...] = (
    ("Title", lambda d: d.title),
    ("Person", lambda d: d.person),
    ("Organisation", lambda d: d.organization),
    ("E-mails", lambda d: "; ".join(d.emails)),
    ("Phones", lambda d: "; ".join(d.phones)),
    ("Value", _money),
    ("Close date", lambda d: d.expected_close.isoformat() if d.expected_close else ""),
    ("Owner", lambda d: d.owner or ""),
    ("Source", lambda d: d.source),
    ("Stage", lambda d: d.stage or ""),
    ("Labels", lambda d: ", ".join(d.labels)),
    ("Address", lambda d: d.address or ""),
    ("Website", lambda d: d.website or ""),
    ("Origin", lambda d: d.origin or ""),
    ("Note", lambda d: d.note or ""),
)


def row_problems(row: PreviewRow) -> tuple[str, str]:
    """(what is wrong or notable with a row, its style): rejected, changed, already known."""
    if row.data is None:
        return f"Rejected: {row.problem}", "error"
    notes = list(row.data.warnings)
    if row.duplicate is not None:
        known = row.duplicate.person or row.duplicate.organization or "a contact"
        notes.append(f"already in the inbox: {known} ({row.duplicate.reason})")
    return ("; ".join(notes), "warning") if notes else ("Ready", "good")


class PreviewTable(RowsTable):
    """The first rows exactly as they will be imported, each with its problems."""

    def on_mount(self) -> None:
        self.add_column("Row", key="row")
        self.add_column("Problems", key="problems", width=PROBLEMS_WIDTH)
        for title, _ in PREVIEW_COLUMNS:
            self.add_column(title, key=title)

    def show_rows(self, rows: Sequence[PreviewRow]) -> None:
        self.clear()
        for row in rows:
            problems, style = row_problems(row)
            cells = [self.styled(str(row.row)), self.styled(problems, style, PROBLEMS_WIDTH)]
            cells += [
                self.styled(value(row.data)) if row.data else Text("")
                for _, value in PREVIEW_COLUMNS
            ]
            self.add_row(*cells, key=str(row.row))


class DuplicatesTable(RowsTable):
    """The rows of the file that match a contact already in the inbox, and whom they match."""

    def on_mount(self) -> None:
        self.add_column("Row", key="row")
        self.add_column("In the file", key="file")
        self.add_column("Matches", key="known")
        self.add_column("Because of the", key="why")
        self.add_column("Their open lead", key="lead")

    def show_rows(self, rows: Sequence[PreviewRow]) -> int:
        """List the first ``LISTED_ROWS`` of ``rows``; returns how many were left out."""
        self.clear()
        for row in rows[:LISTED_ROWS]:
            data, known = row.data, row.duplicate
            if data is None or known is None:
                continue
            who = " · ".join(x for x in (data.contact_name, data.organization) if x)
            match = " · ".join(x for x in (known.person, known.organization) if x)
            self.add_row(
                self.styled(str(row.row)),
                self.styled(who),
                self.styled(match),
                self.styled(known.reason.removeprefix("same "), "muted"),
                self.styled(known.lead_title or "none (a new lead is made)", "muted"),
                key=str(row.row),
            )
        return max(0, len(rows) - LISTED_ROWS)


class ReportTable(RowsTable):
    """Every row the import rejected, skipped or changed, and why."""

    def on_mount(self) -> None:
        self.add_column("", key="kind")
        self.add_column("Where", key="where")
        self.add_column("Why", key="why")

    def show_report(self, report: ImportReport) -> int:
        """List the notes of ``report``; returns how many were left out of the list."""
        self.clear()
        notes = [
            *(("Rejected", "error", n) for n in report.rejected),
            *(("Skipped", "muted", n) for n in report.skipped),
            *(("Changed", "warning", n) for n in report.warnings),
        ]
        for kind, style, note in notes[:LISTED_ROWS]:
            self.add_row(
                self.styled(kind, style),
                self.styled(note.where),
                Text(one_line(note.message)),
            )
        return max(0, len(notes) - LISTED_ROWS)
