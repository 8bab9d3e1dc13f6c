"""Exporting the leads in view to XLSX or CSV (and their people to vCard), safe to open.

Both formats are streamed: leads are read a batch at a time (``records.lead_records``) and
written as they come, so memory stays flat at any size; the file appears under its name only
when complete.

Formula injection, as decided here: in XLSX every text is written as a text cell, which a
spreadsheet shows and never runs, so values stay exactly as typed ("=SUM(A1)" reads
"=SUM(A1)"). A CSV cell has no type, so text that a spreadsheet would take for a formula
(starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, the mark
spreadsheets read as "this is text"; the importer takes it off again. Values made only of
phone numbers ("+33 6 12 34 56 78", several after a ";") and negative numbers ("-12.5") hold
nothing that can run (no function, no reference, no DDE) and are written as they are, so
phones read right everywhere; anything else starting with those characters ("-2+3") is guarded.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from leadbox_tui.services.inbox import DEFAULT_COLUMNS, InboxQuery
from leadbox_tui.services.normalize import minor_exponent
from leadbox_tui.services.records import LeadRecord, lead_records
from leadbox_tui.services.timefmt import to_local

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_INERT = re.compile(r"^(?:\+\d[\d\s().\-/]*(?:[;,]\s*\+?[\d\s().\-/]+)*|-\d+(?:[.,]\d+)?)$")
"""Phones ("+33 6 12 34 56 78", several after ";") and negative numbers: nothing there can run."""
BATCH = 1_000
MIN_WIDTH, MAX_WIDTH = 8, 50

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ExportError(ValueError):
    """The export cannot be written as asked; the message is for the seller."""


class ExportCancelled(Exception):
    """The seller stopped the export; no file was left behind."""


def neutralise(text: str) -> str:
    """A CSV cell a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if text[:1] in FORMULA_STARTS and not _INERT.match(text):
        return "'" + text
    return text


def restore_neutralised(text: str) -> str:
    """The value ``neutralise`` was given, so an exported CSV imports back unchanged."""
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


@dataclass(frozen=True)
class Money:
    """An amount to write as a number in its currency's format."""

    amount: Decimal
    currency: str | None


# --- writing rows ---------------------------------------------------------------------------------


