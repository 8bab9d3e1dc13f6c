"""``leadbox import`` and ``leadbox export`` as a user runs them: a real process on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

from leadbox_tui.services.filters import InboxFilter, save_filter
from leadbox_tui.services.labels import list_labels
from leadbox_tui.services.session import close_database, open_inbox

HEADERS = "Prénom;Nom;Société;E-mail;Téléphone;Valeur;Étiquettes"
CSV = (
    f"{HEADERS}\r\n"
    "Zoë;Martin;Initech SARL;zoe@initech.fr;06 12 34 56 78;1 200,50 €;Hot\r\n"
    "Ann;Lee;Globex;ann@globex;;abc;\r\n"
    ";;Acme;;;;Warm, VIP\r\n"
)
EML = (
    b"From: =?UTF-8?Q?Zo=C3=AB_Martin?= <zoe@initech.fr>\r\nSubject: Devis\r\n"
    b"Message-ID: <1@initech>\r\n\r\nBonjour\r\n"
)
VCF = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Stone\r\nEMAIL:bob@stone.io\r\nEND:VCARD\r\n"


def leadbox(*args: str, db: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "LEADBOX_DB"}
    environment["LEADBOX_PHONE_REGION"] = "FR"
    return subprocess.run(
        [sys.executable, "-m", "leadbox_tui", *args, "--db", str(db)],
        input=stdin,
        capture_output=True,
        timeout=120,
        env=environment,
    )


def listed(db: Path) -> list[dict]:
    result = leadbox("list", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_prints_what_was_added_and_rejected_and_saves_the_rejected_rows(
    tmp_path: Path,
) -> None:
    source = tmp_path / "salon.csv"
    source.write_text(CSV, encoding="utf-8")
    db = tmp_path / "inbox.db"
    result = leadbox("import", str(source), db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "salon.csv: 2 leads added, 0 merged, 0 skipped, 1 rejected",
        "Rejected:",
        "  row 3: 'ann@globex' is not an e-mail address; value: 'abc' is not an amount",
        f"The rejected rows are in {tmp_path / 'salon.rejected.csv'}: "
        "fix them and import that file.",
    ]
    assert {lead["title"]: lead["labels"] for lead in listed(db)} == {
        "Initech SARL lead": ["Hot"],
        "Acme lead": ["VIP", "Warm"],
    }
    assert (tmp_path / "salon.rejected.csv").read_text(encoding="utf-8-sig").splitlines() == [
        f"{HEADERS};Import problem",
        "Ann;Lee;Globex;ann@globex;;abc;;\"'ann@globex' is not an e-mail address; "
        "value: 'abc' is not an amount\"",
    ]


def test_a_workbook_whose_first_sheet_is_a_title_imports_its_data_sheet(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Cover"
    book.active.append(["Leads from the Lyon fair, March 2026"])
    book.create_sheet("Leads").append(["Name", "E-mail", "Company"])
    book["Leads"].append(["Ana Souza", "ana@initech.fr", "Initech"])
    source = tmp_path / "fair.xlsx"
    book.save(source)
    db = tmp_path / "inbox.db"
    preview = leadbox("import", str(source), "--preview", db=db)
    assert preview.returncode == 0, preview.stderr
    assert "sheet 'Leads' of Cover, Leads" in preview.stdout.decode()
    refused = leadbox("import", str(source), "--sheet", "Cover", db=db)
    assert refused.returncode == 2
    assert "no data rows (sheet 'Cover'); its sheets: Cover, Leads" in refused.stderr.decode()
    result = leadbox("import", str(source), "--sheet", "Leads", db=db)
    assert result.returncode == 0, result.stderr
    assert [lead["title"] for lead in listed(db)] == ["Initech lead"]


def test_import_json_report_and_duplicates_choice(tmp_path: Path) -> None:
    source = tmp_path / "salon.csv"
    source.write_text(CSV, encoding="utf-8")
    db = tmp_path / "inbox.db"
    leadbox("import", str(source), db=db)
    again = leadbox("import", str(source), "--json", "--duplicates", "skip", db=db)
    report = json.loads(again.stdout)
    assert (report["added"], report["merged"], len(report["skipped"])) == (0, 0, 2)
    assert report["rejected"][0] == {
        "where": "row 3",
        "message": "'ann@globex' is not an e-mail address; value: 'abc' is not an amount",
    }
    merged = json.loads(
        leadbox("import", str(source), "--json", "--duplicates", "merge", db=db).stdout
    )
    assert (merged["added"], merged["merged"]) == (0, 2)
    assert len(listed(db)) == 2


def test_a_bad_file_is_one_line_on_stderr_and_the_inbox_is_untouched(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    leadbox("add", "--person", "Kim", db=db)
    before = db.read_bytes()
    for name, content, message in (
        ("empty.csv", b"", "leadbox: empty.csv is empty\n"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"),
         "leadbox: old.xls is an old Excel 97-2003 .xls file; save it as .xlsx or .csv\n"),
        ("cut.xlsx", b"PK\x03\x04 and then nothing",
         "leadbox: cut.xlsx is damaged or incomplete (a broken zip archive); save it again\n"),
    ):  # fmt: skip
        (tmp_path / name).write_bytes(content)
        result = leadbox("import", str(tmp_path / name), db=db)
        assert (result.returncode, result.stdout, result.stderr.decode()) == (2, b"", message)
    assert db.read_bytes() == before


def test_a_mapping_file_is_used_and_can_be_saved(tmp_path: Path) -> None:
    source = tmp_path / "odd.csv"
    source.write_text("Who,Mail,Comment\r\nZoë Martin,zoe@x.fr,call back\r\n", encoding="utf-8")
    saved = tmp_path / "mapping.json"
    db = tmp_path / "inbox.db"
    preview = leadbox("import", str(source), "--preview", "--save-mapping", str(saved), db=db)
    assert "  Who -> -" in preview.stdout.decode()
    assert listed(db) == []
    mapping = json.loads(saved.read_text(encoding="utf-8"))
    mapping["columns"]["Who"] = "person"
    saved.write_text(json.dumps(mapping), encoding="utf-8")
    result = leadbox("import", str(source), "--mapping", str(saved), "--notes", db=db)
    assert result.returncode == 0, result.stderr
    [lead] = listed(db)
    assert (lead["person"]["name"], lead["person"]["emails"]) == ("Zoë Martin", ["zoe@x.fr"])
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    failed = leadbox("import", str(source), "--mapping", str(broken), db=db)
    assert failed.returncode == 2
    assert failed.stderr.decode().startswith("leadbox: the mapping is not valid JSON")


def test_emails_are_imported_from_files_and_from_standard_input(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    (tmp_path / "a.eml").write_bytes(EML)
    first = leadbox("import", str(tmp_path / "a.eml"), db=db)
    assert first.stdout.decode().startswith("a.eml: 1 lead added")
    piped = leadbox("import", "-", db=db, stdin=EML)
    assert piped.stdout.decode().splitlines()[:3] == [
        "standard input: 0 leads added, 0 merged, 1 skipped, 0 rejected",
        "Skipped (already in the inbox):",
        "  standard input: already imported (lead #1)",
    ]
    [lead] = listed(db)
    assert (lead["title"], lead["source"], lead["person"]["name"]) == (
        "Devis",
        "E-mail",
        "Zoë Martin",
    )


def test_vcards_are_imported_and_people_exported(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    (tmp_path / "people.vcf").write_bytes(VCF)
    result = leadbox("import", str(tmp_path / "people.vcf"), db=db)
    assert result.stdout.decode().startswith("people.vcf: 1 contact added, 0 merged")
    leadbox("add", "--person", "Bob Stone", "--email", "bob@stone.io", db=db)
    out = tmp_path / "out.vcf"
    exported = leadbox("export", str(out), db=db)
    assert exported.stdout.decode() == f"1 person written to {out}\n"
    assert b"FN:Bob Stone\r\n" in out.read_bytes()


def test_export_writes_xlsx_and_csv_with_all_fields_or_the_inbox_columns(tmp_path: Path) -> None:
    source = tmp_path / "salon.csv"
    source.write_text(CSV, encoding="utf-8")
    db = tmp_path / "inbox.db"
    leadbox("import", str(source), db=db)
    xlsx = tmp_path / "leads.xlsx"
    result = leadbox("export", str(xlsx), "--all-fields", "--sort", "title", db=db)
    assert result.stdout.decode() == f"2 leads written to {xlsx}\n"
    sheet = load_workbook(xlsx).active
    assert sheet["B1"].value == "Title" and sheet["B2"].value == "Acme lead"
    csv_file = tmp_path / "leads.csv"
    leadbox("export", str(csv_file), "--bom", db=db)
    assert csv_file.read_bytes().startswith(
        b"\xef\xbb\xbfTitle,Activity,Labels,Source,Created,Owner"
    )
    columns = leadbox("export", str(csv_file), "--columns", "title,value", db=db)
    assert columns.returncode == 0
    assert csv_file.read_text(encoding="utf-8").splitlines()[0] == "Title,Value"


def test_export_refuses_an_unknown_format_or_saved_filter(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    pdf = leadbox("export", str(tmp_path / "leads.pdf"), db=db)
    assert (pdf.returncode, pdf.stderr.decode()) == (
        2,
        "leadbox: cannot write leads.pdf: give a .xlsx, .csv, .tsv or .vcf file name\n",
    )
    unknown = leadbox("export", str(tmp_path / "leads.csv"), "--filter", "Nope", db=db)
    assert unknown.returncode == 2
    assert unknown.stderr.decode().startswith("leadbox: ")
    assert "Nope" in unknown.stderr.decode()
    assert not (tmp_path / "leads.csv").exists()


def test_export_of_a_saved_filter_writes_its_leads(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    leadbox("add", "--person", "Zoë", "--label", "Hot", db=db)
    leadbox("add", "--person", "Bob", db=db)
    open_inbox(str(db))
    try:
        [hot] = [label.id for label in list_labels() if label.name == "Hot"]
        save_filter("Hot ones", InboxFilter(labels=(hot,)))
    finally:
        close_database()
    out = tmp_path / "hot.csv"
    result = leadbox("export", str(out), "--filter", "hot ones", "--columns", "person", db=db)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines() == ["Person", "Zoë"]
