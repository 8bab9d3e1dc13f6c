"""The inbox benchmark: a million-lead demo inbox driven in a real terminal, timed as users see it.

    python benchmarks/bench_inbox.py [--leads 1000000] [--db /tmp/leadbox-bench.db] [--reuse]

Reports medians of: the demo build; process start to the first rows on screen, against a minimal
Textual app's start to its first frame (the floor); key to refreshed screen for down, page down and
G, against a key in the minimal app; each sort change to its new first rows; resident memory with
the inbox open. Not part of the test run: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import compileall
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from terminal import Terminal  # noqa: E402

import leadbox_tui  # noqa: E402
from leadbox_tui.services import preferences  # noqa: E402
from leadbox_tui.services.inbox import DEFAULT_COLUMNS, InboxQuery, InboxSort  # noqa: E402
from leadbox_tui.services.session import close_database, open_inbox  # noqa: E402

MINIMAL_APP = Path(__file__).with_name("minimal_app.py")
POSITION = re.compile(r"Lead (\d[\d,]*) of (\d[\d,]*)")
KEYS = {"down": "j", "page down": "\x1b[6~", "end (G)": "G"}
BUDGETS = {"first rows after floor": 0.15, "key": 0.016, "sort": 0.1, "memory": 150, "build": 60}


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:7.1f} ms"


def build(db: Path, leads: int, reuse: bool) -> float | None:
    if reuse and db.exists():
        return None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "leadbox_tui",
            "demo",
            "--leads",
            str(leads),
            "--db",
            str(db),
            "--seed",
            "1",
        ],
        check=True,
    )
    return time.perf_counter() - started


def titles_at(sort: InboxSort, offset: int, count: int = 2) -> list[str]:
    """The start of the titles at ``offset``: as much as a table column shows before its "…"."""
    return [row.title[:18] for row in InboxQuery(sort=sort).rows(offset, count)]


def app(db: Path) -> Terminal:
    return Terminal([sys.executable, "-m", "leadbox_tui", "--db", str(db)])


def first_rows(db: Path, sort: InboxSort, runs: int) -> tuple[list[float], list[float]]:
    expected = titles_at(sort, 0)
    ours, floor = [], []
    for _ in range(runs):
        with Terminal([sys.executable, str(MINIMAL_APP)]) as term:
            floor.append(term.wait_for("first frame ready") - term.started)
        with app(db) as term:
            ours.append(term.wait_for(*expected) - term.started)
    return ours, floor


def position_then_rows(term: Terminal, sort: InboxSort, sent: float) -> float:
    """Wait for the status line's "N of TOTAL", then for the lead at N on screen."""
    position = int(term.wait_match(POSITION).group(1).replace(",", ""))
    return term.wait_for(*titles_at(sort, position - 1, 1)) - sent


def keys(db: Path, sort: InboxSort, presses: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    for name, key in KEYS.items():
        with app(db) as term:
            term.wait_for(*titles_at(sort, 0))
            term.settle()
            samples = []
            for _ in range(presses):
                sent = term.press(key)
                samples.append(position_then_rows(term, sort, sent))
                term.settle(0.15)
                if key == "G":  # back to the top (g) for the next G
                    term.press("g")
                    term.wait_for(*titles_at(sort, 0))
                    term.settle(0.15)
            results[name] = samples
    return results


def key_floor(presses: int) -> list[float]:
    """Key ``j`` to the screen it redraws in the minimal app: Textual's own part of a key."""
    samples = []
    with Terminal([sys.executable, str(MINIMAL_APP)]) as term:
        term.wait_for("first frame ready")
        term.settle()
        for press in range(1, presses + 1):
            sent = term.press("j")
            samples.append(term.wait_for(f"key {press} drawn") - sent)
            term.settle(0.15)
    return samples


def sorts(db: Path, sort: InboxSort, rounds: int) -> tuple[dict[str, list[float]], float]:
    results: dict[str, list[float]] = {column: [] for column in DEFAULT_COLUMNS}
    with app(db) as term:
        term.wait_for(*titles_at(sort, 0))
        term.settle()
        current = sort
        for _ in range(rounds):
            for _ in DEFAULT_COLUMNS:
                current = current.next_column()
                expected = titles_at(current, 0)
                sent = term.press("s")
                results[current.column].append(term.wait_for(*expected) - sent)
                term.settle(0.15)
        term.press("G")
        term.settle()
        memory = term.rss_mb()
    return results, memory


def report(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    for what, figure, verdict in rows:
        print(f"{what:<{width}}  {figure:>12}  {verdict}")


def verdict(value: float, budget: float) -> str:
    return f"{'ok ' if value <= budget else 'OVER'} (budget {budget:g})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/leadbox-bench.db"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    # the bytecode pip writes at install: a start reads it, whatever PYTHONDONTWRITEBYTECODE says
    compileall.compile_dir(Path(leadbox_tui.__file__).parent, quiet=1)
    build_seconds = build(args.db, args.leads, args.reuse)
    open_inbox(str(args.db))
    preferences.put("inbox.sort", None)  # every run starts on the default sort
    sort = InboxSort()
    close_database()
    open_inbox(str(args.db))

    print("first rows…", file=sys.stderr)
    ours, floor = first_rows(args.db, sort, args.runs)
    print("keys…", file=sys.stderr)
    key_times = keys(args.db, sort, args.runs * 2)
    floor_keys = key_floor(args.runs * 2)
    print("sorts and memory…", file=sys.stderr)
    sort_times, memory = sorts(args.db, sort, max(1, args.runs // 2))
    close_database()

    after_floor = statistics.median(ours) - statistics.median(floor)
    rows: list[tuple[str, str, str]] = [
        ("leads", f"{args.leads:,}", ""),
        (
            "demo build",
            "reused" if build_seconds is None else f"{build_seconds:7.1f} s",
            "" if build_seconds is None else verdict(build_seconds, BUDGETS["build"]),
        ),
        ("minimal Textual app: first frame (floor)", median_ms(floor), ""),
        (
            "leadbox: first rows on screen",
            median_ms(ours),
            f"{statistics.median(ours) / statistics.median(floor):.2f}x the floor",
        ),
        (
            "first rows after the floor",
            f"{after_floor * 1000:7.1f} ms",
            verdict(after_floor, BUDGETS["first rows after floor"]),
        ),
    ]
    rows.append(("minimal Textual app: key to refreshed screen", median_ms(floor_keys), ""))
    for name, samples in key_times.items():
        rows.append(
            (
                f"key {name} to refreshed screen",
                median_ms(samples),
                verdict(statistics.median(samples), BUDGETS["key"]),
            )
        )
    for column, samples in sort_times.items():
        rows.append(
            (
                f"sort by {column} to new first rows",
                median_ms(samples),
                verdict(statistics.median(samples), BUDGETS["sort"]),
            )
        )
    rows.append(
        ("resident memory, inbox open", f"{memory:7.1f} MB", verdict(memory, BUDGETS["memory"]))
    )
    report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
