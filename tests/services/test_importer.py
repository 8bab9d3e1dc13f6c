"""Importing leads from spreadsheets: preview, duplicates, the run, its report and its undo."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadbox_tui.services import importer
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.importer import (
    ImportCancelled,
    preview,
    rejected_path_for,
    run_import,
    scan_duplicates,
)
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.mapping import Mapping, guess_mapping
from leadbox_tui.services.records import lead_records
from leadbox_tui.services.search import catch_up
from leadbox_tui.services.spreadsheet import ImportFileError, open_table
from leadbox_tui.services.users import ensure_me
from leadbox_tui.store.models import (
    Action,
    ContactPoint,
    Lead,
    LeadSearch,
    LeadSearchPending,
    Organization,
    Person,
    User,
)

HEADERS = ["Prénom", "Nom", "Société", "E-mail", "E-mail 2", "Phone 1", "Phone 2", "Valeur",
           "Devise", "Date de clôture prévue", "Étiquettes", "Lead Owner", "Source",
           "Job"]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def row(**cells: str) -> list[str]:
    """A row of HEADERS from the cells named (by header, spaces as underscores, no accents)."""
    keys = ["prenom", "nom", "societe", "email", "email2", "phone1", "phone2", "valeur", "devise",
            "cloture", "etiquettes", "owner", "source", "job"]  # fmt: skip
    return [cells.get(k, "") for k in keys]


def do_import(path: Path, mapping: Mapping | None = None, **options: object):
    table = open_table(path)
    return run_import(table, mapping or guess_mapping(table.info.headers), **options)


def records() -> list:
    query = InboxQuery()
    return lead_records(query.ids(0, query.total))


def counts() -> tuple[int, int, int, int]:
    return (
        Lead.select().where(Lead.deleted_at.is_null()).count(),
        Person.select().where(Person.deleted_at.is_null()).count(),
        Organization.select().where(Organization.deleted_at.is_null()).count(),
        ContactPoint.select().count(),
    )


def test_a_csv_becomes_leads_with_their_people_and_organisations(
    inbox_path: Path, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "salon.csv",
        [
            row(prenom="Zoë", nom="Martin", societe="Initech SARL", email="zoe@initech.fr",
                email2="z.martin@gmail.com", phone1="06 12 34 56 78", phone2="01 23 45 67 89",
                valeur="1 200,50", devise="EUR", cloture="31/03/2026", etiquettes="Hot, VIP",
                source="Formulaires web", job="CEO"),
            row(societe="Globex", valeur="$300"),
        ],
    )  # fmt: skip
    report = do_import(path)
    assert (report.added, report.merged, report.skipped, report.rejected) == (2, 0, (), ())
    first, second = sorted(records(), key=lambda r: r.id)
    assert first.title == "Initech SARL lead"
    assert first.person.name == "Zoë Martin"
    assert first.person.emails == ("zoe@initech.fr", "z.martin@gmail.com")
    assert first.person.phones == ("06 12 34 56 78", "01 23 45 67 89")
    assert first.organization.name == "Initech SARL"
    assert (first.value, first.currency) == (Decimal("1200.50"), "EUR")
    assert first.expected_close == dt.date(2026, 3, 31)
    assert first.labels == ("Hot", "VIP")
    assert (first.source, first.origin, first.owner) == (
        "Web forms",
        "salon.csv",
        ensure_me().name,
    )
    assert second.person is None and second.organization.name == "Globex"
    assert (second.value, second.currency, second.source) == (Decimal(300), "USD", "Import")


def test_unmapped_columns_go_into_the_note_when_asked(inbox_path: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [row(prenom="Zoë", nom="Martin", job="CEO")])
    table = open_table(path)
    mapping = guess_mapping(table.info.headers)
    run_import(table, Mapping(mapping.fields, unmapped_to_note=True))
    [lead] = records()
    assert [n.body for n in lead_detail(lead.id).notes] == ["Job: CEO"]


def test_the_preview_shows_rows_as_imported_with_their_problems_and_writes_nothing(
    inbox_path: Path, tmp_path: Path
) -> None:
    create_lead(NewLead(person="Ann Lee", emails=["ann@globex.com"]))
    path = write_csv(
        tmp_path / "l.csv",
        [
            row(prenom="Zoë", nom="Martin", phone1="06 12 34 56 78", source="Trade show"),
            row(nom="Lee", email="ann@globex", valeur="abc", cloture="soon"),
            row(prenom="Ann", nom="Lee", email="ANN@globex.com"),
            row(valeur="100", job="CEO"),
        ],
    )
    before = counts()
    first, second, third, fourth = preview(open_table(path), guess_mapping(HEADERS))
    assert (first.row, first.data.person, first.data.phones) == (
        2,
        "Zoë Martin",
        ("06 12 34 56 78",),
    )
    assert first.data.warnings == ("unknown source 'Trade show': imported as Import",)
    assert second.data is None
    assert second.problem == (
        "'ann@globex' is not an e-mail address; value: 'abc' is not an amount; "
        "expected close date: 'soon' is not a date"
    )
    assert third.duplicate.reason == "same e-mail ANN@globex.com"
    assert (third.duplicate.person, third.duplicate.lead_title) == ("Ann Lee", "Ann Lee lead")
    assert fourth.problem == "no person or organisation name, e-mail or phone"
    assert counts() == before


def test_rejected_rows_are_reported_and_saved_to_fix_and_import_again(
    inbox_path: Path, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [row(prenom="Zoë", email="zoe@x.fr"), row(prenom="Bob", valeur="a lot"), row(nom="Kim")],
    )
    report = do_import(path)
    assert report.added == 2
    assert [(r.where, r.message) for r in report.rejected] == [
        ("row 3", "value: 'a lot' is not an amount")
    ]
    assert report.rejected_file == tmp_path / "l.rejected.csv" == rejected_path_for(path)
    assert rejected_path_for(tmp_path / "export.dat") == tmp_path / "export.rejected.csv"
    assert rejected_path_for(tmp_path / "macros.xlsm") == tmp_path / "macros.rejected.xlsx"
    with report.rejected_file.open(encoding="utf-8-sig", newline="") as handle:
        saved = list(csv.reader(handle, delimiter=";"))
    assert saved == [
        [*HEADERS, "Import problem"],
        [*row(prenom="Bob", valeur="a lot"), "value: 'a lot' is not an amount"],
    ]
    saved[1][HEADERS.index("Valeur")] = "1500"
    with report.rejected_file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(saved)
    again = do_import(report.rejected_file)
    assert (again.added, again.rejected, again.rejected_file) == (1, (), None)
    assert {r.title: r.value for r in records()}["Bob lead"] == Decimal(1500)


def test_a_whole_import_is_undone_in_one_step(inbox_path: Path, tmp_path: Path) -> None:
    create_lead(NewLead(person="Ann Lee"))
    before = counts()
    path = write_csv(
        tmp_path / "l.csv",
        [row(prenom=f"P{i}", societe=f"Org {i % 3}", email=f"p{i}@x.fr", etiquettes="New label",
             owner="Ana Souza") for i in range(30)],
    )  # fmt: skip
    assert do_import(path).added == 30
    assert counts() != before
    assert undo_last().description == "Imported l.csv"
    assert counts()[:3] == before[:3]
    assert User.select().where(User.name == "Ana Souza").count() == 0
    assert [r.title for r in records()] == ["Ann Lee lead"]


def test_an_import_that_adds_nothing_leaves_nothing_to_undo(
    inbox_path: Path, tmp_path: Path
) -> None:
    actions = Action.select().count()
    report = do_import(write_csv(tmp_path / "l.csv", [row(valeur="x")]))
    assert (report.added, len(report.rejected)) == (0, 1)
    assert Action.select().count() == actions


def test_rows_matching_a_contact_already_there_are_skipped_by_default(
    inbox_path: Path, tmp_path: Path
) -> None:
    create_lead(NewLead(person="Zoë Martin", organization="Initech", emails=["zoe@initech.fr"]))
    create_lead(NewLead(person="Bob Stone", phones=["06 12 34 56 78"]))
    path = write_csv(
        tmp_path / "l.csv",
        [
            row(prenom="Z.", nom="Martin", email="ZOE@initech.fr"),
            row(prenom="Robert", phone1="+33 6 12 34 56 78"),
            row(prenom="Zoë", nom="Martin", societe="Initech SA"),
            row(prenom="Zoë", nom="Martin", societe="Globex"),
        ],
    )
    scan = scan_duplicates(open_table(path), guess_mapping(HEADERS))
    assert (scan.rows, scan.rejected, [d.row for d in scan.duplicates]) == (4, 0, [2, 3, 4])
    report = do_import(path)
    assert report.added == 1
    assert [(s.where, s.message) for s in report.skipped] == [
        ("row 2", "same e-mail ZOE@initech.fr as Zoë Martin, already in the inbox"),
        ("row 3", "same phone +33 6 12 34 56 78 as Bob Stone, already in the inbox"),
        ("row 4", "same name at Initech SA as Zoë Martin, already in the inbox"),
    ]


def test_merging_puts_a_row_into_the_existing_contact_and_their_open_lead(
    inbox_path: Path, tmp_path: Path
) -> None:
    lead_id = create_lead(NewLead(person="Zoë Martin", emails=["zoe@initech.fr"], labels=["Hot"]))
    path = write_csv(
        tmp_path / "l.csv",
        [row(prenom="Zoë", nom="Martin", email="zoe@initech.fr", email2="zoe@gmail.com",
             phone1="06 12 34 56 78", societe="Initech", valeur="900", devise="EUR",
             etiquettes="VIP", job="CEO")],
    )  # fmt: skip
    table = open_table(path)
    mapping = guess_mapping(table.info.headers)
    report = run_import(table, Mapping(mapping.fields, unmapped_to_note=True), "merge")
    assert (report.added, report.merged) == (0, 1)
    [lead] = records()
    assert lead.id == lead_id
    assert lead.person.emails == ("zoe@initech.fr", "zoe@gmail.com")
    assert lead.person.phones == ("06 12 34 56 78",)
    assert lead.organization is None  # the lead keeps its own organisation
    assert Person.get_by_id(lead.person.id).organization.name == "Initech"
    assert (lead.value, lead.currency, lead.labels) == (Decimal(900), "EUR", ("Hot", "VIP"))
    assert [n.body for n in lead_detail(lead_id).notes] == ["Job: CEO"]
    assert undo_last().description == "Imported l.csv"
    [lead] = records()
    assert (lead.value, lead.labels, lead.person.emails) == (None, ("Hot",), ("zoe@initech.fr",))


def test_importing_anyway_makes_a_new_person_on_the_same_organisation(
    inbox_path: Path, tmp_path: Path
) -> None:
    create_lead(NewLead(person="Zoë Martin", organization="Initech", emails=["zoe@initech.fr"]))
    path = write_csv(
        tmp_path / "l.csv", [row(prenom="Zoë", email="zoe@initech.fr", societe="INITECH sarl")]
    )
    assert do_import(path, duplicates="import").added == 1
    assert Person.select().count() == 2
    assert Organization.select().count() == 1


def test_several_rows_of_one_person_are_several_leads_of_that_person(
    inbox_path: Path, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [row(prenom="Zoë", email="zoe@x.fr", societe="Acme"),
         row(prenom="Zoë", email="zoe@x.fr", phone1="06 12 34 56 78", societe="Acme"),
         row(societe="Acme")],
    )  # fmt: skip
    assert [r.duplicate for r in preview(open_table(path), guess_mapping(HEADERS))] == [None] * 3
    report = do_import(path)
    assert (report.added, report.skipped) == (3, ())
    assert (Person.select().count(), Organization.select().count()) == (1, 1)
    [person] = {r.person for r in records() if r.person}
    assert (person.emails, person.phones) == (("zoe@x.fr",), ("06 12 34 56 78",))


def test_an_import_can_be_stopped_and_writes_nothing(inbox_path: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [row(prenom=f"P{i}") for i in range(5000)])
    before = counts()
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        do_import(
            path,
            progress=lambda done, total: seen.append((done, total)),
            cancelled=lambda: bool(seen),
        )
    assert seen == [(2000, 5000)]
    assert counts() == before
    assert not rejected_path_for(path).exists()


def test_progress_is_told_to_the_end(inbox_path: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [row(prenom=f"P{i}") for i in range(4500)])
    seen: list[tuple[int, int]] = []
    do_import(path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2000, 4500), (4000, 4500), (4500, 4500)]


def test_the_cycle_collector_pauses_during_an_import_and_comes_back_however_it_ends(
    inbox_path: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "l.csv", [row(prenom=f"P{i}") for i in range(2500)])
    during: list[bool] = []
    do_import(path, progress=lambda done, total: during.append(gc.isenabled()))
    assert during == [False, False]
    assert gc.isenabled()
    with pytest.raises(ImportCancelled):
        do_import(path, cancelled=lambda: True)
    assert gc.isenabled()
    gc.disable()  # paused by someone else: left paused
    try:
        do_import(path, duplicates="import")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_cell_of_megabytes_stops_the_import_and_writes_nothing(
    inbox_path: Path, tmp_path: Path
) -> None:
    book = Workbook()
    book.active.append(["Name", "Notes"])
    book.active.append(["Zoë", "fine"])
    book.active.append(["Bob", "PLACEHOLDER"])
    book.save(tmp_path / "big.xlsx")
    huge = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(tmp_path / "big.xlsx") as source, zipfile.ZipFile(huge, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data.replace(b"PLACEHOLDER", b"x" * 3_000_000))
    before = counts()
    with pytest.raises(ImportFileError, match="row 3, column 'Notes' holds 3,000,000 characters"):
        do_import(huge)
    assert counts() == before


def test_a_workbook_phone_typed_as_a_number_is_imported_as_a_phone(
    inbox_path: Path, tmp_path: Path
) -> None:
    book = Workbook()
    book.active.append(["Leads from the fair"])
    book.active.append(["Name", "Mobile", "Amount", "Close"])
    book.active.append(["Zoë", 612345678, 1200.5, dt.datetime(2026, 3, 31)])
    book.save(tmp_path / "fair.xlsx")
    report = do_import(tmp_path / "fair.xlsx")
    assert report.added == 1
    [lead] = records()
    assert lead.person.phones == ("06 12 34 56 78",)
    assert (lead.value, lead.expected_close) == (Decimal("1200.50"), dt.date(2026, 3, 31))
    assert ContactPoint.get(ContactPoint.kind == "phone").key == "33612345678"


def test_rejected_rows_of_a_workbook_go_to_a_workbook_with_their_types(
    inbox_path: Path, tmp_path: Path
) -> None:
    book = Workbook()
    book.active.append(["Name", "Value", "Close"])
    book.active.append(["Zoë", "lots", dt.datetime(2026, 3, 31)])
    book.save(tmp_path / "fair.xlsx")
    report = do_import(tmp_path / "fair.xlsx")
    assert report.rejected_file == tmp_path / "fair.rejected.xlsx"
    table = open_table(report.rejected_file)
    assert table.info.headers == ("Name", "Value", "Close", "Import problem")
    assert [cells for _, cells in table.rows()] == [
        ["Zoë", "lots", dt.date(2026, 3, 31), "value: 'lots' is not an amount"]
    ]


def test_an_exported_formula_guard_is_taken_off_on_import(inbox_path: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [row(prenom="'=SUM(1)", phone1="'+33 6 12 34 56 78")])
    do_import(path)
    [lead] = records()
    assert (lead.person.name, lead.person.phones) == ("=SUM(1)", ("+33 6 12 34 56 78",))


def test_a_big_import_into_a_small_inbox_builds_the_lead_indexes_after_the_rows(
    inbox_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Lead._meta.database

    def indexes() -> set[tuple[str, str]]:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lead'"
        return set(database.execute_sql(query).fetchall())

    before = indexes()
    monkeypatch.setattr(importer, "BULK_ROWS", 10)
    during: list[set[str]] = []
    path = write_csv(tmp_path / "l.csv", [row(prenom=f"P{i}") for i in range(50)])
    report = do_import(path, progress=lambda done, total: during.append({n for n, _ in indexes()}))
    assert report.added == 50
    kept = {"lead_person_id", "lead_organization_id"}  # what the import reads by
    kept |= {"lead_trash", "lead_archived_title", "lead_outside_inbox"}  # no new lead goes there
    assert kept <= during[0]
    assert not {"lead_inbox_title", "lead_inbox_created", "lead_owner_id"} & during[0]
    assert indexes() == before
    assert database.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    assert InboxQuery().total == 50


def test_a_big_import_marks_every_new_lead_for_search_and_a_merge_ends_the_bulk_load(
    inbox_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Lead._meta.database

    def schema() -> set[tuple[str, str]]:
        query = "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger')"
        return set(database.execute_sql(query).fetchall())

    known = create_lead(NewLead(person="Ann Lee", emails=["ann@globex.com"], title="Known"))
    catch_up()
    before = schema()
    monkeypatch.setattr(importer, "BULK_ROWS", 10)
    monkeypatch.setattr(importer, "CHUNK", 10)
    rows = [row(prenom=f"P{i}", email=f"p{i}@x.fr", phone1=f"0612345{i:03}") for i in range(40)]
    rows[30] = row(prenom="Ann", nom="Lee", email="ann@globex.com", etiquettes="Hot")
    during: list[bool] = []
    path = write_csv(tmp_path / "l.csv", rows)
    report = do_import(
        path,
        duplicates="merge",
        progress=lambda *_: during.append(("index", "contactpoint_kind_key") in schema()),
    )
    assert (report.added, report.merged) == (39, 1)
    assert during == [False, False, False, True]  # dropped until the merge (the 31st row)
    assert schema() == before
    new = {lead.id for lead in Lead.select(Lead.id).where(Lead.id != known)}
    assert {p.lead_id for p in LeadSearchPending.select()} >= new
    catch_up()
    assert LeadSearch.select().where(LeadSearch.match("p17*")).count() == 1
    assert "Hot" in [label.name for label in lead_detail(known).labels]


def test_a_row_with_only_a_name_close_to_a_known_one_is_a_duplicate(
    inbox_path: Path, tmp_path: Path
) -> None:
    create_lead(NewLead(person="Jean-Pierre Dupont", organization="Initech"))
    create_lead(NewLead(person="Ann Lee", emails=["ann@globex.com"]))
    path = write_csv(
        tmp_path / "l.csv",
        [
            row(prenom="Jean Pierre", nom="Dupond", societe="Initech"),
            row(prenom="Ann", nom="Lee", email="ann.lee@other.com"),
            row(prenom="Bob", nom="Stone"),
        ],
    )
    first, second, third = preview(open_table(path), guess_mapping(HEADERS))
    assert first.duplicate.person == "Jean-Pierre Dupont"
    assert first.duplicate.reason.startswith("close name (")
    assert second.duplicate is None  # another e-mail: another Ann Lee
    assert third.duplicate is None
    report = do_import(path)
    assert (report.added, [s.where for s in report.skipped]) == (2, ["row 2"])
