"""The import wizard driven from the keyboard: files made here, imported through every step,
refused with the reader's message, stopped, and taken back with ``u``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from leadbox_tui.services import importer
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.mapping import guess_mapping
from leadbox_tui.services.records import LeadRecord, lead_records
from leadbox_tui.services.spreadsheet import open_table
from leadbox_tui.store.models import Action, Lead, Note
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.dialogs import ChoiceModal, NameModal
from leadbox_tui.ui.screens.import_wizard import ImportScreen
from leadbox_tui.ui.widgets.import_tables import (
    DuplicatesTable,
    MappingTable,
    PreviewTable,
    ReportTable,
    RowsTable,
)
from leadbox_tui.ui.widgets.path_input import completions
from tests.ui.conftest import SIZE, add_lead, loaded, table_lines, wait_until, workers_done

FAIR_CSV = (
    "Liste des prospects du salon\n"
    ";;;;;;;\n"
    "Prénom;Nom;Société;E-mail;Téléphone;Montant;Commentaire;Salon\n"
    'Ada;Lovelace;Analytical Engines;ada@example.com;06 12 34 56 78;"1 200,50 €";'
    "Met at the fair;VivaTech\n"
    "Alan;Turing;Bletchley Park;not-an-email;;;;VivaTech\n"
    'Grace;Hopper;Navy;grace@navy.mil;+1 202 555 0100;300;"Wants a demo; ""soon""";VivaTech\n'
)


PATIENCE = 20.0  # seconds a worker may take on a busy machine before a test gives up


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app runs in the test's folder, as a seller runs it where their files are."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cells(table: RowsTable, row: int) -> list[str]:
    return [cell.plain for cell in table.get_row_at(row)]


def text_of(screen: ImportScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def inbox_records() -> list[LeadRecord]:
    query = InboxQuery()
    return lead_records(query.ids(0, query.total))


async def open_wizard(pilot: Pilot) -> ImportScreen:
    await loaded(pilot)
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ImportScreen))
    return pilot.app.screen  # type: ignore[return-value]


async def choose(pilot: Pilot, screen: ImportScreen, name: str, step: str = "mapping") -> None:
    """Type a file name as the seller does, press enter, and wait for the next step."""
    await pilot.press(*name, "enter")
    await wait_until(pilot, lambda: screen.step == step, PATIENCE)


async def step_to(
    pilot: Pilot, screen: ImportScreen, key: str, step: str, timeout: float = PATIENCE
) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: screen.step == step, timeout)
    await pilot.pause()


