"""Reading the spreadsheets sellers bring: XLSX/XLSM, CSV and TSV in every real-world shape.

The kind of file is told from its bytes, not its name. Workbooks are read with python-calamine
(Rust): it iterates a 100,000-row sheet about twelve times faster than openpyxl's read-only mode,
gives dates as dates and formulas as their cached values, and keeps the whole sheet out of
Python objects. Text files are decoded with the encoding found (a BOM, else strict UTF-8, else a
Windows single-byte code page) and split with the delimiter found on a sample; both can be
chosen instead. The header row is looked for below title rows. Anything that cannot be read
raises ``ImportFileError`` with one line for the seller, before anything is written.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import python_calamine

Cell = Any
"""A cell as read: str, float, int, bool, date, datetime, time, or "" when empty."""

MAX_ROWS = 500_000
"""More rows than this is not a lead list but an export of a whole system: split it first."""
MAX_CELL_CHARS = 32_767  # what one Excel cell can hold
HEADER_SCAN_ROWS = 30  # the header row is looked for among the first rows
SAMPLE_BYTES = 64 * 1024
UTF8_CHECK_BYTES = 64 * 1024 * 1024  # files up to this size are checked as UTF-8 in full
CHUNK_BYTES = 1024 * 1024

ENCODINGS = ("utf-8", "utf-16", "cp1252", "latin-1", "mac_roman", "cp850")
"""The encodings offered to the seller when the one found is wrong."""
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
OTHER_FORMATS = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
_NUMBERISH = re.compile(r"^[\d\s.,+\-%€$£()/:]+$")


class ImportFileError(ValueError):
    """The file cannot be imported as asked; the message says why, in one line for the seller."""


class NoData(ImportFileError):
    """The sheet or file holds no rows to import: empty, or a header (or a title) alone."""


@dataclass(frozen=True)
class TableInfo:
    """What was found in the file, each choice of which the seller can change on reopening."""

    path: Path
    format: str  # "xlsx" or "csv"
    sheets: tuple[str, ...]  # the workbook's worksheets; () for a text file
    sheet: str | None
    encoding: str | None  # text files only
    delimiter: str | None  # text files only
    header_row: int  # as the spreadsheet numbers it, from 1
    headers: tuple[str, ...]
    rows: int  # data rows below the header (for a text file, an estimate for progress)


def column_letter(index: int) -> str:
    """ "A" for the first column, "AA" for the 27th: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_too_long(row: int, header: str, length: int) -> ImportFileError:
    return ImportFileError(
        f"row {row}, column {header!r} holds {length:,} characters, more than a spreadsheet "
        f"cell can ({MAX_CELL_CHARS:,}); is this the right file?"
    )


class Table:
    """An opened spreadsheet: its ``info``, and its data rows read again on each ``rows()``."""

    def __init__(self, info: TableInfo, source: _Source, header_index: int, width: int) -> None:
        self.info = info
        self._source = source
        self._header_index = header_index
        self._width = width

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(row number, cells) for each non-empty row below the header, padded to the headers."""
        width = self._width
        blank = [""] * width
        for number, row in self._source.numbered_rows(self._header_index + 1):
            if row.count("") == len(row):
                continue
            if len(row) < width:
                row = row + blank[len(row) :]
            yield number, row

    def sample(self, limit: int) -> list[tuple[int, list[Cell]]]:
        """The first ``limit`` data rows, for a preview."""
        out = []
        for item in self.rows():
            out.append(item)
            if len(out) >= limit:
                break
        return out


class _Source:
    """Rows of one sheet or text file, each with the number a spreadsheet would show."""

    def numbered_rows(self, skip: int) -> Iterator[tuple[int, list[Cell]]]:
        raise NotImplementedError

    def head(self) -> list[list[Cell]]:
        return [row for _, row in _take(self.numbered_rows(0), HEADER_SCAN_ROWS)]


def _take(items: Iterator[Any], count: int) -> list[Any]:
    out = []
    for item in items:
        out.append(item)
        if len(out) >= count:
            break
    return out


# --- what kind of file -------------------------------------------------------------------------


def sniff(path: Path) -> str:
    """ "xlsx" or "csv", from the file's first bytes; anything else is refused with a reason."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError as error:
        raise ImportFileError(f"{path} does not exist") from error
    except IsADirectoryError as error:
        raise ImportFileError(f"{path} is a folder, not a file") from error
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror}") from error
    if not head:
        raise ImportFileError(f"{path.name} is empty")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _check_workbook_zip(path)
        return "xlsx"
    if head.startswith(CFB_MAGIC):
        raise ImportFileError(_compound_file_problem(path))
    for magic, what in OTHER_FORMATS:
        if head.startswith(magic):
            raise ImportFileError(f"{path.name} is {what}, not a spreadsheet")
    return "csv"


