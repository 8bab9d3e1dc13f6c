"""Budgets of issue 6 (import and export), each a ratio against the raw library in the same run:

- import of a 100,000-row, 10-column XLSX, end to end (read, map, normalise, check duplicates,
  write): at most 0.4x the time openpyxl's read-only mode takes merely to iterate the file;
- import of the same rows as CSV: at most 3x the time the csv module takes to read it;
- export of 100,000 leads to XLSX (every field): at most 1.2x the time openpyxl's write-only
  mode takes to write the same rows; memory flat.

The rows are made up here (deterministic): unique people with an e-mail and a French phone,
5,000 organisations, values, currencies, close dates, labels. Each import goes into a fresh
inbox; the export reads the inbox the XLSX import made. Each figure is the median of
``--repeat`` runs, in wall time and in CPU time of this process (the steadier figure on a
machine shared with other work); the verdict is on wall time. Run:

    python benchmarks/bench_transfer.py [--rows N] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import python_calamine
from openpyxl import Workbook, load_workbook

from leadbox_tui.services.exporter import ALL_COLUMNS, Money, export_leads, export_values
from leadbox_tui.services.importer import run_import
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.mapping import guess_mapping
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.services.spreadsheet import open_table

BUDGETS = {"import XLSX": 0.4, "import CSV": 3.0, "export XLSX": 1.2}
HEADERS = ["Prénom", "Nom", "Société", "E-mail", "Téléphone", "Titre", "Valeur", "Devise",
           "Date de clôture prévue", "Étiquettes"]  # fmt: skip
FIRST = "Zoë Jean Marie Ahmed Ana Lucas Chloé Hugo Inès Noah Léa Tom Emma Louis Sofia".split()
LAST = "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Müller".split()
FORMS = ["SARL", "SAS", "SA", "GmbH", "Ltd", ""]
WORDS = ["Acme", "Initech", "Globex", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
         "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Nakatomi", "Oceanic"]  # fmt: skip


def rows(count: int) -> list[list[Any]]:
    rng = random.Random(6)
    companies = [
        f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n} {rng.choice(FORMS)}".strip()
        for n in range(5_000)
    ]
    start = dt.date(2026, 1, 1)
    out = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.append(
            [
                first,
                last,
                rng.choice(companies),
                f"{first.lower()}.{last.lower()}.{i}@example{i % 97}.fr",
                "06 " + " ".join(f"{i // 100**k % 100:02}" for k in (3, 2, 1, 0)),
                f"Lead {i}",
                round(rng.uniform(100, 50_000), 2),
                rng.choice(("EUR", "EUR", "EUR", "USD", "GBP")),
                start + dt.timedelta(days=rng.randrange(365)),
                rng.choice(("Hot", "Warm", "Cold", "Hot, VIP", "")),
            ]
        )
    return out


def timed(what: Callable[[], Any]) -> tuple[tuple[float, float], Any]:
    """(wall seconds, CPU seconds of this process) and the result. The CPU time is the steadier
    figure on a machine busy with other work; both are reported."""
    started, cpu = time.perf_counter(), time.process_time()
    result = what()
    return (time.perf_counter() - started, time.process_time() - cpu), result


def write_xlsx(path: Path, header: list[str], data: list[list[Any]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for row in data:
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, data: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(data)


def openpyxl_iterate(path: Path) -> int:
    book = load_workbook(path, read_only=True)
    count = sum(1 for _ in book.active.iter_rows(values_only=True))
    book.close()
    return count


def calamine_iterate(path: Path) -> int:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return sum(1 for _ in book.get_sheet_by_index(0).iter_rows())


def csv_read(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle))


def import_file(source: Path) -> Any:
    """What ``leadbox import FILE`` does: open, guess the mapping, import."""
    table = open_table(source)
    return run_import(table, guess_mapping(table.info.headers))


def import_into(folder: Path, name: str, source: Path) -> tuple[tuple[float, float], int]:
    """An import into a fresh inbox: (its wall and CPU seconds, the leads added)."""
    open_inbox(str(folder / name))
    try:
        seconds, report = timed(lambda: import_file(source))
    finally:
        close_database()
    assert not report.rejected and not report.skipped, report
    return seconds, report.added


def reset_peak() -> None:
    """Start counting this process's peak memory afresh (Linux; elsewhere it keeps the peak)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
        / 1024
    )