async def test_a_csv_goes_through_every_step_into_the_inbox(inbox_path: Path, in_tmp: Path):
    known = add_lead("Existing lead", person="Ada Lovelace", emails=["ada@example.com"])
    (in_tmp / "salon.csv").write_text(FAIR_CSV, encoding="cp1252")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "salon.csv")
        assert "encoding cp1252" in text_of(screen, "#source-info")
        assert "delimiter semicolon" in text_of(screen, "#source-info")
        assert "headers on row 3" in text_of(screen, "#source-info")
        mapping = screen.query_one(MappingTable)
        assert [cells(mapping, i)[2] for i in range(mapping.row_count)] == [
            "Person: First name",
            "Person: Last name",
            "Organisation: Name",
            "Person: E-mail",
            "Person: Phone",
            "Lead: Value",
            "Lead: Note",
            "Not imported",
        ]
        # "Commentaire" out of the note field, then every unmapped column into the note
        await pilot.press("j", "j", "j", "j", "j", "j", "enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("home", "enter")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        await pilot.press("n")
        assert cells(mapping, 6)[2] == "Not imported → note"
        assert cells(mapping, 7)[2] == "Not imported → note"

        await step_to(pilot, screen, "ctrl+n", "preview")
        preview = screen.query_one(PreviewTable)
        assert preview.row_count == 3
        ada, alan, grace = (cells(preview, i) for i in range(3))
        assert ada[0] == "4" and ada[1].startswith("already in the inbox: Ada Lovelace")
        assert text_of(screen, "#preview-row") == (
            "Row 4: already in the inbox: Ada Lovelace (same e-mail ada@example.com)"
        )
        assert ada[2:5] == ["Analytical Engines lead", "Ada Lovelace", "Analytical Engines"]
        assert "1,200.50 EUR" in ada
        assert alan[1].startswith("Rejected: 'not-an-email' is not an e-mail")
        assert grace[1] == "Ready"
        await pilot.press("j")
        assert "not-an-email" in text_of(screen, "#preview-row")

        await step_to(pilot, screen, "ctrl+n", "duplicates")
        assert "1 of the file's 3 rows matches a contact" in text_of(screen, "#duplicates-info")
        assert cells(screen.query_one(DuplicatesTable), 0)[:3] == [
            "4",
            "Ada Lovelace · Analytical Engines",
            "Ada Lovelace",
        ]
        await pilot.press("down", "enter")  # merge them
        await wait_until(pilot, lambda: screen.step == "report")
        await pilot.pause()
        summary = text_of(screen, "#report-summary")
        assert summary == "salon.csv: 1 lead added, 1 merged, 0 skipped, 1 rejected."
        assert "salon.rejected.csv" in text_of(screen, "#report-file")
        assert cells(screen.query_one(ReportTable), 0) == [
            "Rejected",
            "row 5",
            "'not-an-email' is not an e-mail address",
        ]
        assert (in_tmp / "salon.rejected.csv").exists()

        await pilot.press("escape")
        table = await loaded(pilot)
        await wait_until(pilot, lambda: table.total == 2)
        shown = "\n".join(table_lines(table))
        assert "Navy lead" in shown and "Existing lead" in shown
    records = {r.title: r for r in inbox_records()}
    assert set(records) == {"Existing lead", "Navy lead"}
    assert records["Navy lead"].person.phones == ("+1 202 555 0100",)
    assert records["Existing lead"].value == 1200.5 and records["Existing lead"].currency == "EUR"
    note = Note.get(Note.lead == known)
    assert note.body == "Commentaire: Met at the fair\nSalon: VivaTech"


async def test_an_xlsx_sheet_is_chosen_and_its_typed_cells_imported(
    inbox_path: Path, in_tmp: Path
) -> None:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Fair", "Leads"])
    summary.append(["VivaTech", 2])
    leads = book.create_sheet("Leads")
    leads.append(["Leads from the fair"])
    leads.append([])
    leads.append(["First Name", "Last Name", "Company", "Phone 1", "Close date", "Lead Owner"])
    leads.append(["Zoé", "Brunet", "Atelier Brunet SARL", 612345678, dt.date(2026, 3, 31), "Alice"])
    leads.append(["Kenji", "Sato", "Sato Holdings KK", 33612345679, None, None])
    book.save(in_tmp / "fair.xlsx")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "fair.xlsx")
        mapping = screen.query_one(MappingTable)
        assert cells(mapping, 0)[0] == "A  Fair"
        assert "sheet 'Summary' of 2" in text_of(screen, "#source-info")
        await pilot.press("shift+tab", "shift+tab")  # from the columns back to the sheet
        assert pilot.app.focused is screen.query_one("#sheet")
        await pilot.press("enter", "down", "enter")
        await wait_until(pilot, lambda: cells(mapping, 0)[0] == "A  First Name")
        assert "headers on row 3" in text_of(screen, "#source-info")
        assert [cells(mapping, i)[2] for i in range(mapping.row_count)] == [
            "Person: First name",
            "Person: Last name",
            "Organisation: Name",
            "Person: Phone",
            "Lead: Expected close date",
            "Lead: Owner",
        ]
        assert cells(mapping, 3)[1] == "612345678 · 33612345679"

        await step_to(pilot, screen, "ctrl+n", "preview")
        zoe = cells(screen.query_one(PreviewTable), 0)
        assert zoe[3:6] == ["Zoé Brunet", "Atelier Brunet SARL", ""]
        assert zoe[6] == "06 12 34 56 78" and zoe[8] == "2026-03-31"
        await step_to(pilot, screen, "ctrl+n", "duplicates")
        assert "None of the file's 2 rows matches" in text_of(screen, "#duplicates-info")
        await step_to(pilot, screen, "ctrl+n", "report")
        assert text_of(screen, "#report-summary") == (
            "fair.xlsx: 2 leads added, 0 merged, 0 skipped, 0 rejected."
        )
        assert cells(screen.query_one(ReportTable), 0) == [
            "Changed",
            "row 4",
            "new teammate 'Alice' added as owner",
        ]
        await pilot.press("escape")
        table = await loaded(pilot)
        await wait_until(pilot, lambda: table.total == 2)
        shown = "\n".join(table_lines(table))
        assert "Sato Holdings KK lead" in shown and "Atelier Brunet" in shown
    records = {r.person.name: r for r in inbox_records() if r.person}
    assert records["Zoé Brunet"].expected_close == dt.date(2026, 3, 31)
    assert records["Zoé Brunet"].owner == "Alice"
    assert records["Zoé Brunet"].source == "Import"
    assert records["Zoé Brunet"].origin == "fair.xlsx"
    assert records["Kenji Sato"].person.phones == ("06 12 34 56 79",)  # 33 is France


