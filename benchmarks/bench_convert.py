"""Budget: converting 1,000 selected leads to deals takes under 3 s (issue "Convert").

Builds a fresh inbox of 1,000 leads, each with a person, an organisation, a label, two notes,
an activity and an e-mail, selects them all, and times ``convert_leads`` (one transaction: the
deals made, everything moved, the change log written). Run:

    python benchmarks/bench_convert.py [--leads N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.deals import DealFilter, DealQuery
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.store.models import Activity, EmailMessage, Note, database_proxy

BUDGET_SECONDS = 3.0


def fill(count: int) -> list[int]:
    """``count`` leads with what a worked lead carries: contacts, a label, notes, mail, a task."""
    ids = [
        create_lead(
            NewLead(
                person=f"Person {i}",
                organization=f"Company {i % 300} SARL",
                emails=[f"person{i}@company{i % 300}.example"],
                value=str(100 + i),
                currency="EUR",
                labels=[("Hot", "Warm", "Cold")[i % 3]],
            )
        )
        for i in range(count)
    ]
    today = dt.date.today()
    with database_proxy.atomic():
        Note.insert_many(
            [{"body": f"Note {n} on lead {i}", "lead": i} for i in ids for n in (1, 2)]
        ).execute()
        Activity.insert_many(
            [{"type": "call", "subject": "Call back", "due_date": today, "lead": i} for i in ids]
        ).execute()
        EmailMessage.insert_many(
            [
                {"direction": "in", "sender": "x@example.com", "subject": "Hello", "lead": i}
                for i in ids
            ]
        ).execute()
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000)
    parser.add_argument("--keep", type=Path, default=None, help="build the inbox in this folder")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="leadbox-bench-"))
    open_inbox(str(folder / "convert.db"))
    try:
        fill(args.leads)
        selected = InboxQuery().ids(0, args.leads)  # the selection, as the inbox gives it
        started = time.perf_counter()
        report = convert_leads(selected)
        seconds = time.perf_counter() - started
        assert len(report.converted) == args.leads
        assert DealQuery(DealFilter(status="open")).total == args.leads
        assert InboxQuery().total == 0
        undo_started = time.perf_counter()
        undo_last()
        undo_seconds = time.perf_counter() - undo_started
        assert InboxQuery().total == args.leads
    finally:
        close_database()
    verdict = "ok" if seconds < BUDGET_SECONDS else "OVER BUDGET"
    print(
        f"convert {args.leads:,} selected leads to deals: {seconds:.2f} s "
        f"(budget {BUDGET_SECONDS:.0f} s, {verdict}); "
        f"{report.notes:,} notes, {report.activities:,} activities, {report.emails:,} e-mails "
        f"moved; undo: {undo_seconds:.2f} s"
    )
    return 0 if seconds < BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
