"""The duplicates screen (``D``) on a 100,000-lead demo inbox, through the real app: does it stay
responsive while the scan runs, and does ``esc`` stop the scan at once?

    python benchmarks/bench_duplicates_screen.py [--db /tmp/leadbox-dup100k.db] [--runs 3]

The app runs headless (``App.run_test``). A 10 ms timer of the app records the gaps between its
ticks while the scan runs: the largest gap is the longest the screen could not answer a key or
draw (budget 50 ms). Also reported: the scan from ``D`` to its groups on screen (budget 10 s),
how many times the progress bar moved, the processor time of the app and of the scan's process,
and how long the scan goes on after ``esc``. The inbox is built (``leadbox demo --leads 100000
--seed 1``) if the file does not exist yet. Not part of the test run.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static

from leadbox_tui.services.demo import build_demo
from leadbox_tui.services.scan_process import STARTING
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.store.models import Lead
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.screens.duplicates import DuplicatesScreen
from leadbox_tui.ui.screens.inbox import InboxScreen

SIZE = (160, 45)
TICK = 0.01
STALL_BUDGET = 0.050
SCAN_BUDGET = 10.0
STOP_BUDGET = 0.2
STOP_AFTER = (0.3, 1, 2, 3, 4, 5, 6)  # seconds of scanning before esc


async def until(condition: Callable[[], object], timeout: float = 120) -> float:
    """Seconds until ``condition`` holds, checked every millisecond."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.001)
    return time.perf_counter() - started


def cpu_seconds() -> tuple[float, float]:
    """Processor time so far of this process (the app) and of its ended child processes."""
    ours = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ours.ru_utime + ours.ru_stime, children.ru_utime + children.ru_stime


def scan_running() -> bool:
    """Whether a scan still works: a process of ours that has not ended, or a thread inside
    ``scan_duplicates`` (as the scan ran before it had a process of its own)."""
    for task in Path("/proc/self/task").iterdir():
        for child in (task / "children").read_text().split():
            stat = Path(f"/proc/{child}/stat")
            if stat.exists() and stat.read_text().rpartition(")")[2].split()[0] != "Z":
                return True
    for frame in sys._current_frames().values():
        while frame is not None:
            if frame.f_code.co_name == "scan_duplicates":
                return True
            frame = frame.f_back
    return False


class Ticks:
    """The ticks of a 10 ms timer of the app: a gap between two is time its event loop was held,
    by its own work (the main thread's processor time in the gap says how much) or by waiting:
    for the interpreter's lock, or for a core while other processes have both."""

    def __init__(self, pilot: Pilot) -> None:
        self.at: list[tuple[float, float, float]] = []  # when a tick came, the gap, its work
        self.last, self.cpu = time.perf_counter(), time.thread_time()
        self.timer = pilot.app.set_interval(TICK, self.tick)

    def tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.at.append((now, now - self.last, cpu - self.cpu))
        self.last, self.cpu = now, cpu

    def gaps(self, start: float, end: float) -> list[tuple[float, float]]:
        """The gaps that ended between ``start`` and ``end`` with their work, smallest first."""
        self.timer.stop()
        return sorted((gap, work) for at, gap, work in self.at if start <= at <= end)


def describe(gaps: list[tuple[float, float]]) -> str:
    works = sorted(work for _, work in gaps)
    return (
        f"median {statistics.median(g for g, _ in gaps) * 1000:.0f} ms, 99th percentile "
        f"{gaps[int(len(gaps) * 0.99)][0] * 1000:.0f} ms, largest {gaps[-1][0] * 1000:.0f} ms "
        f"({gaps[-1][1] * 1000:.0f} ms of it the app's own work; its most work in one gap "
        f"{works[-1] * 1000:.0f} ms)"
    )


