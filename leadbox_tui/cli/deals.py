"""``leadbox convert`` and ``leadbox deals``: leads to deals (or contacts) and back from the
command line.

``leadbox convert LEAD_ID... [--pipeline P] [--stage S] [--owner O]`` makes deals;
``leadbox convert --to-contact LEAD_ID...`` keeps the leads' people and organisations as
contacts instead. ``leadbox deals`` lists the deals a filter shows; ``deals to-lead`` converts
the deals named, or without ids every deal the same filter options show (at most 100 either
way); ``deals restore`` brings deleted deals back.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leadbox_tui.cli.common import CliError, add_db_option, open_from_args
from leadbox_tui.cli.inbox import _json_default
from leadbox_tui.services import convert, deal_to_lead, deals, pipelines
from leadbox_tui.services.normalize import fold
from leadbox_tui.services.users import find_user

STATUSES = (*deals.STATUSES, "deleted")


def register(subparsers: argparse._SubParsersAction) -> None:
    conv = subparsers.add_parser("convert", help="convert leads to deals (or to contacts)")
    add_db_option(conv)
    conv.add_argument("lead_ids", metavar="LEAD_ID", type=int, nargs="+")
    conv.add_argument(
        "--to-contact",
        action="store_true",
        help="keep the leads' people and organisations as contacts, make no deal",
    )
    conv.add_argument("--pipeline", help="a pipeline's name or id (default: the first)")
    conv.add_argument("--stage", help="a stage's name or id (default: the pipeline's first)")
    conv.add_argument("--owner", help="a user's name or handle (default: each lead's owner)")
    conv.set_defaults(func=run_convert)

    listing = subparsers.add_parser("deals", help="print the deals; convert them back, restore")
    add_db_option(listing)
    add_filter_options(listing)
    listing.add_argument("--sort", default="created", choices=list(deals.COLUMNS))
    listing.add_argument("--desc", action="store_true", help="descending order")
    listing.add_argument("--limit", type=int, default=None, help="at most N deals")
    listing.add_argument("--json", action="store_true", help="every field, as JSON")
    listing.set_defaults(func=run_deals)
    actions = listing.add_subparsers(dest="deals_command", metavar="ACTION")

    back = actions.add_parser(
        "to-lead",
        help="convert deals back to leads: those named, or every deal the filter shows "
        "(at most 100)",
    )
    add_db_option(back)
    back.add_argument("deal_ids", metavar="DEAL_ID", type=int, nargs="*")
    add_filter_options(back)
    back.set_defaults(func=run_to_lead)

    restore = actions.add_parser("restore", help="restore deleted deals")
    add_db_option(restore)
    restore.add_argument("deal_ids", metavar="DEAL_ID", type=int, nargs="+")
    restore.set_defaults(func=run_restore)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The deals' filter, the same for listing them and for converting them back."""
    parser.add_argument("--status", choices=STATUSES, help="only these (default: all but deleted)")
    parser.add_argument("--pipeline", help="only this pipeline (name or id)")
    parser.add_argument("--stage", help="only this stage (name or id; of --pipeline, or any)")
    parser.add_argument("--owner", help="only this owner (name, handle or me)")


def deal_filter(args: argparse.Namespace) -> deals.DealFilter:
    """The filter the options name; an unknown pipeline, stage or owner is refused by name."""
    pipeline = pipelines.find_pipeline(args.pipeline) if args.pipeline else None
    stage = None
    if args.stage:
        among = [pipeline] if pipeline else pipelines.list_pipelines()
        found = [s for p in among for s in p.stages if _names(s, args.stage)]
        if not found:
            where = f"in {pipeline.name}" if pipeline else "in any pipeline"
            raise CliError(f"no stage named {args.stage!r} {where}")
        if len(found) > 1:
            raise CliError(f"several pipelines have a stage {args.stage!r}: add --pipeline")
        stage = found[0]
    owner = find_user(args.owner) if args.owner else None
    if args.owner and owner is None:
        raise CliError(f"no user named {args.owner!r}")
    return deals.DealFilter(
        deleted=args.status == "deleted",
        status=args.status if args.status in deals.STATUSES else None,
        pipeline_id=pipeline.id if pipeline else None,
        stage_id=stage.id if stage else None,
        owner_id=owner.id if owner else None,
    )


