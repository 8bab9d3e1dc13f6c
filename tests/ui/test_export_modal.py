"""The export dialog (``X``): the leads of the view, in its order, written to a file that is read
back here (openpyxl for XLSX, the csv module for CSV)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from textual.pilot import Pilot
from textual.widgets import Static

from leadbox_tui.services.exporter import ALL_COLUMNS, EXPORT_COLUMNS
from leadbox_tui.services.leads import archive
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.export import ExportModal, default_name
from leadbox_tui.ui.screens.inbox import InboxScreen
from tests.ui.conftest import SIZE, add_lead, loaded, wait_until

CREATED = dt.datetime(2024, 3, 5, 9, 0)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def open_export(pilot: Pilot) -> ExportModal:
    await pilot.press("X")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportModal))
    modal: ExportModal = pilot.app.screen  # type: ignore[assignment]
    await wait_until(pilot, lambda: "in view" in str(modal.query_one("#export-view").render()))
    return modal


async def exported(pilot: Pilot) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen), timeout=10)


async def test_X_writes_the_archived_view_in_its_order_to_xlsx(inbox_path: Path, in_tmp: Path):
    add_lead("Still in the inbox", created=CREATED)
    archived = [
        add_lead(f"Archived {n}", created=CREATED + dt.timedelta(days=n), labels=["Hot"])
        for n in range(3)
    ]
    archive(archived)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("A", "r")  # the archived leads, oldest first
        await wait_until(pilot, lambda: table.total == 3 and table.current_lead_id == archived[0])
        modal = await open_export(pilot)
        view = str(modal.query_one("#export-view", Static).render())
        assert view == "3 leads in view: Archived, by Created ▲"
        assert "XLSX workbook" in str(modal.query_one("#export-format").render())
        await pilot.press("enter")
        await exported(pilot)
    book = load_workbook(in_tmp / default_name(), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == tuple(EXPORT_COLUMNS[c].title for c in table.columns)
    assert [row[0] for row in rows[1:]] == ["Archived 0", "Archived 1", "Archived 2"]
    assert {row[2] for row in rows[1:]} == {"Hot"}


async def test_every_field_to_csv_with_a_bom(inbox_path: Path, in_tmp: Path) -> None:
    add_lead('=HYPERLINK("http://x")', person="Ada Lovelace", phones=["+33 6 12 34 56 78"])
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        modal = await open_export(pilot)
        await pilot.press("ctrl+u", *"leads.csv")
        assert "CSV" in str(modal.query_one("#export-format").render())
        await pilot.press("tab", "space", "tab", "space", "enter")  # every field, a BOM
        await exported(pilot)
    data = (in_tmp / "leads.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert header == [EXPORT_COLUMNS[c].title for c in ALL_COLUMNS]
    values = dict(zip(header, row, strict=True))
    assert values["Title"] == '\'=HYPERLINK("http://x")'  # a spreadsheet shows it, runs nothing
    assert values["Phones"] == "+33 6 12 34 56 78"


async def test_an_existing_file_is_replaced_only_on_a_second_enter(inbox_path: Path, in_tmp: Path):
    add_lead("A lead")
    (in_tmp / "leads.csv").write_text("keep me\n")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        modal = await open_export(pilot)
        await pilot.press("ctrl+u", *"leads.csv", "enter")
        status = modal.query_one("#export-status", Static)
        assert str(status.render()) == "leads.csv exists already: enter again replaces it."
        assert (in_tmp / "leads.csv").read_text() == "keep me\n"
        await pilot.press("enter")
        await exported(pilot)
    assert (in_tmp / "leads.csv").read_text().startswith("Title,")


async def test_a_name_without_a_known_format_is_refused(inbox_path: Path, in_tmp: Path):
    add_lead("A lead")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        modal = await open_export(pilot)
        await pilot.press("ctrl+u", *"leads.pdf", "enter")
        assert str(modal.query_one("#export-status").render()) == (
            "leads.pdf: name it .xlsx, .csv, .tsv or .vcf."
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
    assert not (in_tmp / "leads.pdf").exists()