def _check_workbook_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, EOFError) as error:
        raise ImportFileError(
            f"{path.name} is damaged or incomplete (a broken zip archive); save it again"
        ) from error
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise ImportFileError(f"{path.name} is a binary .xlsb workbook; save it as .xlsx or .csv")
    if b"spreadsheet" in mimetype:
        raise ImportFileError(
            f"{path.name} is an OpenDocument spreadsheet; save it as .xlsx or .csv"
        )
    if "word/document.xml" in names:
        raise ImportFileError(f"{path.name} is a Word document, not a spreadsheet")
    raise ImportFileError(f"{path.name} is a zip archive, not a spreadsheet")


def _compound_file_problem(path: Path) -> str:
    """Why an OLE compound file cannot be read: a password, an old .xls, or something else."""

    def holds(name: str) -> bool:
        needle = name.encode("utf-16-le")
        tail = b""
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                if needle in tail + chunk:
                    return True
                tail = chunk[-len(needle) :]
        return False

    if holds("EncryptedPackage"):
        return (
            f"{path.name} is protected by a password; remove the password in Excel "
            "(File > Info > Protect Workbook) and import it again"
        )
    if holds("Workbook") or holds("Book"):
        return f"{path.name} is an old Excel 97-2003 .xls file; save it as .xlsx or .csv"
    return f"{path.name} is an Office document, not a spreadsheet"


# --- workbooks -----------------------------------------------------------------------------------


class _SheetSource(_Source):
    def __init__(self, sheet: python_calamine.CalamineSheet) -> None:
        self._sheet = sheet
        self._first_row = sheet.start[0] + 1 if sheet.start else 1

    def numbered_rows(self, skip: int) -> Iterator[tuple[int, list[Cell]]]:
        number = self._first_row
        for index, row in enumerate(self._sheet.iter_rows()):
            if index >= skip:
                yield number + index, row


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as error:
        raise ImportFileError(f"{path.name} is protected by a password; remove it first") from error
    except (python_calamine.CalamineError, OSError) as error:
        raise ImportFileError(f"{path.name} is damaged or incomplete ({error})") from error


def _sheet_names(
    workbook: python_calamine.CalamineWorkbook, path: Path
) -> tuple[tuple[str, ...], list[str]]:
    """The worksheets (charts and macro sheets left out) in the workbook's order, and in the
    order they are tried for data: the visible ones first."""
    sheets = [
        m for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
    ]
    if not sheets:
        raise ImportFileError(f"{path.name} has no worksheet")
    visible = python_calamine.SheetVisibleEnum.Visible
    tried = [m.name for m in sheets if m.visible == visible]
    return tuple(m.name for m in sheets), tried + [m.name for m in sheets if m.visible != visible]


def _load_sheet(
    workbook: python_calamine.CalamineWorkbook, path: Path, name: str
) -> tuple[_SheetSource, int]:
    try:
        data = workbook.get_sheet_by_name(name)
    except python_calamine.CalamineError as error:
        raise ImportFileError(f"{path.name} cannot be read: {error}") from error
    return _SheetSource(data), data.height


# --- text files ----------------------------------------------------------------------------------