def _names(stage: pipelines.StageInfo, text: str) -> bool:
    return str(stage.id) == text.strip() or fold(stage.name) == fold(text)


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def run_convert(args: argparse.Namespace) -> int:
    if args.to_contact:
        return run_to_contact(args)
    open_from_args(args)
    pipeline = (
        pipelines.find_pipeline(args.pipeline) if args.pipeline else pipelines.default_pipeline()
    )
    stage = pipelines.find_stage(pipeline, args.stage) if args.stage else pipeline.stages[0]
    owner = find_user(args.owner) if args.owner else None
    if args.owner and owner is None:
        raise CliError(f"no user named {args.owner!r}")
    report = convert.convert_leads(
        args.lead_ids, pipeline.id, stage.id, owner.id if owner else None
    )
    for done in report.converted:
        print(f"lead {done.lead_id} -> deal {done.deal_id}")
    moved = ", ".join(
        (
            _plural(report.notes, "note"),
            _plural(report.activities, "activity", "activities"),
            _plural(report.emails, "e-mail"),
        )
    )
    print(
        f"{_plural(len(report.converted), 'lead')} converted to deals in "
        f"{pipeline.name} / {stage.name}; moved {moved}",
        file=sys.stderr,
    )
    return 0


def run_to_contact(args: argparse.Namespace) -> int:
    """``convert --to-contact``: the leads leave the inbox, their contacts stay (no deal)."""
    if args.pipeline or args.stage or args.owner:
        raise CliError("--to-contact makes no deal: it takes no --pipeline, --stage or --owner")
    open_from_args(args)
    done = convert.convert_to_contacts(args.lead_ids)
    for conversion in done:
        kept = [
            f"{kind} {record_id}"
            for kind, record_id in (
                ("person", conversion.person_id),
                ("organisation", conversion.organization_id),
            )
            if record_id is not None
        ]
        print(f"lead {conversion.lead_id} -> {', '.join(kept)}")
    print(
        f"{_plural(len(done), 'lead')} converted to contacts; out of the inbox "
        "(the contacts keep their notes, activities and e-mails)",
        file=sys.stderr,
    )
    return 0


def run_deals(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise CliError("--limit must be 0 or more")
    open_from_args(args)
    query = deals.DealQuery(deal_filter(args), deals.DealSort(args.sort, args.desc))
    count = query.total if args.limit is None else min(args.limit, query.total)
    rows = query.rows(0, count)
    if args.json:
        records = [dataclasses.asdict(row) for row in rows]
        for record in records:
            record["labels"] = [tag["name"] for tag in record["labels"]]
        json.dump(records, sys.stdout, default=_json_default, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    table = Table(
        "id",
        *(deals.COLUMNS[key].title for key in deals.DEFAULT_COLUMNS),
        box=None,
        header_style="bold",
    )
    for row in rows:
        value = f"{row.value} {row.currency or ''}".strip() if row.value is not None else ""
        cells = (
            row.id,
            row.title,
            value,
            row.stage,
            row.pipeline,
            row.status,
            row.person,
            row.organization,
            row.owner,
            row.expected_close,
        )
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in cells))
    console = Console(soft_wrap=False)
    console.print(table)
    console.print(Text(_plural(query.total, "deal"), style="dim"))
    return 0


def run_to_lead(args: argparse.Namespace) -> int:
    """The deals named, or (no ids) every deal the filter options show; at most 100."""
    filtered = any((args.status, args.pipeline, args.stage, args.owner))
    if args.deal_ids and filtered:
        raise CliError("give deal ids or filter options (--status, --pipeline...), not both")
    if not args.deal_ids and not filtered:
        raise CliError("which deals? give their ids, or filter options such as --status lost")
    open_from_args(args)
    if args.deal_ids:
        deal_ids = list(dict.fromkeys(args.deal_ids))
        made = deal_to_lead.deals_to_leads(deal_ids)
    else:
        query = deals.DealQuery(deal_filter(args))
        deal_ids = query.all_ids()
        if not deal_ids:
            raise CliError("no deal matches the filter; nothing converted")
        made = deal_to_lead.filtered_deals_to_leads(query)
    for deal_id, lead_id in zip(deal_ids, made, strict=True):
        print(f"deal {deal_id} -> lead {lead_id}")
    print(f"{_plural(len(made), 'deal')} converted back to leads (source Deal)", file=sys.stderr)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    open_from_args(args)
    deals.restore_deals(args.deal_ids)
    for deal_id in dict.fromkeys(args.deal_ids):
        print(f"restored deal {deal_id}")
    return 0