async def test_a_workbook_whose_first_sheet_is_a_title_opens_on_its_data_with_the_sheet_choice(
    inbox_path: Path, in_tmp: Path
) -> None:
    book = Workbook()
    book.active.title = "Cover"
    book.active.append(["Leads from the Lyon fair, March 2026"])
    book.create_sheet("Leads").append(["Name", "E-mail", "Company"])
    book["Leads"].append(["Ana Souza", "ana@initech.fr", "Initech"])
    book.save(in_tmp / "fair.xlsx")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "fair.xlsx")
        assert "sheet 'Leads' of 2" in text_of(screen, "#source-info")
        assert cells(screen.query_one(MappingTable), 0)[0] == "A  Name"
        await pilot.press("shift+tab", "shift+tab")  # from the columns back to the sheet
        assert pilot.app.focused is screen.query_one("#sheet", Select)
        await pilot.press("enter", "up", "enter")  # the cover sheet: refused, Leads kept
        await wait_until(pilot, lambda: "no data rows" in text_of(screen, "#mapping-status"))
        assert "sheet 'Cover'" in text_of(screen, "#mapping-status")
        assert screen.query_one("#sheet", Select).value == "Leads"
        assert cells(screen.query_one(MappingTable), 0)[0] == "A  Name"


async def test_a_bad_file_is_refused_with_the_readers_message(inbox_path: Path, in_tmp: Path):
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "Workbook".encode("utf-16-le")
    (in_tmp / "leads.xls").write_bytes(old)
    actions = Action.select().count()
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await pilot.press(*"leads.xls", "enter")
        expected = "leads.xls is an old Excel 97-2003 .xls file; save it as .xlsx or .csv"
        await wait_until(pilot, lambda: text_of(screen, "#file-status") == expected)
        assert screen.step == "file"
        assert screen.query_one("#file-status").has_class("-error")
        await pilot.press("ctrl+u", *"missing.csv", "enter")
        await wait_until(
            pilot, lambda: "missing.csv does not exist" in text_of(screen, "#file-status")
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ImportScreen))
    assert Action.select().count() == actions
    assert Lead.select().count() == 0


async def test_u_on_the_report_takes_the_whole_import_back(inbox_path: Path, in_tmp: Path):
    add_lead("Already here")
    rows = "".join(f"Person {n},person{n}@example.com\n" for n in range(30))
    (in_tmp / "people.csv").write_text("Name,Email\n" + rows, encoding="utf-8")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "people.csv")
        await step_to(pilot, screen, "ctrl+n", "preview")
        await step_to(pilot, screen, "ctrl+n", "duplicates")
        await step_to(pilot, screen, "ctrl+n", "report")
        assert InboxQuery().total == 31
        assert "u takes the whole import back." in text_of(screen, "#report-file")
        await pilot.press("u")
        await wait_until(pilot, lambda: screen.undone and screen.step == "report")
        await pilot.pause()
        assert text_of(screen, "#report-summary").startswith("Undone: people.csv: 30 leads added")
        assert InboxQuery().total == 1
        await pilot.press("u")  # once is all
        assert InboxQuery().total == 1
        await pilot.press("escape")
        table = await loaded(pilot)
        await wait_until(pilot, lambda: table.total == 1)
    assert [r.title for r in inbox_records()] == ["Already here"]