async def one_scan(pilot: Pilot) -> dict[str, Any]:
    """``D`` from the inbox to the groups on screen, with the app's ticks measured meanwhile:
    while the screen opens (as any screen of the app does) and while the scan runs, from its
    first progress to its groups on screen."""
    await until(lambda: isinstance(pilot.app.screen, InboxScreen))
    app_cpu, scan_cpu = cpu_seconds()
    ticks = Ticks(pilot)
    started = time.perf_counter()
    await pilot.press("D")
    await until(lambda: isinstance(pilot.app.screen, DuplicatesScreen))
    screen = pilot.app.screen
    assert isinstance(screen, DuplicatesScreen)
    bar, stage = screen.query_one(ProgressBar), screen.query_one("#dup-stage", Static)
    await until(lambda: str(stage.render()) != STARTING or not screen.scanning)
    scanning = time.perf_counter()
    moves, seen = 0, bar.progress
    while screen.scanning:
        if bar.progress != seen:
            moves, seen = moves + 1, bar.progress
        await asyncio.sleep(0.001)
    took = time.perf_counter() - started
    await asyncio.sleep(0.2)  # the groups drawn
    await until(lambda: not scan_running())
    opening, during = ticks.gaps(started, scanning), ticks.gaps(scanning, time.perf_counter())
    if not screen.groups:
        raise SystemExit(f"the scan failed: {screen.query_one('#dup-summary').render()}")
    app_after, scan_after = cpu_seconds()
    figures = {
        "scan": took,
        "started": scanning - started,
        "groups": len(screen.groups),
        "moves": moves,
        "opening": describe(opening),
        "during": describe(during),
        "largest": during[-1][0],
        "app_cpu": app_after - app_cpu,
        "scan_cpu": scan_after - scan_cpu,
    }
    await pilot.press("escape")
    await until(lambda: isinstance(pilot.app.screen, InboxScreen))
    return figures


def watch_the_scan_end(ended: list[float]) -> None:
    """Notes when no scan works any more, from a thread of its own: the app's loop may be busy
    drawing the inbox again meanwhile, which says nothing of the scan."""
    while scan_running():
        time.sleep(0.001)
    ended.append(time.perf_counter())


async def stopped_scan(pilot: Pilot, after: float) -> float:
    """``esc`` ``after`` seconds of scanning: seconds until the scan has stopped working (still
    running when esc is pressed, else ``nan``: it had ended)."""
    await pilot.press("D")
    await until(lambda: isinstance(pilot.app.screen, DuplicatesScreen))
    await asyncio.sleep(after)
    if not scan_running():
        await pilot.press("escape")
        return math.nan
    ended: list[float] = []
    watcher = threading.Thread(target=watch_the_scan_end, args=(ended,))
    pressed = time.perf_counter()
    watcher.start()
    await pilot.press("escape")
    await asyncio.to_thread(watcher.join)
    return ended[0] - pressed


async def run(db: Path, runs: int) -> None:
    app = LeadboxApp(str(db))
    async with app.run_test(size=SIZE) as pilot:
        scans = [await one_scan(pilot) for _ in range(runs)]
        for n, f in enumerate(scans, 1):
            print(
                f"  scan {n}: {f['scan']:.2f} s from D to {f['groups']:,} groups on screen (the "
                f"scan's first progress after {f['started']:.2f} s), the bar moved {f['moves']} "
                f"times\n    gaps between ticks while the screen opened: {f['opening']}\n"
                f"    while the scan ran: {f['during']}\n"
                f"    CPU: app {f['app_cpu']:.2f} s, scan process {f['scan_cpu']:.2f} s"
            )
        median_scan = statistics.median(float(f["scan"]) for f in scans)
        largest = max(float(f["largest"]) for f in scans)
        print(
            f"  median scan {median_scan:.2f} s (budget {SCAN_BUDGET:.0f} s) "
            f"{'ok' if median_scan < SCAN_BUDGET else 'OVER'}; largest gap while scanning "
            f"{largest * 1000:.0f} ms (budget {STALL_BUDGET * 1000:.0f} ms) "
            f"{'ok' if largest <= STALL_BUDGET else 'OVER'}"
        )
        stops = [await stopped_scan(pilot, after) for after in STOP_AFTER]
        print(
            "  esc after "
            + ", ".join(
                f"{after:g} s: "
                + ("it had ended" if math.isnan(took) else f"stopped {took * 1000:.0f} ms later")
                for after, took in zip(STOP_AFTER, stops, strict=True)
            )
        )
        slowest = max(s for s in stops if not math.isnan(s))
        print(
            f"  slowest stop {slowest * 1000:.0f} ms (budget {STOP_BUDGET * 1000:.0f} ms) "
            f"{'ok' if slowest <= STOP_BUDGET else 'OVER'}"
        )


def ensure_demo(db: Path, leads: int) -> None:
    if db.exists():
        return
    print(f"building a demo inbox of {leads:,} leads at {db}…")
    open_inbox(str(db))
    build_demo(leads, seed=1)
    close_database()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/leadbox-dup100k.db"))
    parser.add_argument("--leads", type=int, default=100_000, help="if the inbox is built")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_demo(args.db, args.leads)
    open_inbox(str(args.db))
    leads = Lead.select().count()
    print(f"Duplicates screen on {leads:,} leads ({args.db}), {args.runs} scans")
    asyncio.run(run(args.db, args.runs))
    close_database()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
