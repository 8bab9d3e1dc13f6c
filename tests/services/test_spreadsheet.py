"""Reading spreadsheets in every shape sellers bring: files made here, read back for real."""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadbox_tui.services.spreadsheet import ImportFileError, NoData, open_table

HEADERS = ["First Name", "Last Name", "Company", "E-mail"]
ROWS = [
    ["Zoë", "Martin", "Société Générale", "zoe@sg.fr"],
    ["Ann", "Lee", "Globex", "ann@globex.com"],
]


def write_text(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def csv_text(delimiter: str = ",", rows: list[list[str]] = ROWS) -> str:
    return "\r\n".join(delimiter.join(r) for r in [HEADERS, *rows]) + "\r\n"


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def patched(
    path: Path, change: Callable[[str], str], member: str = "xl/worksheets/sheet1.xml"
) -> Path:
    """The workbook with one of its XML parts edited: how we make what openpyxl cannot write."""
    source = zipfile.ZipFile(path)
    out = path.with_name("patched-" + path.name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return out


def compound_file(path: Path, *streams: str) -> Path:
    """An OLE compound file (the container of .xls and of password-protected .xlsx) whose
    directory names these streams."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[0x30:0x34] = (0).to_bytes(4, "little")  # the directory starts at sector 0
    directory = bytearray()
    for name in ("Root Entry", *streams):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if name == "Root Entry" else 2
        directory += entry
    path.write_bytes(bytes(header) + bytes(directory).ljust(512, b"\x00") + b"\x00" * 1024)
    return path


def rows_of(path: Path, **options: object) -> list[list[object]]:
    return [cells for _, cells in open_table(path, **options).rows()]


@pytest.mark.parametrize(
    ("encoding", "found"),
    [
        ("utf-8-sig", "utf-8-sig"),
        ("utf-8", "utf-8"),
        ("utf-16", "utf-16"),
        ("cp1252", "cp1252"),
    ],
)
def test_csv_encodings_are_detected_and_accents_survive(
    tmp_path: Path, encoding: str, found: str
) -> None:
    path = write_text(tmp_path / "leads.csv", csv_text(), encoding)
    table = open_table(path)
    assert table.info.encoding == found
    assert table.info.headers == tuple(HEADERS)
    assert rows_of(path) == ROWS


def test_utf16_with_bom_is_read_in_either_byte_order(tmp_path: Path) -> None:
    path = tmp_path / "big-endian.csv"
    path.write_bytes(codecs.BOM_UTF16_BE + csv_text("\t").encode("utf-16-be"))
    assert open_table(path).info.delimiter == "\t"
    assert rows_of(path) == ROWS


def test_a_legacy_encoding_can_be_chosen_instead_of_the_one_found(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(csv_text().encode("mac_roman"))
    assert open_table(path).info.encoding == "cp1252"  # a guess: any byte is valid there
    assert rows_of(path, encoding="mac_roman") == ROWS
    with pytest.raises(ImportFileError, match="unknown encoding 'klingon'"):
        open_table(path, encoding="klingon")


def test_a_file_that_is_not_utf8_as_chosen_says_so(tmp_path: Path) -> None:
    path = write_text(tmp_path / "leads.csv", csv_text(), "cp1252")
    with pytest.raises(ImportFileError, match=r"is not valid utf-8 text \(line 2\); choose"):
        rows_of(path, encoding="utf-8")


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_the_delimiter_is_detected(tmp_path: Path, delimiter: str, name: str) -> None:
    path = write_text(tmp_path / f"{name}.csv", csv_text(delimiter), "utf-8")
    assert open_table(path).info.delimiter == delimiter
    assert rows_of(path) == ROWS


def test_quoted_cells_keep_their_delimiters_quotes_and_line_breaks(tmp_path: Path) -> None:
    text = (
        'Name;Company;Notes\r\n"Martin; Zoë";"Acme ""the best""";"line one\r\nline two; three"\r\n'
        "Lee;Globex;plain\r\n"
    )
    path = write_text(tmp_path / "quoted.csv", text, "utf-8")
    assert open_table(path).info.delimiter == ";"
    assert open_table(path).rows().__next__() == (
        2,
        ["Martin; Zoë", 'Acme "the best"', "line one\r\nline two; three"],
    )
    assert [n for n, _ in open_table(path).rows()] == [2, 3]  # rows, not lines


def test_the_header_is_found_below_title_rows_in_a_csv(tmp_path: Path) -> None:
    text = "Leads export,,,\r\nMarch 2026,,,\r\n,,,\r\n" + csv_text()
    table = open_table(write_text(tmp_path / "titled.csv", text, "utf-8"))
    assert table.info.header_row == 4
    assert table.info.headers == tuple(HEADERS)
    assert [n for n, _ in table.rows()] == [5, 6]


def test_the_header_is_found_below_title_rows_in_a_workbook(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "titled.xlsx",
        {"Leads": [["Trade show leads"], ["Exported", dt.date(2026, 3, 1)], [], HEADERS, *ROWS]},
    )
    table = open_table(path)
    assert (table.info.header_row, table.info.headers) == (4, tuple(HEADERS))
    assert [(n, cells) for n, cells in table.rows()] == [(5, ROWS[0]), (6, ROWS[1])]


def test_a_cover_sheet_holding_only_a_title_is_passed_over_and_can_still_be_chosen(
    tmp_path: Path,
) -> None:
    path = workbook(
        tmp_path / "salon.xlsx",
        {"Cover": [["Leads from the Lyon fair, March 2026"]], "Leads": [HEADERS, *ROWS]},
    )
    table = open_table(path)
    assert (table.info.sheet, table.info.sheets) == ("Leads", ("Cover", "Leads"))
    assert table.info.headers == tuple(HEADERS)
    assert open_table(path, sheet="Leads").info.rows == len(ROWS)
    with pytest.raises(NoData, match=r"no data rows \(sheet 'Cover'\); its sheets: Cover, Leads"):
        open_table(path, sheet="Cover")
    titles_only = workbook(tmp_path / "titles.xlsx", {"A": [["Title"]], "B": [["Other title"]]})
    with pytest.raises(NoData, match=r"\(sheet 'A'\), nor has any other sheet \(A, B\)"):
        open_table(titles_only)


def test_the_header_row_can_be_chosen(tmp_path: Path) -> None:
    path = write_text(tmp_path / "leads.csv", "a,b\r\n" + csv_text(), "utf-8")
    assert open_table(path, header_row=2).info.headers == tuple(HEADERS)


def test_a_workbook_opens_on_its_first_sheet_with_data_and_any_sheet_can_be_chosen(
    tmp_path: Path,
) -> None:
    path = workbook(
        tmp_path / "book.xlsx",
        {"Empty": [], "Leads": [HEADERS, *ROWS], "Other": [["Name", "Phone"], ["Bob", "0612"]]},
    )
    table = open_table(path)
    assert table.info.sheets == ("Empty", "Leads", "Other")
    assert table.info.sheet == "Leads"
    assert open_table(path, sheet="Other").info.headers == ("Name", "Phone")
    with pytest.raises(ImportFileError, match="no sheet named 'Nope'; its sheets: Empty, Leads"):
        open_table(path, sheet="Nope")


def test_workbook_cells_keep_their_types(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "types.xlsx",
        {
            "Leads": [
                ["Name", "Phone", "Value", "Close", "Called at"],
                ["Zoë", 612345678, 1200.5, dt.date(2026, 3, 31), dt.datetime(2026, 3, 1, 10, 30)],
            ]
        },
    )
    [row] = rows_of(path)
    assert row == ["Zoë", 612345678, 1200.5, dt.date(2026, 3, 31), dt.datetime(2026, 3, 1, 10, 30)]
    assert isinstance(row[3], dt.date) and not isinstance(row[3], dt.datetime)


def test_formulas_are_read_as_their_cached_values(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "f.xlsx", {"Sheet": [["Name", "Total", "Label"], ["Zoë", "=1+1", "=A2"]]}
    )

    def with_cached_values(xml: str) -> str:  # what Excel writes after computing them
        return xml.replace("<f>1+1</f><v />", "<f>1+1</f><v>2</v>").replace(
            '<c r="C2"><f>A2</f><v /></c>', '<c r="C2" t="str"><f>A2</f><v>Zoë</v></c>'
        )

    assert rows_of(patched(path, with_cached_values)) == [["Zoë", 2.0, "Zoë"]]


def test_an_xlsm_workbook_is_read_like_an_xlsx(tmp_path: Path) -> None:
    path = workbook(tmp_path / "macros.xlsx", {"Leads": [HEADERS, *ROWS]})
    xlsm = patched(
        path,
        lambda xml: xml.replace(
            "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml"
        ),
        "[Content_Types].xml",
    ).rename(tmp_path / "macros.xlsm")
    assert open_table(xlsm).info.format == "xlsx"
    assert rows_of(xlsm) == ROWS


def test_a_sheet_that_claims_a_million_empty_rows_reads_its_real_rows(tmp_path: Path) -> None:
    path = workbook(tmp_path / "claims.xlsx", {"Sheet": [HEADERS, *ROWS]})

    def formatted_to_the_last_row(xml: str) -> str:
        empty_rows = "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(4, 1_048_577))
        xml = xml.replace('<dimension ref="A1:D3" />', '<dimension ref="A1:J1048576" />')
        return xml.replace("</sheetData>", empty_rows + "</sheetData>")

    table = open_table(patched(path, formatted_to_the_last_row))
    assert table.info.rows == 2
    assert [cells for _, cells in table.rows()] == ROWS


# --- bad files -----------------------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ImportFileError, match="^empty.csv is empty$"):
        open_table(tmp_path / "empty.csv")


def test_a_file_of_blank_lines_is_empty_too(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="is empty"):
        open_table(write_text(tmp_path / "blank.csv", ",,\r\n\r\n , \t,\r\n", "utf-8"))


def test_headers_and_no_rows_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="has a header row but no data rows"):
        open_table(write_text(tmp_path / "headers.csv", csv_text(rows=[]), "utf-8"))
    with pytest.raises(ImportFileError, match="has a header row but no data rows"):
        open_table(workbook(tmp_path / "headers.xlsx", {"Sheet": [HEADERS]}))


