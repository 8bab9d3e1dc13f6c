"""``leadbox dedupe`` and ``leadbox merge``: duplicate groups, and merging two leads."""

from __future__ import annotations

import argparse
import gc
import json
import sys

from rich.console import Console
from rich.text import Text

from leadbox_tui.cli.common import CliError, add_db_option, open_from_args
from leadbox_tui.services.duplicates import KINDS, DuplicateGroup, scan_duplicates
from leadbox_tui.services.matching import Thresholds
from leadbox_tui.services.merge import KEEP, OTHER, apply_merge, plan_merge, preview_merge


def register(subparsers: argparse._SubParsersAction) -> None:
    dedupe = subparsers.add_parser("dedupe", help="print groups of likely duplicates")
    add_db_option(dedupe)
    dedupe.add_argument(
        "--threshold",
        type=int,
        metavar="N",
        help="offer pairs from this score (0-100; default: 90 people, 88 organisations, 85 leads)",
    )
    dedupe.add_argument("--kind", choices=KINDS, action="append", help="repeat for several")
    dedupe.add_argument("--json", action="store_true", help="the groups as JSON")
    dedupe.set_defaults(func=run_dedupe)

    merge = subparsers.add_parser("merge", help="merge a lead into another, with undo")
    add_db_option(merge)
    merge.add_argument("keep", type=int, metavar="KEEP_ID", help="the lead that stays")
    merge.add_argument("other", type=int, metavar="OTHER_ID", help="the lead merged into it")
    merge.add_argument(
        "--take",
        action="append",
        default=[],
        metavar="FIELD=SIDE",
        help=f"take a field's value from a side ({OTHER} or {KEEP}); repeat for several",
    )
    merge.add_argument("--dry-run", action="store_true", help="show the result, change nothing")
    merge.set_defaults(func=run_merge)


def _thresholds(value: int | None) -> Thresholds | None:
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise CliError(f"--threshold {value}: give a score from 0 to 100")
    return Thresholds.uniform(value)


def group_json(group: DuplicateGroup) -> dict:
    members = []
    for member in group.members:
        entry: dict = {"id": member.id, "name": member.name}
        if group.kind == "lead":
            entry["title"] = member.title
        members.append(entry)
    return {
        "kind": group.kind,
        "score": group.score,
        "reasons": list(group.reasons),
        "members": members,
    }


def run_dedupe(args: argparse.Namespace) -> int:
    thresholds = _thresholds(args.threshold)
    open_from_args(args)
    gc.disable()  # one scan, then the command ends: the collector would only walk its records
    groups = scan_duplicates(thresholds, kinds=tuple(args.kind or KINDS))
    if args.json:
        json.dump([group_json(g) for g in groups], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    console = Console(soft_wrap=True, highlight=False)
    for group in groups:
        console.print(
            Text.assemble((f"{group.kind}  {group.score}", "bold"), "  ", ", ".join(group.reasons))
        )
        for member in group.members:
            line = Text(f"  {member.id:>7}  ")
            line.append(member.title or member.name)
            if member.title is not None and member.name:
                line.append(f"  ({member.name})", style="dim")
            console.print(line)
    count = len(groups)
    console.print(Text(f"{count:,} group{'' if count == 1 else 's'} of likely duplicates", "dim"))
    return 0


def _sides(takes: list[str]) -> dict[str, str]:
    sides = {}
    for take in takes:
        field, sep, side = take.partition("=")
        if not sep or not field.strip():
            raise CliError(f"--take {take!r}: write FIELD={OTHER} or FIELD={KEEP}")
        sides[field.strip()] = side.strip()
    return sides


def run_merge(args: argparse.Namespace) -> int:
    take = _sides(args.take)
    open_from_args(args)
    plan = plan_merge("lead", args.keep, args.other)
    preview = preview_merge(plan, take)  # checks the fields and sides before anything is written
    console = Console(soft_wrap=True, highlight=False)
    if args.dry_run:
        for label, value in preview.fields:
            console.print(Text.assemble((f"{label:>15}  ", "bold"), value))
        console.print(Text.assemble((f"{'Labels':>15}  ", "bold"), ", ".join(preview.labels)))
        for moving in preview.moving:
            console.print(Text(f"{len(moving.items)} {moving.what} move to lead {plan.keep_id}"))
        console.print(Text("nothing was changed (--dry-run)", "dim"))
        return 0
    result = apply_merge(plan, take)
    summary = f"merged lead {plan.other_id} into lead {plan.keep_id}"
    if result.changed:
        summary += f"; took {', '.join(result.changed)} from lead {plan.other_id}"
    if result.moved:
        summary += "; moved " + ", ".join(f"{n} {what}" for what, n in result.moved)
    console.print(Text(summary))
    console.print(Text("`leadbox undo` or u in the inbox takes it back", "dim"))
    return 0
