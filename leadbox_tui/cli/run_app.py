"""``leadbox`` with no subcommand: open the inbox (or a throw-away demo) in the Textual app.

Textual is imported here, inside the function, so the other subcommands never load it.
"""

from __future__ import annotations

import argparse

from leadbox_tui.cli.common import open_from_args
from leadbox_tui.services.first_rows import read_first_rows
from leadbox_tui.services.session import close_database


def run_app(args: argparse.Namespace) -> int:
    if args.demo:
        from leadbox_tui.services.demo import create_throwaway_demo

        location = str(create_throwaway_demo())
    else:
        location = open_from_args(args)
    first_rows = read_first_rows()  # read while Textual and the screens load
    from leadbox_tui.ui.app import LeadboxApp

    app = LeadboxApp(location, first_rows)
    try:
        app.run()
    finally:
        close_database()
    return app.return_code or 0