class _TextSource(_Source):
    def __init__(self, path: Path, encoding: str, delimiter: str) -> None:
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter

    def numbered_rows(self, skip: int) -> Iterator[tuple[int, list[Cell]]]:
        number = 0
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                for number, row in enumerate(csv.reader(handle, delimiter=self.delimiter), 1):
                    if number > skip:
                        yield number, row
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"{self.path.name} is not valid {self.encoding} text (line {self._bad_line()}); "
                "choose the file's encoding"
            ) from error
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise ImportFileError(
                    f"row {number + 1} of {self.path.name} holds a cell of more than "
                    f"{csv.field_size_limit():,} characters; is this the right file?"
                ) from error
            raise ImportFileError(f"row {number + 1} of {self.path.name}: {error}") from error

    def _bad_line(self) -> int:
        """The line of the first byte the encoding cannot read (only when there is one)."""
        data = self.path.read_bytes()
        try:
            data.decode(self.encoding)
        except UnicodeDecodeError as error:
            return data.count(b"\n", 0, error.start) + 1
        return 1


def detect_encoding(path: Path) -> str:
    """The text encoding: from a BOM, else UTF-8 if every byte fits, else a single-byte page."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
        if zeros_odd > len(sample) // 4 and not zeros_even:
            return "utf-16-le"
        if zeros_even > len(sample) // 4 and not zeros_odd:
            return "utf-16-be"
        raise ImportFileError(f"{path.name} holds binary data; it is not a spreadsheet")
    decoder = codecs.getincrementaldecoder("utf-8")()
    undefined = False
    read = 0
    with path.open("rb") as handle:
        while (chunk := handle.read(CHUNK_BYTES)) and read < UTF8_CHECK_BYTES:
            read += len(chunk)
            undefined = undefined or any(bytes([b]) in chunk for b in CP1252_UNDEFINED)
            if decoder is not None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    decoder = None
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    return "latin-1" if undefined else "cp1252"


def _decoded_sample(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
        complete = not handle.read(1)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw, final=complete)
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # no half line at the end
    return text


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's rows into the same number of cells most often."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        rows = [r for r in _take(csv.reader(io.StringIO(sample), delimiter=delimiter), 200) if r]
        widths = [len(r) for r in rows]
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        if common < 2:
            continue
        score = (widths.count(common) / len(widths), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _count_lines(path: Path) -> int:
    """Rows in a text file, for progress and the size check: line ends counted in the raw bytes.

    Fast and never too low (a quoted cell may hold a line end); "\r" alone ends lines in files
    from old Macs.
    """
    newlines = returns = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            newlines += chunk.count(b"\n")
            returns += chunk.count(b"\r")
    return max(newlines, returns)


def _check_encoding(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as error:
        raise ImportFileError(
            f"unknown encoding {encoding!r}; try one of {', '.join(ENCODINGS)}"
        ) from error


# --- the header ----------------------------------------------------------------------------------


def _filled(row: list[Cell]) -> int:
    return sum(1 for cell in row if cell is not None and str(cell).strip())


def _last_filled(row: list[Cell]) -> int:
    """How many columns the row spans: up to its last non-empty cell."""
    return next((i + 1 for i in range(len(row) - 1, -1, -1) if row[i] not in ("", None)), 0)


def _looks_like_headers(row: list[Cell]) -> bool:
    cells = [c for c in row if c != "" and c is not None]
    return len(cells) >= 2 and all(
        isinstance(c, str) and len(c) <= 200 and "@" not in c and not _NUMBERISH.match(c)
        for c in cells
    )


def find_header(head: list[list[Cell]]) -> int:
    """Index of the header row among the first rows: title rows above it are skipped.

    The header is the first row of labels (two or more texts, no numbers, no e-mails) as wide
    as at least half the widest row; with a single column, the first non-empty row.
    """
    widest = max((_filled(r) for r in head), default=0)
    if widest <= 1:
        return next((i for i, r in enumerate(head) if _filled(r)), 0)
    for index, row in enumerate(head):
        if _filled(row) >= max(2, (widest + 1) // 2) and _looks_like_headers(row):
            return index
    return next(i for i, r in enumerate(head) if _filled(r))


def _header_names(row: list[Cell], width: int) -> tuple[str, ...]:
    names = []
    for index in range(width):
        cell = row[index] if index < len(row) else ""
        text = cell.strip() if isinstance(cell, str) else ("" if cell in ("", None) else str(cell))
        names.append(text or f"Column {column_letter(index)}")
    return tuple(names)


# --- opening ----------------------------------------------------------------------------------


def open_table(
    path: Path | str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
) -> Table:
    """Open a spreadsheet, finding whatever is not given: sheet, encoding, delimiter, header.

    Without ``sheet``, a workbook's first sheet with data rows is read (a cover sheet holding a
    title alone is passed over); the others are offered in ``info.sheets``. ``header_row`` is
    the row number as the spreadsheet shows it (from 1). Raises ``ImportFileError`` (``NoData``
    when there are no rows) for a file that cannot be imported: not a spreadsheet, protected,
    damaged, an old .xls, empty, a header and no rows, or more than ``MAX_ROWS`` rows.
    """
    path = Path(path)
    kind = sniff(path)
    if kind == "csv":
        encoding = _check_encoding(encoding) if encoding else detect_encoding(path)
        sample = _decoded_sample(path, encoding)
        if delimiter is None:
            delimiter = detect_delimiter(sample)
        elif len(delimiter) != 1:
            raise ImportFileError(f"the delimiter must be one character, not {delimiter!r}")
        source = _TextSource(path, encoding, delimiter)
        found = _Found(path, kind, (), None, encoding, delimiter)
        return _table(found, source, _count_lines(path), header_row)
    workbook = _open_workbook(path)
    try:
        names, tried = _sheet_names(workbook, path)
        if sheet is not None and sheet not in names:
            raise ImportFileError(
                f"{path.name} has no sheet named {sheet!r}; its sheets: {', '.join(names)}"
            )
        first_error = None
        for name in [sheet] if sheet else tried:
            source, height = _load_sheet(workbook, path, name)
            try:
                return _table(_Found(path, kind, names, name), source, height, header_row)
            except NoData as error:  # a cover sheet, a title alone: the data is further on
                if sheet is not None and len(names) > 1:
                    raise NoData(f"{error}; its sheets: {', '.join(names)}") from error
                first_error = first_error or error
    finally:
        workbook.close()
    assert first_error is not None  # no sheet was given: each was tried
    if len(names) > 1:
        raise NoData(f"{first_error}, nor has any other sheet ({', '.join(names)})")
    raise first_error


@dataclass(frozen=True)
class _Found:
    """What was found of a file before its header: its kind and how it is read."""

    path: Path
    format: str
    sheets: tuple[str, ...]
    sheet: str | None
    encoding: str | None = None
    delimiter: str | None = None


def _table(found: _Found, source: _Source, estimate: int, header_row: int | None) -> Table:
    """The table of a sheet or text file: its header row found (or as given) and its data rows
    checked; ``NoData`` when it has none."""
    path = found.path
    head_rows = list(_take(source.numbered_rows(0), HEADER_SCAN_ROWS))
    if not any(_filled(row) for _, row in head_rows):
        raise NoData(f"{path.name} is empty" + (f" (sheet {found.sheet!r})" if found.sheet else ""))
    if header_row is None:
        index = find_header([row for _, row in head_rows])
    else:
        index = next((i for i, (n, _) in enumerate(head_rows) if n == header_row), -1)
        if index < 0:
            raise ImportFileError(f"row {header_row} is not among the first rows of {path.name}")
    number, header = head_rows[index]
    width = max(_last_filled(row) for _, row in head_rows[index:])
    table = Table(
        TableInfo(
            path=path,
            format=found.format,
            sheets=found.sheets,
            sheet=found.sheet,
            encoding=found.encoding,
            delimiter=found.delimiter,
            header_row=number,
            headers=_header_names(header, width),
            rows=max(0, estimate - index - 1),
        ),
        source,
        index,
        width,
    )
    if not table.sample(1):
        where = f" (sheet {found.sheet!r})" if found.sheet else ""
        raise NoData(f"{path.name} has a header row but no data rows{where}")
    if table.info.rows > MAX_ROWS:
        counted = sum(1 for _ in table.rows())
        if counted > MAX_ROWS:
            raise ImportFileError(
                f"{path.name} has {counted:,} rows, more than {MAX_ROWS:,} at once; "
                "split it into smaller files"
            )
        table.info = replace(table.info, rows=counted)
    return table