def test_not_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ImportFileError, match="photo.csv is a PNG image, not a spreadsheet"):
        open_table(png)
    binary = tmp_path / "data.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ImportFileError, match="holds binary data; it is not a spreadsheet"):
        open_table(binary)
    renamed = tmp_path / "letter.docx"
    with zipfile.ZipFile(renamed, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportFileError, match="letter.docx is a Word document, not a spreadsheet"):
        open_table(renamed)


def test_a_password_protected_workbook_is_refused(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "secret.xlsx", "EncryptionInfo", "EncryptedPackage")
    with pytest.raises(ImportFileError, match="secret.xlsx is protected by a password"):
        open_table(path)


def test_an_old_xls_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "old.xls", "Workbook", "\x05SummaryInformation")
    with pytest.raises(ImportFileError, match=r"old Excel 97-2003 \.xls file; save it as \.xlsx"):
        open_table(path)


def test_a_truncated_workbook_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "full.xlsx", {"Sheet": [HEADERS, *ROWS]})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ImportFileError, match="cut.xlsx is damaged or incomplete"):
        open_table(cut)


def test_a_cell_of_megabytes_in_a_csv_is_refused(tmp_path: Path) -> None:
    text = csv_text(rows=[["Zoë", "Martin", "x" * 2_000_000, "zoe@x.fr"]])
    with pytest.raises(ImportFileError, match=r"row 2 of huge.csv holds a cell of more than"):
        open_table(write_text(tmp_path / "huge.csv", text, "utf-8"))


def test_a_million_rows_are_refused_before_anything_is_read_into_the_inbox(
    tmp_path: Path,
) -> None:
    path = tmp_path / "million.csv"
    path.write_text("Name,E-mail\n" + "x,\n" * 1_000_000, encoding="utf-8")
    with pytest.raises(ImportFileError, match="has 1,000,000 rows, more than 500,000 at once"):
        open_table(path)
