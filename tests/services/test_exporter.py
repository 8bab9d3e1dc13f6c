"""Exporting leads to XLSX and CSV: typed cells, safe to open, streamed, and imported back whole."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from leadbox_tui.services.exporter import (
    ALL_COLUMNS,
    EXPORT_COLUMNS,
    ExportCancelled,
    ExportError,
    export_leads,
    neutralise,
    restore_neutralised,
    write_rows,
)
from leadbox_tui.services.importer import run_import
from leadbox_tui.services.inbox import COLUMNS, InboxQuery, InboxSort
from leadbox_tui.services.leads import NewLead, create_lead, update_lead
from leadbox_tui.services.mapping import guess_mapping
from leadbox_tui.services.records import lead_records
from leadbox_tui.services.session import open_inbox
from leadbox_tui.services.spreadsheet import open_table
from leadbox_tui.services.users import add_user

RISKY = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)",
         "\tTab", "\rCR"]  # fmt: skip


def some_leads() -> list[int]:
    add_user("Ana Souza")
    return [
        create_lead(
            NewLead(
                person="Zoë Martin",
                organization="Initech SARL",
                title="=SUM(A1:A9)",
                emails=["zoe@initech.fr", "z.martin@gmail.com"],
                phones=["+33 6 12 34 56 78", "01 23 45 67 89"],
                value="1200.50",
                currency="EUR",
                expected_close=dt.date(2026, 3, 31),
                owner="Ana Souza",
                source="Web forms",
                labels=["Hot", "Warm"],
                address="12 rue de la Paix, 75002 Paris",
                website="https://initech.fr",
            )
        ),
        create_lead(NewLead(organization="@Globex", value="99", currency="JPY", labels=["Cold"])),
        create_lead(NewLead(person="Zoë Martin", emails=["zoe@initech.fr"], title="Second deal")),
        create_lead(NewLead(person="-Bob", phones=["-12 34"], origin="referral from Kim")),
    ]


def test_xlsx_has_typed_cells_a_bold_frozen_header_an_autofilter_and_widths(
    inbox_path: Path, tmp_path: Path
) -> None:
    first, *_ = some_leads()
    update_lead(first, stage="Qualified")
    path = tmp_path / "leads.xlsx"
    result = export_leads(path, InboxQuery(sort=InboxSort("title", descending=False)), ALL_COLUMNS)
    assert (result.rows, result.format) == (4, "xlsx")
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Id", "Title", "Person", "E-mails", "Phones"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}5"
    assert 8 <= sheet.column_dimensions["B"].width <= 50
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    row = {h: c for h, c in zip(header, sheet[3], strict=True)}  # after "-Bob lead"
    assert row["Title"].value == "=SUM(A1:A9)" and row["Title"].data_type == "s"
    assert (row["Value"].value, row["Value"].number_format) == (1200.5, '#,##0.00 "EUR"')
    assert row["Currency"].value == "EUR"
    assert row["Expected close date"].value == dt.datetime(2026, 3, 31)
    assert row["Expected close date"].is_date
    assert isinstance(row["Created"].value, dt.datetime)
    assert row["Phones"].value == "+33 6 12 34 56 78; 01 23 45 67 89"
    yen = {h: c for h, c in zip(header, sheet[4], strict=True)}
    assert (yen["Value"].value, yen["Value"].number_format) == (99, '#,##0 "JPY"')


def test_each_row_keeps_its_own_amount_in_its_currency_format(
    inbox_path: Path, tmp_path: Path
) -> None:
    for n, value in enumerate(["10", "20.5", "30", None, "40"]):
        create_lead(NewLead(person="X", title=f"Lead {n}", value=value, currency="EUR"))
    path = tmp_path / "amounts.xlsx"
    export_leads(path, InboxQuery(sort=InboxSort("created", descending=False)), ["title", "value"])
    rows = list(load_workbook(path).active.iter_rows(min_row=2))
    values = [(r[0].value, r[1].value) for r in rows]
    assert values == [("Lead 0", 10), ("Lead 1", 20.5), ("Lead 2", 30), ("Lead 3", None),
                      ("Lead 4", 40)]  # fmt: skip
    assert {r[1].number_format for r in rows if r[1].value is not None} == {'#,##0.00 "EUR"'}


def test_xlsx_text_loses_only_the_characters_a_workbook_cannot_hold(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    write_rows(path, ["A", "B", "C"], [["ok", "bell\x07", "=calc\x1b"], ["fine", "", "x"]])
    rows = [[c.value for c in r] for r in load_workbook(path).active.iter_rows(min_row=2)]
    assert rows == [["ok", "bell", "=calc"], ["fine", None, "x"]]


def test_xlsx_writes_risky_text_as_text_cells_that_never_run(
    inbox_path: Path, tmp_path: Path
) -> None:
    for title in RISKY:
        create_lead(NewLead(person="X", title=title, phones=["+33 6 12 34 56 78"]))
    path = tmp_path / "risky.xlsx"
    export_leads(path, InboxQuery(sort=InboxSort("created", descending=False)), ["title", "phone"])
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cells = [(r[0].value, r[1].value) for r in load_workbook(path).active.iter_rows(min_row=2)]
    assert cells == [(t.strip(), "+33 6 12 34 56 78") for t in RISKY]


def test_csv_neutralises_formulas_and_keeps_phones_and_numbers_as_they_are() -> None:
    assert [neutralise(t) for t in RISKY] == ["'" + t for t in RISKY]
    assert neutralise("+33 6 12 34 56 78") == "+33 6 12 34 56 78"
    assert neutralise("-12.5") == "-12.5"
    assert neutralise("-12 34") == "'-12 34"
    assert (
        neutralise("+33 6 12 34 56 78; +44 20 7946 0958") == "+33 6 12 34 56 78; +44 20 7946 0958"
    )
    assert neutralise("(01) 23-45") == "(01) 23-45"
    assert neutralise("Plain = text") == "Plain = text"
    assert [restore_neutralised(neutralise(t)) for t in RISKY] == RISKY


def test_csv_is_utf8_with_a_bom_on_request_and_neutralised(
    inbox_path: Path, tmp_path: Path
) -> None:
    some_leads()
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    query = InboxQuery(sort=InboxSort("title", descending=False))
    export_leads(plain, query, ["title", "phone", "organization", "value", "currency"])
    export_leads(excel, query, ["title"], bom=True)
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    with plain.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["Title", "Phones", "Organisation", "Value", "Currency"],
        ["'-Bob lead", "'-12 34", "", "", ""],
        ["'=SUM(A1:A9)", "+33 6 12 34 56 78; 01 23 45 67 89", "Initech SARL", "1200.50", "EUR"],
        ["'@Globex lead", "", "'@Globex", "99", "JPY"],
        ["Second deal", "+33 6 12 34 56 78; 01 23 45 67 89", "", "", ""],
    ]


def test_an_export_follows_the_query_and_tells_its_progress(
    inbox_path: Path, tmp_path: Path
) -> None:
    for i in range(2500):
        create_lead(NewLead(organization=f"Org {i:04}"))
    seen: list[tuple[int, int]] = []
    path = tmp_path / "all.csv"
    result = export_leads(
        path,
        InboxQuery(sort=InboxSort("title", descending=True)),
        ["title"],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.rows == 2500
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["Title", "Org 2499 lead", "Org 2498 lead"]


def test_a_stopped_export_leaves_no_file_and_spares_an_older_one(
    inbox_path: Path, tmp_path: Path
) -> None:
    for i in range(1500):
        create_lead(NewLead(organization=f"Org {i}"))
    path = tmp_path / "leads.xlsx"
    path.write_bytes(b"the export of last week")
    with pytest.raises(ExportCancelled):
        export_leads(path, cancelled=lambda: True)
    assert path.read_bytes() == b"the export of last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "inbox.db",
        "inbox.db-shm",
        "inbox.db-wal",
        "leads.xlsx",
    ]


def test_an_unknown_format_or_column_is_refused(inbox_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="give a .xlsx, .csv, .tsv or .vcf file name"):
        export_leads(tmp_path / "leads.pdf")
    with pytest.raises(ExportError, match="unknown column 'shoe'"):
        export_leads(tmp_path / "leads.csv", columns=["title", "shoe"])


def comparable(records: list) -> list[tuple]:
    """What an export keeps of each lead, its person and organisation (ids aside)."""
    return sorted(
        (
            r.title, r.value, r.currency, r.expected_close, r.owner, r.source, r.origin,
            r.stage, r.labels,
            (r.person.name, r.person.emails, r.person.phones) if r.person else None,
            (r.organization.name, r.organization.address, r.organization.website)
            if r.organization else None,
        )
        for r in records
    )  # fmt: skip


@pytest.mark.parametrize("name", ["round.xlsx", "round.csv"])
def test_exporting_all_fields_and_importing_them_into_an_empty_inbox_gives_the_same_leads(
    inbox_path: Path, tmp_path: Path, name: str
) -> None:
    first, *_ = some_leads()
    update_lead(first, stage="Qualified")
    query = InboxQuery()
    before = comparable(lead_records(query.ids(0, query.total)))
    people = {r.person.id for r in lead_records(query.ids(0, query.total)) if r.person}
    path = tmp_path / name
    export_leads(path, query, ALL_COLUMNS)

    open_inbox(str(tmp_path / "empty.db"))
    add_user("Ana Souza")
    table = open_table(path)
    report = run_import(table, guess_mapping(table.info.headers))
    assert (report.added, report.skipped, report.rejected) == (4, (), ())
    query = InboxQuery()
    after = lead_records(query.ids(0, query.total))
    assert comparable(after) == before
    assert len({r.person.id for r in after if r.person}) == len(people)
    assert {r.value for r in after} == {Decimal("1200.50"), Decimal(99), None}


def test_every_column_the_inbox_can_show_can_be_exported() -> None:
    assert set(COLUMNS) <= set(EXPORT_COLUMNS)
