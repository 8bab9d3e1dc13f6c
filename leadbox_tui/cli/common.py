"""What every subcommand shares: the usage parser, the ``--db`` option, opening the inbox."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from leadbox_tui.paths import resolve_database
from leadbox_tui.services.session import open_inbox

EXIT_USAGE = 2


class CliError(Exception):
    """Bad input on the command line; the message is printed as one line."""


class UsageParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="the inbox to use (default: $LEADBOX_DB, else the user data directory)",
    )


def open_from_args(args: argparse.Namespace) -> str:
    """Open the inbox the arguments name; returns its location."""
    location = resolve_database(getattr(args, "db", None))
    open_inbox(location)
    return location
