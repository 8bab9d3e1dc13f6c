"""The command line: ``leadbox`` opens the inbox; subcommands work on it without a terminal UI.

Each subcommand lives in a module of this package with a ``register(subparsers)`` function.
Wrong usage or bad input prints one line on stderr and exits with status 2, never a traceback,
and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from leadbox_tui import __version__
from leadbox_tui.cli.common import EXIT_USAGE, CliError, UsageParser, add_db_option
from leadbox_tui.services.leads import LeadError
from leadbox_tui.services.session import DatabaseError

# imported only when a subcommand (or the help listing them) is asked for: opening the app
# must not wait for the import, matching and convert services they load
SUBCOMMANDS = ("inbox", "demo", "deals", "triage", "transfer", "dedupe")


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """What ``leadbox`` without a subcommand takes: the inbox to open, or the demo."""
    add_db_option(parser)
    parser.add_argument(
        "--demo", action="store_true", help="open a throw-away inbox filled with sample leads"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
        prog="leadbox", description="A keyboard-driven leads inbox for the terminal."
    )
    parser.add_argument("--version", action="version", version=f"leadbox {__version__}")
    add_app_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=UsageParser)
    for name in SUBCOMMANDS:
        import_module(f"leadbox_tui.cli.{name}").register(subparsers)
    return parser


def app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments, if they only say which inbox to open; ``None`` if they name anything
    else (a subcommand, ``--help``, a mistake), which the full parser then handles."""
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    add_app_options(parser)
    parser.set_defaults(command=None)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = app_arguments(arguments) or build_parser().parse_args(arguments)
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