class _Sink:
    def write(self, row: Sequence[Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the file."""
        raise NotImplementedError

    def abort(self) -> None:
        """Let go of an unfinished file (it is removed by the caller)."""


class _CsvSink(_Sink):
    def __init__(self, path: Path, headers: Sequence[str], delimiter: str, bom: bool) -> None:
        self._file = path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        self._writer = csv.writer(self._file, delimiter=delimiter)
        self._writer.writerow([neutralise(h) for h in headers])

    def write(self, row: Sequence[Any]) -> None:
        self._writer.writerow([_csv_text(v) for v in row])

    def close(self) -> None:
        self._file.close()

    def abort(self) -> None:
        self._file.close()


def _csv_text(value: Any) -> str:
    if isinstance(value, str):
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(" ", "minutes") if not value.second else value.isoformat(" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if not isinstance(value, dt.date) else value.isoformat()


class _XlsxSink(_Sink):
    """openpyxl's write-only mode: rows go straight to a temporary file, not into memory.

    openpyxl is imported here, when a workbook is written, not when the app starts: it is a
    sixth of the app's start-up otherwise."""

    def __init__(self, path: Path, headers: Sequence[str], widths: Sequence[int]) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._cell, self._illegal, self._letter = (
            WriteOnlyCell,
            ILLEGAL_CHARACTERS_RE,
            get_column_letter,
        )
        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("Leads")
        for index, width in enumerate(widths, 1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        self._sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for title in headers:
            cell = self._text_cell(title)
            cell.font = bold
            header.append(cell)
        self._sheet.append(header)
        self._columns = len(headers)
        self._rows = 1
        self._formats: dict[str | None, str] = {}

    def _text_cell(self, text: str) -> Any:
        cell = self._cell(self._sheet, text)
        cell.data_type = "s"  # never a formula or an error code, whatever it starts with
        return cell

    def _value(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            if not value:
                return None  # an empty cell, not an empty text
            if self._illegal.search(value):
                value = self._illegal.sub("", value)
            return self._text_cell(value) if value[:1] in ("=", "#") else value
        if kind is Money:
            cell = self._cell(self._sheet, value.amount)
            cell.number_format = self._money_format(value.currency)
            return cell
        return value

    def _money_format(self, currency: str | None) -> str:
        if currency not in self._formats:
            decimals = minor_exponent(currency)
            number = "#,##0" + ("." + "0" * decimals if decimals else "")
            self._formats[currency] = f'{number} "{currency}"' if currency else number
        return self._formats[currency]

    def write(self, row: Sequence[Any]) -> None:
        self._sheet.append([self._value(v) for v in row])
        self._rows += 1

    def close(self) -> None:
        last = self._letter(max(1, self._columns))
        self._sheet.auto_filter.ref = f"A1:{last}{self._rows}"
        self._book.save(self._path)

    def abort(self) -> None:
        self._book.save(self._path)  # lets openpyxl finish and remove its temporary files


def _format_of(path: Path) -> tuple[str, str]:
    """("xlsx" or "csv", the CSV delimiter) from the file name."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx", ","
    if suffix in (".tsv", ".tab"):
        return "csv", "\t"
    if suffix in (".csv", ".txt"):
        return "csv", ","
    raise ExportError(f"cannot write {path.name}: give a .xlsx, .csv, .tsv or .vcf file name")


def _widths(headers: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[int]:
    """Column widths that fit the header and the first rows, within reason."""
    widths = [len(h) + 3 for h in headers]  # room for the autofilter button
    for row in sample:
        for index, value in enumerate(row):
            length = len(_csv_text(value))
            if isinstance(value, dt.datetime | dt.date | Money):
                length += 2
            widths[index] = max(widths[index], min(length, MAX_WIDTH) + 1)
    return [max(MIN_WIDTH, min(w, MAX_WIDTH)) for w in widths]


def write_rows(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str | None = None,
    bom: bool = True,
    progress: Callable[[int], None] | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write a header and rows to ``path`` (XLSX or CSV by its name) and return the row count.

    The file is written beside its final place and moved there only when complete, so a failed
    or stopped export never leaves half a file nor spoils an older one.
    """
    kind, default_delimiter = _format_of(path)
    rows = iter(rows)
    first = [row for _, row in zip(range(BATCH), rows, strict=False)]
    temporary = path.with_name(f".{path.name}.part")
    try:
        sink: _Sink = (
            _XlsxSink(temporary, headers, _widths(headers, first))
            if kind == "xlsx"
            else _CsvSink(temporary, headers, delimiter or default_delimiter, bom)
        )
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror}") from error
    count = 0
    try:
        for row in _chain(first, rows):
            sink.write(row)
            count += 1
            if count % BATCH == 0:
                if cancelled is not None and cancelled():
                    raise ExportCancelled("the export was stopped; no file was written")
                if progress is not None:
                    progress(count)
        sink.close()
        os.replace(temporary, path)
    except BaseException as error:
        sink.abort()
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ExportError(f"cannot write {path}: {error.strerror or error}") from error
        raise
    return count


def _chain(first: list[Sequence[Any]], rest: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield from first
    yield from rest


# --- the lead columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    key: str
    title: str  # written so that importing the file maps the column back
    value: Callable[[LeadRecord], Any]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return to_local(moment).replace(microsecond=0) if moment else None


def _money(record: LeadRecord) -> Money | None:
    return Money(record.value, record.currency) if record.value is not None else None


EXPORT_COLUMNS: dict[str, ExportColumn] = {  # every column of the inbox, by its key, and more
    c.key: c
    for c in (
        ExportColumn("id", "Id", lambda r: r.id),
        ExportColumn("title", "Title", lambda r: r.title),
        ExportColumn("person", "Person", lambda r: r.person.name if r.person else None),
        ExportColumn(
            "email", "E-mails", lambda r: "; ".join(r.person.emails) if r.person else None
        ),
        ExportColumn("phone", "Phones", lambda r: "; ".join(r.person.phones) if r.person else None),
        ExportColumn(
            "organization",
            "Organisation",
            lambda r: r.organization.name if r.organization else None,
        ),
        ExportColumn(
            "address", "Address", lambda r: r.organization.address if r.organization else None
        ),
        ExportColumn(
            "website", "Website", lambda r: r.organization.website if r.organization else None
        ),
        ExportColumn("value", "Value", _money),
        ExportColumn("currency", "Currency", lambda r: r.currency),
        ExportColumn("expected_close", "Expected close date", lambda r: r.expected_close),
        ExportColumn("activity", "Activity", lambda r: r.activity.value),
        ExportColumn("next_activity", "Next activity", lambda r: r.next_activity_at),
        ExportColumn("labels", "Labels", lambda r: ", ".join(r.labels)),
        ExportColumn("source", "Source", lambda r: r.source),
        ExportColumn("origin", "Origin", lambda r: r.origin),
        ExportColumn("stage", "Stage", lambda r: r.stage),
        ExportColumn("owner", "Owner", lambda r: r.owner),
        ExportColumn("score", "Score", lambda r: r.score),
        ExportColumn("score_mode", "Score mode", lambda r: r.score_mode),
        ExportColumn("visible_to", "Visible to", lambda r: r.visible_to),
        ExportColumn("was_seen", "Seen", lambda r: r.was_seen),
        ExportColumn("created", "Created", lambda r: _local(r.created_at)),
        ExportColumn("updated", "Updated", lambda r: _local(r.updated_at)),
        ExportColumn("archived", "Archived", lambda r: _local(r.archived_at)),
    )
}
ALL_COLUMNS = tuple(EXPORT_COLUMNS)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str  # "xlsx", "csv" or "vcard"
    rows: int
    seconds: float


def lead_id_batches(query: InboxQuery) -> Iterator[list[int]]:
    """The ids of the query's leads in its sort order, a batch at a time."""
    total = query.total
    for offset in range(0, total, BATCH):
        yield query.ids(offset, min(BATCH, total - offset))


def export_leads(
    path: Path | str,
    query: InboxQuery | None = None,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    *,
    bom: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write the leads of ``query`` (default: the inbox), in its sort order, to ``path``.

    ``columns`` are keys of ``EXPORT_COLUMNS`` (``ALL_COLUMNS`` for every field);
    ``progress(done, total)`` is told how far it got.
    """
    started = time.perf_counter()
    path = Path(path)
    query = query or InboxQuery()
    total = query.total
    unknown = [c for c in columns if c not in EXPORT_COLUMNS]
    if unknown:
        raise ExportError(f"unknown column {unknown[0]!r}; one of: {', '.join(EXPORT_COLUMNS)}")
    chosen = [EXPORT_COLUMNS[c] for c in columns]
    kind, _ = _format_of(path)
    rows = (
        [column.value(record) for column in chosen]
        for ids in lead_id_batches(query)
        for record in lead_records(ids)
    )
    count = write_rows(
        path,
        [c.title for c in chosen],
        rows,
        bom=bom,
        progress=(lambda done: progress(done, total)) if progress else None,
        cancelled=cancelled,
    )
    if progress is not None:
        progress(count, total)
    return ExportResult(path, kind, count, time.perf_counter() - started)
