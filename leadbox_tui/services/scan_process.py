"""The duplicate scan in a process of its own, for the app: its screen never waits on it.

Run in a thread of the app, the scan held the interpreter for up to 0.7 s at a time (sorting
hundreds of thousands of names, and above all the garbage collector walking the millions of
objects the scan makes), and the screen froze meanwhile. In a process of its own it holds
nothing of the app's, runs on the other core, and stops the moment it is told: the process is
ended (it only reads). It opens the inbox with its own connection and sends its progress, then
its groups in parts small enough to unpack between two frames, through a pipe.

A plain ``python -m`` process rather than ``multiprocessing``: that one starts a helper process
handed the app's stderr, which Textual replaces with an object that has no file descriptor.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import astuple
from multiprocessing.connection import Connection

from leadbox_tui.services.duplicates import KINDS, DuplicateGroup, Progress, scan_duplicates
from leadbox_tui.services.matching import Thresholds
from leadbox_tui.store.database import close_database, open_database

POLL = 0.02  # seconds between two looks at should_stop while the scan runs
PART = 500  # groups sent at a time
STARTING = "Starting the scan"

StopRequested = Callable[[], bool]
"""Asked while the scan runs; True stops it (a worker's is_cancelled, an Event's is_set)."""


class ScanCancelled(Exception):
    """The scan was stopped before it finished; nothing was written."""


class ScanFailed(Exception):
    """The scan's process failed or ended early; the message says why in one line."""


def scan_in_process(
    location: str,
    thresholds: Thresholds | None = None,
    kinds: Sequence[str] = KINDS,
    progress: Progress | None = None,
    should_stop: StopRequested | None = None,
) -> list[DuplicateGroup]:
    """``scan_duplicates`` of the inbox at ``location``, run in a new process.

    Raises ``ScanCancelled`` within ``POLL`` seconds of ``should_stop`` saying so (the process
    is ended), and ``ScanFailed`` when the scan could not be made.
    """
    request = {
        "location": location,
        "thresholds": astuple(thresholds or Thresholds()),
        "kinds": list(kinds),
    }
    if progress is not None:
        progress(0, 100, STARTING)
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(write_end), json.dumps(request)],
            pass_fds=(write_end,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # the app's terminal; errors come through the pipe
        )
    finally:
        os.close(write_end)  # the process's alone now: the pipe ends when the process does
    messages = Connection(read_end, writable=False)
    groups: list[DuplicateGroup] = []
    try:
        while True:
            if should_stop is not None and should_stop():
                raise ScanCancelled("stopped")
            if not messages.poll(POLL):
                continue
            try:
                kind, payload = messages.recv()
            except EOFError:
                raise ScanFailed(f"the scan ended early (exit code {_end(process)})") from None
            if kind == "progress" and progress is not None:
                progress(*payload)
            elif kind == "groups":
                groups.extend(payload)
            elif kind == "error":
                raise ScanFailed(payload)
            elif kind == "done":
                return groups
    finally:
        messages.close()
        _end(process)


def _end(process: subprocess.Popen) -> int:
    """End the process if it still runs, and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(1.0)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def _scan(out: Connection, request: dict) -> None:
    """The scan's process: its progress, then its groups in parts, then "done" (or "error")."""
    gc.disable()  # a process that lives for one scan: its garbage goes with it, unwalked
    try:
        open_database(request["location"])
        last: tuple[int, str] | None = None

        def progress(done: int, total: int, stage: str) -> None:
            nonlocal last
            if (done, stage) != last:  # the scan ticks per block; the bar moves per percent
                last = (done, stage)
                out.send(("progress", (done, total, stage)))

        thresholds = Thresholds(*request["thresholds"])
        groups = scan_duplicates(thresholds, request["kinds"], progress)
        for start in range(0, len(groups), PART):
            out.send(("groups", groups[start : start + PART]))
        out.send(("done", None))
    except Exception as error:  # a locked or broken file: the app says so
        out.send(("error", str(error) or type(error).__name__))
    finally:
        close_database()
        out.close()


if __name__ == "__main__":
    _scan(Connection(int(sys.argv[1]), readable=False), json.loads(sys.argv[2]))
