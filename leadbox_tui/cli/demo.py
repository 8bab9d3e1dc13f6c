"""``leadbox demo``: fill an empty inbox with realistic sample leads, the same for the same seed."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from leadbox_tui.cli.common import CliError, add_db_option
from leadbox_tui.paths import DB_ENV
from leadbox_tui.services.demo import DemoError, build_demo
from leadbox_tui.services.demo_rows import DemoRowsError
from leadbox_tui.services.session import open_inbox


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="fill an empty inbox with sample leads",
        description="Fill an empty inbox with realistic sample leads, dated from today; the "
        "same seed gives the same leads on the same day. The inbox is the one --db (or "
        "LEADBOX_DB) names, never your default one.",
    )
    add_db_option(demo)
    demo.add_argument("--leads", type=int, required=True, metavar="N", help="how many leads")
    demo.add_argument("--seed", type=int, default=0, metavar="S", help="another seed, other leads")
    demo.set_defaults(func=run_demo)


class ProgressLine:
    """A percentage rewritten in place on a terminal; nothing at all when it is not one."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // max(1, total)
        if percent != self.shown:
            self.shown = percent
            self.stream.write(f"\rBuilding the demo inbox… {percent:3d}%")
            self.stream.flush()

    def close(self) -> None:
        if self.shown >= 0:
            self.stream.write("\n")
            self.stream.flush()


def run_demo(args: argparse.Namespace) -> int:
    location = getattr(args, "db", None) or os.environ.get(DB_ENV)
    if not location:
        raise CliError("demo needs the inbox to fill: --db PATH (a new file is created)")
    if args.leads <= 0:
        raise CliError(f"--leads must be 1 or more, not {args.leads}")
    open_inbox(location)
    progress = ProgressLine(sys.stderr) if sys.stderr.isatty() else None
    try:
        summary = build_demo(args.leads, seed=args.seed, progress=progress)
    except (DemoError, DemoRowsError) as error:
        raise CliError(f"{location}: {error}") from error
    finally:
        if progress is not None:
            progress.close()
    print(f"{location}: {summary.line()}")
    return 0
