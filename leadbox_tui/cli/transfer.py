"""``leadbox import`` and ``leadbox export``: leads in from spreadsheets, e-mails and vCards,
and out to XLSX, CSV or vCard."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from leadbox_tui.cli.common import CliError, add_db_option, open_from_args
from leadbox_tui.services import importer
from leadbox_tui.services.email_import import import_emails
from leadbox_tui.services.exporter import (
    ALL_COLUMNS,
    EXPORT_COLUMNS,
    ExportError,
    export_leads,
)
from leadbox_tui.services.importer import DUPLICATE_CHOICES, ImportReport, RowNote
from leadbox_tui.services.inbox import COLUMNS, DEFAULT_COLUMNS, InboxFilter, InboxQuery, InboxSort
from leadbox_tui.services.mapping import (
    FIELDS,
    Mapping,
    MappingError,
    guess_mapping,
    mapping_from_json,
    mapping_to_json,
)
from leadbox_tui.services.spreadsheet import ImportFileError, Table, open_table
from leadbox_tui.services.vcard import export_lead_people, import_vcards

SHOWN = 20  # rows of the report listed on the terminal; --json has them all
EMAIL_SUFFIXES = (".eml", ".msg.eml")
VCARD_SUFFIXES = (".vcf", ".vcard")


def register(subparsers: argparse._SubParsersAction) -> None:
    imp = subparsers.add_parser(
        "import",
        help="import leads from a CSV/XLSX file, e-mails (.eml, or - for standard input) or vCards",
    )
    add_db_option(imp)
    imp.add_argument(
        "files", nargs="+", metavar="FILE", help="a spreadsheet, .eml or .vcf files, or -"
    )
    imp.add_argument("--sheet", help="the worksheet to read (default: the first with data)")
    imp.add_argument("--encoding", help="the text encoding of a CSV (default: detected)")
    imp.add_argument(
        "--delimiter", help="the CSV delimiter, such as ';' or 'tab' (default: detected)"
    )
    imp.add_argument(
        "--header-row", type=int, help="the row number of the headers (default: found)"
    )
    imp.add_argument("--mapping", type=Path, help="a JSON mapping of headers to fields")
    imp.add_argument("--save-mapping", type=Path, help="write the mapping used to this JSON file")
    imp.add_argument("--notes", action="store_true", help="put the columns not imported in a note")
    imp.add_argument("--month-first", action="store_true", help="read 03/04/2026 as March 4")
    imp.add_argument(
        "--duplicates",
        choices=DUPLICATE_CHOICES,
        default="skip",
        help="rows matching a known contact: skip them, merge them, or import them anyway",
    )
    imp.add_argument("--rejected", type=Path, help="where to write the rejected rows")
    imp.add_argument(
        "--preview", action="store_true", help="show what would be imported; write nothing"
    )
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=run_import)

    exp = subparsers.add_parser(
        "export", help="export the leads to XLSX or CSV, or their people to vCard"
    )
    add_db_option(exp)
    exp.add_argument("file", type=Path, metavar="FILE", help="a .xlsx, .csv, .tsv or .vcf file")
    exp.add_argument("--filter", metavar="NAME", help="a saved filter (default: the inbox)")
    exp.add_argument("--archived", action="store_true", help="the archived leads")
    exp.add_argument("--sort", default="created", choices=list(COLUMNS), help="sort column")
    exp.add_argument("--desc", action="store_true", help="descending order")
    fields = exp.add_mutually_exclusive_group()
    fields.add_argument(
        "--all-fields", action="store_true", help="every field, not the inbox columns"
    )
    fields.add_argument(
        "--columns", help=f"comma-separated columns, of: {', '.join(EXPORT_COLUMNS)}"
    )
    exp.add_argument("--bom", action="store_true", help="start a CSV with a BOM (for Excel)")
    exp.set_defaults(func=run_export)


# --- import --------------------------------------------------------------------------------------


def _kind(name: str) -> str:
    lower = name.lower()
    if name == "-" or lower.endswith(EMAIL_SUFFIXES):
        return "email"
    if lower.endswith(VCARD_SUFFIXES):
        return "vcard"
    return "table"


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise CliError(f"cannot read {name}: {error.strerror}") from error


def _delimiter(text: str | None) -> str | None:
    if text is None:
        return None
    return {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(
        text.lower(), text
    )


def _mapping(args: argparse.Namespace, table: Table) -> Mapping:
    headers = table.info.headers
    if args.mapping:
        try:
            mapping = mapping_from_json(args.mapping.read_text(encoding="utf-8"), headers)
        except OSError as error:
            raise CliError(f"cannot read {args.mapping}: {error.strerror}") from error
    else:
        mapping = guess_mapping(headers)
    return Mapping(
        mapping.fields,
        unmapped_to_note=mapping.unmapped_to_note or args.notes,
        day_first=mapping.day_first and not args.month_first,
    )


def _progress(args: argparse.Namespace):
    if getattr(args, "json", False) or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{done:,} of {total:,} rows", end="", file=sys.stderr, flush=True)

    return show


def run_import(args: argparse.Namespace) -> int:
    kinds = {_kind(name) for name in args.files}
    if len(kinds) > 1:
        raise CliError("import spreadsheets, e-mails and vCards separately")
    kind = kinds.pop()
    if kind == "table" and len(args.files) > 1:
        raise CliError("import one spreadsheet at a time")
    if args.files.count("-") > 1:
        raise CliError("standard input (-) can be read once")
    try:
        if kind == "table":
            table = open_table(
                args.files[0],
                sheet=args.sheet,
                encoding=args.encoding,
                delimiter=_delimiter(args.delimiter),
                header_row=args.header_row,
            )
            mapping = _mapping(args, table)
            if args.save_mapping:
                args.save_mapping.write_text(
                    mapping_to_json(mapping, table.info.headers) + "\n", encoding="utf-8"
                )
            open_from_args(args)
            if args.preview:
                _print_preview(table, mapping)
                return 0
            report = importer.run_import(
                table,
                mapping,
                args.duplicates,
                rejected_path=args.rejected,
                progress=_progress(args),
            )
        else:
            files = [
                (Path(name).name if name != "-" else "standard input", _read(name))
                for name in args.files
            ]
            open_from_args(args)
            if kind == "vcard" or files[0][1].lstrip().upper().startswith(b"BEGIN:VCARD"):
                report = import_vcards(files)
            else:
                report = import_emails(files)
    except (ImportFileError, MappingError, OSError) as error:
        raise CliError(str(error)) from error
    finally:
        if _progress(args) is not None:
            print(file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    return 0


SINGULAR = {"leads": "lead", "contacts": "contact", "people": "person"}


def _counted(count: int, what: str) -> str:
    return f"{count:,} {what if count != 1 else SINGULAR[what]}"


def _print_notes(title: str, notes: Sequence[RowNote]) -> None:
    if not notes:
        return
    print(f"{title}:")
    for note in notes[:SHOWN]:
        print(f"  {note.where}: {note.message}")
    if len(notes) > SHOWN:
        print(f"  ... and {len(notes) - SHOWN:,} more (--json lists them all)")


def _print_report(report: ImportReport) -> None:
    parts = [f"{_counted(report.added, report.what)} added", f"{report.merged:,} merged"]
    parts += [f"{len(report.skipped):,} skipped", f"{len(report.rejected):,} rejected"]
    print(f"{report.file}: {', '.join(parts)}")
    _print_notes("Rejected", report.rejected)
    _print_notes("Skipped (already in the inbox)", report.skipped)
    _print_notes("Imported with a change", report.warnings)
    if report.rejected_file:
        print(f"The rejected rows are in {report.rejected_file}: fix them and import that file.")


def _print_preview(table: Table, mapping: Mapping) -> None:
    info = table.info
    found = [f"{info.format.upper()}"]
    if info.sheet:
        found.append(f"sheet {info.sheet!r} of {', '.join(info.sheets)}")
    if info.encoding:
        found.append(f"encoding {info.encoding}")
    if info.delimiter:
        found.append(f"delimiter {info.delimiter!r}")
    found.append(f"headers on row {info.header_row}")
    found.append(f"about {info.rows:,} rows")
    print(f"{info.path.name}: {', '.join(found)}")
    print("Columns:")
    for header, field in zip(info.headers, mapping.fields, strict=True):
        target = FIELDS[field].label if field else ("(note)" if mapping.unmapped_to_note else "-")
        print(f"  {header} -> {target}")
    print("First rows:")
    for row in importer.preview(table, mapping):
        if row.data is None:
            print(f"  row {row.row}: REJECTED: {row.problem}")
            continue
        data = row.data
        who = ", ".join(
            x for x in (data.person, data.organization, *data.emails, *data.phones) if x
        )
        line = f"  row {row.row}: {data.title} [{who}]"
        if data.value is not None:
            line += f" {data.value} {data.currency or ''}".rstrip()
        print(line)
        for warning in data.warnings:
            print(f"      note: {warning}")
        if row.duplicate is not None:
            print(f"      duplicate: {row.duplicate.reason}")


# --- export --------------------------------------------------------------------------------------


def _query(args: argparse.Namespace) -> InboxQuery:
    sort = InboxSort(args.sort, args.desc)
    if not args.filter:
        return InboxQuery(InboxFilter(archived=args.archived), sort)
    if args.archived:
        raise CliError("--filter and --archived: the saved filter says which leads")
    try:
        from leadbox_tui.services.filters import saved_filter
    except ImportError as error:
        raise CliError("saved filters are not available yet") from error
    try:
        return InboxQuery(saved_filter(args.filter), sort)
    except ValueError as error:
        raise CliError(str(error)) from error


def run_export(args: argparse.Namespace) -> int:
    if args.all_fields:
        columns: Sequence[str] = ALL_COLUMNS
    elif args.columns:
        columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    else:
        columns = DEFAULT_COLUMNS
    open_from_args(args)
    query = _query(args)
    try:
        if args.file.suffix.lower() in VCARD_SUFFIXES:
            count = export_lead_people(args.file, query)
            print(f"{_counted(count, 'people')} written to {args.file}")
            return 0
        result = export_leads(args.file, query, columns, bom=args.bom, progress=_progress(args))
    except ExportError as error:
        raise CliError(str(error)) from error
    finally:
        if _progress(args) is not None:
            print(file=sys.stderr)
    print(f"{_counted(result.rows, 'leads')} written to {result.path}")
    return 0