async def test_u_never_undoes_what_came_before_an_import_that_changed_nothing(
    inbox_path: Path, in_tmp: Path
) -> None:
    add_lead("Ada's lead", person="Ada Lovelace", emails=["ada@example.com"])
    (in_tmp / "again.csv").write_text("Name,Email\nAda Lovelace,ada@example.com\n")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "again.csv")
        await step_to(pilot, screen, "ctrl+n", "preview")
        await step_to(pilot, screen, "ctrl+n", "duplicates")
        await pilot.press("down", "enter")  # merge: the row brings nothing new
        await wait_until(pilot, lambda: screen.step == "report")
        assert screen.report is not None and screen.report.merged == 1
        await pilot.press("u")
        await workers_done(pilot, "import-work")
        assert screen.step == "report" and not screen.undone
    assert not Action.select().where(Action.kind == "import").exists()  # it changed nothing
    assert [r.title for r in inbox_records()] == ["Ada's lead"]


def binding_keys(screen: object, action: str) -> set[str]:
    return {b.key for b in screen.BINDINGS if b.action == action}


async def test_esc_stops_an_import_under_way_and_nothing_is_written(
    inbox_path: Path, in_tmp: Path
) -> None:
    rows = "".join(f"Person {n},person{n}@example.com\n" for n in range(6_000))
    (in_tmp / "big.csv").write_text("Name,Email\n" + rows, encoding="utf-8")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "big.csv")
        await step_to(pilot, screen, "ctrl+n", "preview")
        await step_to(pilot, screen, "ctrl+n", "duplicates")
        # esc's action in the same tick as the start: a key press can come too late on a fast
        # machine, where 6,000 rows are imported before the next key is read
        screen.action_run_import()
        assert screen.check_action("stop", ()) and "escape" in binding_keys(screen, "stop")
        screen.action_stop()
        await wait_until(pilot, lambda: screen.step == "duplicates", timeout=20)
    assert Lead.select().count() == 0
    assert not Action.select().where(Action.kind == "import").exists()


async def test_an_email_skips_the_mapping_and_becomes_a_lead(inbox_path: Path, in_tmp: Path):
    (in_tmp / "hello.eml").write_bytes(
        b"From: =?utf-8?q?Zo=C3=A9_Brunet?= <zoe@atelier-brunet.fr>\r\n"
        b"To: me@example.com\r\n"
        b"Subject: Re: Quote for the new website\r\n"
        b"Message-ID: <abc123@atelier-brunet.fr>\r\n"
        b"Date: Tue, 3 Mar 2026 10:00:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hello, could you send a quote?\r\n-- \r\nZoe\r\n+33 6 12 34 56 78\r\n"
    )
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "hello.eml", step="report")
        assert text_of(screen, "#report-summary") == (
            "hello.eml: 1 lead added, 0 merged, 0 skipped, 0 rejected."
        )
        await pilot.press("escape")
        table = await loaded(pilot)
        await wait_until(pilot, lambda: table.total == 1)
        assert "Quote for the new" in "\n".join(table_lines(table))
    [record] = inbox_records()
    assert record.title == "Quote for the new website"
    assert record.source == "E-mail" and record.person.name == "Zoé Brunet"


def test_paths_complete_from_the_folder_listing(tmp_path: Path) -> None:
    (tmp_path / "leads-march.csv").write_text("x")
    (tmp_path / "leads-april.xlsx").write_text("x")
    (tmp_path / "notes.pdf").write_text("x")
    (tmp_path / "exports").mkdir()
    (tmp_path / ".hidden.csv").write_text("x")
    folder = f"{tmp_path}/"
    assert completions(folder + "lea", (".csv", ".xlsx")) == [
        folder + "leads-april.xlsx",
        folder + "leads-march.csv",
    ]
    assert completions(folder + "e", (".csv",)) == [folder + "exports/"]
    assert completions(folder + "n", (".csv",)) == []
    assert completions(folder + ".h", (".csv",)) == [folder + ".hidden.csv"]