def rss_mb() -> float:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    return (
        int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
        / 1024
    )


Figure = tuple[float, float]  # (wall seconds, CPU seconds)


def median(runs: list[Figure]) -> Figure:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measure (median)")
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="leadbox-bench-transfer-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = rows(args.rows)
    xlsx, text = folder / "leads.xlsx", folder / "leads.csv"
    write_xlsx(xlsx, HEADERS, data)
    write_csv(text, data)
    del data
    runs: dict[str, list[Figure]] = {}

    def measure(name: str, what: Callable[..., Any], *args: Any) -> Any:
        seconds, result = timed(lambda: what(*args))
        runs.setdefault(name, []).append(seconds)
        return result

    def imported(name: str, inbox: str, source: Path) -> int:
        seconds, added = import_into(folder, inbox, source)
        runs.setdefault(name, []).append(seconds)
        return added

    grown = 0.0
    for run in range(args.repeat):
        count = measure("openpyxl read", openpyxl_iterate, xlsx)
        measure("calamine read", calamine_iterate, xlsx)
        added = imported("import XLSX", f"xlsx{run}.db", xlsx)
        assert added == args.rows == count - 1, (added, count)
        measure("csv read", csv_read, text)
        imported("import CSV", f"csv{run}.db", text)

        open_inbox(str(folder / f"xlsx{run}.db"))
        try:
            same = [[_plain(v) for v in row] for row in export_values(InboxQuery(), ALL_COLUMNS)]
            measure("openpyxl write", write_xlsx, folder / "baseline.xlsx", [*ALL_COLUMNS], same)
            del same
            before = rss_mb()
            reset_peak()
            result = measure(
                "export XLSX", export_leads, folder / "export.xlsx", InboxQuery(), ALL_COLUMNS
            )
            grown = max(grown, peak_mb() - before)
            assert result.rows == args.rows
        finally:
            close_database()

    figures = {name: median(found) for name, found in runs.items()}
    raw_xlsx, fast_xlsx = figures["openpyxl read"], figures["calamine read"]
    faster = raw_xlsx[0] / fast_xlsx[0]
    print(f"openpyxl read-only iterates {args.rows:,} rows in {raw_xlsx[0]:.2f} s; "
          f"python-calamine in {fast_xlsx[0]:.2f} s ({faster:.1f}x faster)")  # fmt: skip
    print(f"memory while exporting {args.rows:,} leads: at most {grown:.0f} MB above the start")
    print(f"load average of the machine: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"medians of {args.repeat} run(s):")
    failed = False
    for name, raw_name in (
        ("import XLSX", "openpyxl read"),
        ("import CSV", "csv read"),
        ("export XLSX", "openpyxl write"),
    ):
        ours, raw = figures[name], figures[raw_name]
        ratio, cpu_ratio = ours[0] / raw[0], ours[1] / raw[1]
        verdict = "ok" if ratio <= BUDGETS[name] else "OVER BUDGET"
        failed |= ratio > BUDGETS[name]
        print(f"{name:12} {ours[0]:7.2f} s vs {raw[0]:6.2f} s raw: {ratio:5.2f}x "
              f"(CPU {ours[1]:.2f} s vs {raw[1]:.2f} s: {cpu_ratio:.2f}x) "
              f"budget {BUDGETS[name]}x: {verdict}")  # fmt: skip
    if args.keep is None:
        print(f"files in {folder}")
    return 1 if failed else 0


def _plain(value: Any) -> Any:
    return value.amount if isinstance(value, Money) else value


if __name__ == "__main__":
    sys.exit(main())
