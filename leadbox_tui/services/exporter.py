"""Exporting the leads in view to XLSX or CSV (and their people to vCard), safe to open.

Both formats are streamed: leads are read a window at a time as plain rows of one SQL
statement (``LEAD_SQL``: no model instance per lead) and written as they come, so memory stays
flat at any size; the file appears under its name only when complete.

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
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from leadbox_tui.services.activities import status_of
from leadbox_tui.services.inbox import DEFAULT_COLUMNS, InboxQuery
from leadbox_tui.services.normalize import from_minor, minor_exponent
from leadbox_tui.services.timefmt import to_local
from leadbox_tui.store.models import Lead

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_INERT = re.compile(r"^(?:\+\d[\d\s().\-/]*(?:[;,]\s*\+?[\d\s().\-/]+)*|-\d+(?:[.,]\d+)?)$")
"""Phones ("+33 6 12 34 56 78", several after ";") and negative numbers: nothing there can run."""
BATCH = 1_000
ID_WINDOW = 20_000  # leads read per statement (the inbox query reads the ids of each window)
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


_AS_IS = frozenset((int, float, Decimal, bool, dt.date, dt.datetime, dt.time, type(None)))
"""Cell values written as they are, with the type openpyxl gives them."""


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
        self._money_cells: dict[tuple[str | None, int], Any] = {}
        self._money_in_row = 0

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
            return self._money_cell(value)
        return value

    def _money_cell(self, money: Money) -> Any:
        """A number cell in its currency's format. openpyxl writes an appended row at once, so
        one styled cell per currency (and per place in the row) is given each row's amount:
        styling a new cell for each amount was a tenth of an export."""
        key = (money.currency, self._money_in_row)
        self._money_in_row += 1
        cell = self._money_cells.get(key)
        if cell is None:
            cell = self._money_cells[key] = self._cell(self._sheet)
            cell.number_format = self._money_format(money.currency)
        cell.value = money.amount
        return cell

    def _money_format(self, currency: str | None) -> str:
        if currency not in self._formats:
            decimals = minor_exponent(currency)
            number = "#,##0" + ("." + "0" * decimals if decimals else "")
            self._formats[currency] = f'{number} "{currency}"' if currency else number
        return self._formats[currency]

    def write(self, row: Sequence[Any]) -> None:
        """Most cells go to openpyxl as they are, decided inline; ``_value`` sees only the
        others (an amount, an empty text, a text starting with = or #): a call per cell was a
        twentieth of an export. Characters a workbook cannot hold are looked for once a row."""
        value = self._value
        self._money_in_row = 0
        cells = [
            v if type(v) in _AS_IS or (type(v) is str and v and v[0] not in "=#") else value(v)
            for v in row
        ]
        if self._illegal.search("\n".join([v for v in cells if type(v) is str])):
            cells = [value(v) if type(v) is str else v for v in cells]
        self._sheet.append(cells)
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

LEAD_SQL = """
SELECT l.id, l.title, p.name,
       (SELECT group_concat(value, '; ') FROM (SELECT value FROM contact_point
         WHERE person_id = l.person_id AND kind = 'email' ORDER BY position, id)),
       (SELECT group_concat(value, '; ') FROM (SELECT value FROM contact_point
         WHERE person_id = l.person_id AND kind = 'phone' ORDER BY position, id)),
       o.name, o.address, o.website, l.value_minor, l.currency, l.expected_close,
       l.next_activity_at,
       (SELECT group_concat(name, ', ') FROM (SELECT b.name AS name FROM lead_label ll
         JOIN label b ON b.id = ll.label_id WHERE ll.lead_id = l.id ORDER BY b.name)),
       l.source, l.origin, l.stage, u.name, l.score, l.score_mode, l.visible_to, l.was_seen,
       l.created_at, l.updated_at, l.archived_at
FROM json_each(?) AS j
CROSS JOIN lead l ON l.id = j.value
LEFT JOIN person p ON p.id = l.person_id
LEFT JOIN organization o ON o.id = l.organization_id
LEFT JOIN user u ON u.id = l.owner_id
ORDER BY j.key
"""
"""Every field of a batch of leads (given as a JSON array of ids, in the order wanted) with
their person, organisation, owner and labels, as one row of plain values each: no model
instance per lead, one statement per batch."""
_SQL_FIELDS = (
    "id title person emails phones organization address website value_minor currency "
    "expected_close next_activity labels source origin stage owner score score_mode visible_to "
    "was_seen created updated archived"
).split()
_AT = {name: index for index, name in enumerate(_SQL_FIELDS)}

Row = tuple[Any, ...]
"""A lead as ``LEAD_SQL`` reads it."""


Cell = Callable[[Row], Any]


@dataclass(frozen=True)
class ExportColumn:
    key: str
    title: str  # written so that importing the file maps the column back
    cell: Callable[[_Values], Cell]  # makes the function giving the cell from a row of LEAD_SQL

    def value(self, row: Row, values: _Values | None = None) -> Any:
        """This column's cell for one row (an export binds ``cell`` once instead)."""
        return self.cell(values or _Values(dt.datetime.now()))(row)


class _Values:
    """Turns SQLite's text into typed values, once per distinct text: the stamps of an import
    are all the same, close dates repeat."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._times: dict[str, dt.datetime] = {}
        self._local: dict[str, dt.datetime] = {}
        self._dates: dict[str, dt.date] = {}

    def time(self, stored: Any) -> dt.datetime | None:
        """A stored time as a datetime (naive UTC, or wall-clock for an activity)."""
        if stored is None or not isinstance(stored, str):
            return stored
        moment = self._times.get(stored)
        if moment is None:
            moment = self._times[stored] = dt.datetime.fromisoformat(stored)
        return moment

    def local(self, stored: Any) -> dt.datetime | None:
        """A stored UTC time as local time to the second, as the seller reads it."""
        if stored is None:
            return None
        if not isinstance(stored, str):
            return _local(stored)
        moment = self._local.get(stored)
        if moment is None:
            moment = self._local[stored] = _local(dt.datetime.fromisoformat(stored))
        return moment

    def date(self, stored: Any) -> dt.date | None:
        if stored is None or not isinstance(stored, str):
            return stored
        day = self._dates.get(stored)
        if day is None:
            day = self._dates[stored] = dt.date.fromisoformat(stored[:10])
        return day


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return to_local(moment).replace(microsecond=0) if moment else None


def _field(name: str) -> Callable[[_Values], Cell]:
    """The value as stored: a C-level item getter, not a Python call per cell."""
    getter = itemgetter(_AT[name])
    return lambda _: getter


def _money(_: _Values) -> Cell:
    at_minor, at_currency = _AT["value_minor"], _AT["currency"]

    def money(row: Row) -> Money | None:
        minor, currency = row[at_minor], row[at_currency]
        return None if minor is None else Money(from_minor(minor, currency), currency)

    return money


def _activity(values: _Values) -> Cell:
    index = _AT["next_activity"]
    return lambda row: status_of(values.time(row[index]), values.now).value


def _labels(_: _Values) -> Cell:
    index = _AT["labels"]
    return lambda row: row[index] or ""


def _seen(_: _Values) -> Cell:
    index = _AT["was_seen"]
    return lambda row: bool(row[index])


def _when(name: str, convert: str) -> Callable[[_Values], Cell]:
    index = _AT[name]

    def bind(values: _Values) -> Cell:
        method = getattr(values, convert)
        return lambda row: method(row[index])

    return bind


EXPORT_COLUMNS: dict[str, ExportColumn] = {  # every column of the inbox, by its key, and more
    c.key: c
    for c in (
        ExportColumn("id", "Id", _field("id")),
        ExportColumn("title", "Title", _field("title")),
        ExportColumn("person", "Person", _field("person")),
        ExportColumn("email", "E-mails", _field("emails")),
        ExportColumn("phone", "Phones", _field("phones")),
        ExportColumn("organization", "Organisation", _field("organization")),
        ExportColumn("address", "Address", _field("address")),
        ExportColumn("website", "Website", _field("website")),
        ExportColumn("value", "Value", _money),
        ExportColumn("currency", "Currency", _field("currency")),
        ExportColumn("expected_close", "Expected close date", _when("expected_close", "date")),
        ExportColumn("activity", "Activity", _activity),
        ExportColumn("next_activity", "Next activity", _when("next_activity", "time")),
        ExportColumn("labels", "Labels", _labels),
        ExportColumn("source", "Source", _field("source")),
        ExportColumn("origin", "Origin", _field("origin")),
        ExportColumn("stage", "Stage", _field("stage")),
        ExportColumn("owner", "Owner", _field("owner")),
        ExportColumn("score", "Score", _field("score")),
        ExportColumn("score_mode", "Score mode", _field("score_mode")),
        ExportColumn("visible_to", "Visible to", _field("visible_to")),
        ExportColumn("was_seen", "Seen", _seen),
        ExportColumn("created", "Created", _when("created", "local")),
        ExportColumn("updated", "Updated", _when("updated", "local")),
        ExportColumn("archived", "Archived", _when("archived", "local")),
    )
}
ALL_COLUMNS = tuple(EXPORT_COLUMNS)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str  # "xlsx", "csv" or "vcard"
    rows: int
    seconds: float


def lead_id_batches(query: InboxQuery, size: int = BATCH) -> Iterator[list[int]]:
    """The ids of the query's leads in its sort order, a batch at a time."""
    total = query.total
    for offset in range(0, total, size):
        yield query.ids(offset, min(size, total - offset))


def lead_rows(query: InboxQuery) -> Iterator[Row]:
    """The query's leads in its order, each a plain row of ``LEAD_SQL``, streamed a window of
    ids at a time (the inbox query gives the order: a search's ranking, owners by name...)."""
    db = Lead._meta.database
    for ids in lead_id_batches(query, ID_WINDOW):
        yield from db.execute_sql(LEAD_SQL, (json.dumps(ids),))


def export_values(
    query: InboxQuery, columns: Sequence[str], now: dt.datetime | None = None
) -> Iterator[list[Any]]:
    """The cells of each lead of ``query``, in its order, for these column keys."""
    values = _Values(now or dt.datetime.now())
    cells = [EXPORT_COLUMNS[c].cell(values) for c in columns]
    for row in lead_rows(query):
        yield [cell(row) for cell in cells]


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
    kind, _ = _format_of(path)
    count = write_rows(
        path,
        [EXPORT_COLUMNS[c].title for c in columns],
        export_values(query, columns),
        bom=bom,
        progress=(lambda done: progress(done, total)) if progress else None,
        cancelled=cancelled,
    )
    if progress is not None:
        progress(count, total)
    return ExportResult(path, kind, count, time.perf_counter() - started)
