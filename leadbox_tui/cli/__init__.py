"""The command line: ``leadbox`` opens the inbox; subcommands work on it without a terminal UI.

Each subcommand lives in a module of this package with a ``register(subparsers)`` function.
Wrong usage or bad input prints one line on stderr and exits with status 2, never a traceback,
and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from leadbox_tui import __version__
from leadbox_tui.cli import deals, dedupe, demo, inbox, transfer, triage
from leadbox_tui.cli.common import EXIT_USAGE, CliError, UsageParser, add_db_option
from leadbox_tui.services.leads import LeadError
from leadbox_tui.services.session import DatabaseError

SUBCOMMANDS = (inbox, demo, deals, triage, transfer, dedupe)


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
        prog="leadbox", description="A keyboard-driven leads inbox for the terminal."
    )
    parser.add_argument("--version", action="version", version=f"leadbox {__version__}")
    add_db_option(parser)
    parser.add_argument(
        "--demo", action="store_true", help="open a throw-away inbox filled with sample leads"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=UsageParser)
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from leadbox_tui.cli.run_app import run_app  # Textual loads only for the app

            return run_app(args)
        return args.func(args)
    except (CliError, DatabaseError, LeadError) as error:
        print(f"leadbox: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
