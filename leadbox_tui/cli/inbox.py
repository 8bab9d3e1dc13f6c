"""``leadbox list`` and ``leadbox add``: the inbox from the command line."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leadbox_tui.cli.common import CliError, add_db_option, open_from_args
from leadbox_tui.services import leads
from leadbox_tui.services.filters import FilterError, saved_filter
from leadbox_tui.services.inbox import (
    COLUMNS,
    InboxFilter,
    InboxQuery,
    InboxSort,
    LeadRow,
    rows_for,
)
from leadbox_tui.services.records import lead_records
from leadbox_tui.services.timefmt import long_datetime

BATCH = 1_000


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser("list", help="print the leads in the inbox")
    add_db_option(listing)
    listing.add_argument("--sort", default="created", choices=list(COLUMNS), help="sort column")
    listing.add_argument("--desc", action="store_true", help="descending order")
    listing.add_argument("--limit", type=int, default=None, help="at most N leads")
    listing.add_argument("--archived", action="store_true", help="the archived leads")
    listing.add_argument("--filter", metavar="NAME", default=None, help="a saved filter")
    listing.add_argument("--search", metavar="TEXT", default="", help="best matches first")
    listing.add_argument("--json", action="store_true", help="every field, as JSON")
    listing.set_defaults(func=run_list)

    add = subparsers.add_parser("add", help="add a lead")
    add_db_option(add)
    add.add_argument("--title", default="")
    add.add_argument("--person", default="", help="the person's name")
    add.add_argument("--org", default="", help="the organisation's name")
    add.add_argument("--email", action="append", default=[], help="repeat for several")
    add.add_argument("--phone", action="append", default=[], help="repeat for several")
    add.add_argument("--value", default=None, help="an amount, like 1200 or 1200.50")
    add.add_argument("--currency", default=None, help="a currency code, like EUR")
    add.add_argument("--close", default=None, help="expected close date, YYYY-MM-DD")
    add.add_argument("--owner", default=None, help="a user's name or handle (default: you)")
    add.add_argument("--source", default="Manually created", choices=leads.SOURCES)
    add.add_argument("--label", action="append", default=[], help="repeat for several")
    add.add_argument("--address", default=None, help="the organisation's address")
    add.add_argument("--website", default=None, help="the organisation's website")
    add.set_defaults(func=run_add)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    raise TypeError(type(value))


def _ids(query: InboxQuery, limit: int | None):
    wanted = query.total if limit is None else min(limit, query.total)
    for offset in range(0, wanted, BATCH):
        yield query.ids(offset, min(BATCH, wanted - offset))


def _list_filter(args: argparse.Namespace) -> InboxFilter:
    """The saved filter ``--filter`` names (else the inbox), plus ``--archived``, ``--search``."""
    try:
        base = saved_filter(args.filter) if args.filter else InboxFilter()
    except FilterError as error:
        raise CliError(str(error)) from error
    return dataclasses.replace(
        base, archived=base.archived or args.archived, search=args.search or base.search
    )


def run_list(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise CliError("--limit must be 0 or more")
    open_from_args(args)
    query = InboxQuery(_list_filter(args), InboxSort(args.sort, args.desc))
    if args.json:
        out = sys.stdout
        out.write("[")
        first = True
        for ids in _ids(query, args.limit):
            for record in lead_records(ids):
                out.write(
                    ("\n  " if first else ",\n  ")
                    + json.dumps(
                        dataclasses.asdict(record), default=_json_default, ensure_ascii=False
                    )
                )
                first = False
        out.write("\n]\n" if not first else "]\n")
        return 0
    table = Table(
        "id",
        "Title",
        "Activity",
        "Labels",
        "Source",
        "Created",
        "Owner",
        box=None,
        header_style="bold",
    )
    for ids in _ids(query, args.limit):
        for row in rows_for(ids):
            table.add_row(*_cells(row))
    console = Console(soft_wrap=False)
    console.print(table)
    console.print(Text(f"{query.total:,} lead{'' if query.total == 1 else 's'}", style="dim"))
    return 0


def _cells(row: LeadRow) -> list[Text]:
    return [
        Text(str(row.id)),
        Text(row.title),
        Text(row.activity.value),
        Text(", ".join(t.name for t in row.labels)),
        Text(row.source),
        Text(long_datetime(row.created_at)),
        Text(row.owner or ""),
    ]


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CliError(f"--close {text!r} is not a date like 2026-12-31") from error


def run_add(args: argparse.Namespace) -> int:
    new = leads.NewLead(
        title=args.title,
        person=args.person,
        organization=args.org,
        emails=args.email,
        phones=args.phone,
        value=args.value,
        currency=args.currency,
        expected_close=_date(args.close),
        owner=args.owner,
        source=args.source,
        labels=args.label,
        address=args.address,
        website=args.website,
    )
    open_from_args(args)
    lead_id = leads.create_lead(new)
    print(lead_id)
    return 0