async def test_tab_completes_the_path_as_far_as_the_files_agree(inbox_path: Path, in_tmp: Path):
    (in_tmp / "leads-march.csv").write_text("Name\nAda\n")
    (in_tmp / "leads-april.csv").write_text("Name\nAda\n")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        path = screen.query_one("#import-path", Input)
        await pilot.press("l", "tab")
        assert path.value == "leads-"
        await pilot.press("m", "tab")
        assert path.value == "leads-march.csv"


async def test_a_mapping_saved_by_name_is_used_again_for_the_next_file(
    inbox_path: Path, in_tmp: Path
) -> None:
    for name in ("march.csv", "april.csv"):
        (in_tmp / name).write_text("Contact,Company,Notes\nAda,Acme,Call back\n")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "march.csv")
        mapping = screen.query_one(MappingTable)
        assert cells(mapping, 2)[2] == "Lead: Note"
        await pilot.press("G", "enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("home", "enter")  # Notes: not imported
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        await pilot.press("n", "s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, NameModal))
        await pilot.press("ctrl+u", *"Trade fair", "enter")
        status = screen.query_one("#mapping-status", Static)
        await wait_until(pilot, lambda: str(status.render()) == "Mapping saved as 'Trade fair'.")

        await pilot.press("escape", "ctrl+u")
        await choose(pilot, screen, "april.csv")
        assert cells(mapping, 2)[2] == "Lead: Note"  # guessed afresh for another file
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("enter")
        await wait_until(pilot, lambda: str(status.render()) == "Using the mapping 'Trade fair'.")
        assert cells(mapping, 2)[2] == "Not imported → note"


async def test_a_wrong_encoding_chosen_is_refused_and_the_one_found_kept(
    inbox_path: Path, in_tmp: Path
) -> None:
    (in_tmp / "legacy.csv").write_text(FAIR_CSV, encoding="cp1252")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "legacy.csv")
        encoding = screen.query_one("#encoding", Select)
        assert encoding.value == "cp1252"
        encoding.focus()
        await pilot.press("enter", "down", "enter")  # utf-8, just below the one found
        status = screen.query_one("#mapping-status", Static)
        await wait_until(pilot, lambda: status.has_class("-error"))
        assert "is not valid utf-8 text (line 3)" in str(status.render())
        assert encoding.value == "cp1252"
        assert "encoding cp1252" in text_of(screen, "#source-info")


async def test_a_file_imported_twice_is_all_duplicates_listed_a_thousand_at_most(
    inbox_path: Path, in_tmp: Path
) -> None:
    rows = "".join(f"Person {n},person{n}@example.com\n" for n in range(1_100))
    (in_tmp / "twice.csv").write_text("Name,Email\n" + rows, encoding="utf-8")
    table = open_table(in_tmp / "twice.csv")
    importer.run_import(table, guess_mapping(table.info.headers))
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        screen = await open_wizard(pilot)
        await choose(pilot, screen, "twice.csv")
        await step_to(pilot, screen, "ctrl+n", "preview")
        await step_to(pilot, screen, "ctrl+n", "duplicates", timeout=60)
        info = text_of(screen, "#duplicates-info")
        assert info.startswith("1,100 of the file's 1,100 rows match a contact already in")
        assert "The first 1,000 are listed below." in info
        assert screen.query_one(DuplicatesTable).row_count == 1_000
        await step_to(pilot, screen, "ctrl+n", "report", timeout=60)  # skip them, as offered
        assert text_of(screen, "#report-summary") == (
            "twice.csv: 0 leads added, 0 merged, 1,100 skipped, 0 rejected."
        )
        assert screen.query_one(ReportTable).row_count == 1_000
        assert text_of(screen, "#report-more") == "… and 100 more."
        assert "u takes" not in text_of(screen, "#report-file")  # nothing to take back
    assert InboxQuery().total == 1_100
