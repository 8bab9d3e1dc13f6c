"""Triage from the command line: saved filters, search, notes, activities, archive, trash, undo.

leadbox filters [--json]                   the saved filters, favourites first
leadbox search TEXT [--limit N] [--json]   the best matches first
leadbox note LEAD_ID TEXT                  add a note (TEXT "-" reads it from stdin)
leadbox schedule LEAD_ID TYPE [SUBJECT] [--due today|tomorrow|"next week"|DATE] [--time HH:MM]
leadbox archive|unarchive|delete|restore LEAD_ID...
leadbox trash [--limit N] [--json]         the deleted leads, the latest first
leadbox undo                               undo the last action, and say what it was
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leadbox_tui.cli import inbox
from leadbox_tui.cli.common import CliError, add_db_option, open_from_args
from leadbox_tui.services import activities, bulk, notes, search, trash
from leadbox_tui.services.filters import list_saved_filters
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.timefmt import long_datetime

STAMPS: dict[str, tuple[str, Callable[..., bulk.BulkResult]]] = {
    "archive": ("archive leads (out of the inbox, kept)", bulk.archive),
    "unarchive": ("bring archived leads back to the inbox", bulk.unarchive),
    "delete": ("move leads to the trash", bulk.delete),
    "restore": ("bring leads back from the trash", trash.restore),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    filters = subparsers.add_parser("filters", help="list the saved filters, favourites first")
    add_db_option(filters)
    filters.add_argument("--json", action="store_true", help="as JSON")
    filters.set_defaults(func=run_filters)

    searching = subparsers.add_parser("search", help="search leads, best matches first")
    add_db_option(searching)
    searching.add_argument("search", metavar="TEXT", help="words of a title, name, e-mail or phone")
    searching.add_argument("--limit", type=int, default=20, help="at most N leads (default 20)")
    searching.add_argument("--json", action="store_true", help="every field, as JSON")
    searching.set_defaults(func=run_search, sort="created", desc=False, archived=False, filter=None)

    note = subparsers.add_parser("note", help="add a note to a lead")
    add_db_option(note)
    note.add_argument("lead", type=int, metavar="LEAD_ID")
    note.add_argument("text", metavar="TEXT", help='the note; "-" reads it from stdin')
    note.set_defaults(func=run_note)

    schedule = subparsers.add_parser("schedule", help="schedule an activity on a lead")
    add_db_option(schedule)
    schedule.add_argument("lead", type=int, metavar="LEAD_ID")
    schedule.add_argument("kind", metavar="TYPE", help=", ".join(activities.ACTIVITY_TYPES))
    schedule.add_argument("subject", metavar="SUBJECT", nargs="?", default="")
    schedule.add_argument("--due", default="today", help='today, tomorrow, "next week" or a date')
    schedule.add_argument("--time", default=None, help="a time like 14:30 (default: none)")
    schedule.set_defaults(func=run_schedule)

    for name, (text, action) in STAMPS.items():
        command = subparsers.add_parser(name, help=text)
        add_db_option(command)
        command.add_argument("leads", type=int, nargs="+", metavar="LEAD_ID")
        command.set_defaults(func=run_stamp, action=action)

    deleted = subparsers.add_parser("trash", help="list the deleted leads, the latest first")
    add_db_option(deleted)
    deleted.add_argument("--limit", type=int, default=100, help="at most N leads (default 100)")
    deleted.add_argument("--json", action="store_true", help="as JSON")
    deleted.set_defaults(func=run_trash)

    undo = subparsers.add_parser("undo", help="undo the last action")
    add_db_option(undo)
    undo.set_defaults(func=run_undo)


@contextmanager
def _seller_errors() -> Iterator[None]:
    """A service's refusal becomes the one-line message of the command line."""
    try:
        yield
    except ValueError as error:
        raise CliError(str(error)) from error


def run_filters(args: argparse.Namespace) -> int:
    open_from_args(args)
    with _seller_errors():
        saved = list_saved_filters()
    if args.json:
        rows = [
            {
                "name": s.name,
                "favourite": s.favourite,
                "description": s.description,
                "filter": s.filter.to_json(),
            }
            for s in saved
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not saved:
        print("No saved filters yet.")
        return 0
    table = Table("", "Name", "Filter", box=None, header_style="bold")
    for s in saved:
        table.add_row(Text("★" if s.favourite else ""), Text(s.name), Text(s.description))
    Console(soft_wrap=False).print(table)
    return 0


def run_search(args: argparse.Namespace) -> int:
    """``list --search``, once every lead is in the search index (after a big import, say)."""
    open_from_args(args)
    search.catch_up()
    return inbox.run_list(args)


def run_note(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    open_from_args(args)
    with _seller_errors():
        note_id = notes.add_note(args.lead, text)
    print(note_id)
    return 0


def run_schedule(args: argparse.Namespace) -> int:
    open_from_args(args)
    with _seller_errors():
        due = activities.parse_due(args.due)
        at = activities.parse_time(args.time)
        activity_id = activities.schedule_activity(args.lead, args.kind, args.subject, due, at)
    print(activity_id)
    return 0


def run_stamp(args: argparse.Namespace) -> int:
    open_from_args(args)
    with _seller_errors():
        result = args.action(args.leads)
    print(f"{result.description} ({result.changed:,} changed)")
    return 0


def run_trash(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise CliError("--limit must be 0 or more")
    open_from_args(args)
    leads = trash.trashed(0, args.limit)
    if args.json:
        rows = [{**asdict(lead), "deleted_at": lead.deleted_at.isoformat()} for lead in leads]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    table = Table("id", "Title", "Person", "Organisation", "Deleted", box=None, header_style="bold")
    for lead in leads:
        table.add_row(
            Text(str(lead.id)),
            Text(lead.title),
            Text(lead.person or ""),
            Text(lead.organization or ""),
            Text(long_datetime(lead.deleted_at)),
        )
    console = Console(soft_wrap=False)
    console.print(table)
    count = trash.trash_count()
    console.print(Text(f"{count:,} lead{'' if count == 1 else 's'} in the trash", style="dim"))
    return 0


def run_undo(args: argparse.Namespace) -> int:
    open_from_args(args)
    undone = undo_last()
    if undone is None:
        print("Nothing to undo.")
        return 0
    print(f"Undid: {undone.description}")
    return 0
