"""The triage benchmark: filters, search and bulk edits on a million-lead demo inbox.

    python benchmarks/bench_triage.py [--leads 1000000] [--db /tmp/leadbox-bench.db] [--reuse]

Reports: the demo build and the search index catching up with it (done once, after a build or
a large import); each filter change to its first 50 rows, on three sorts (median of fresh
queries, so no cache carries over); each keystroke of a few searches to the first 50 rows; a
bulk edit of 100,000 selected leads and its undo (in a transaction rolled back afterwards, so
the inbox is left as it was). Timed through the services, where the work is; the screen adds
the drawing of one page on top. Not part of the test run: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from leadbox_tui.services import bulk, search
from leadbox_tui.services.conditions import condition
from leadbox_tui.services.demo import build_demo
from leadbox_tui.services.filters import InboxFilter, Predefined
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import DEFAULT_COLUMNS, InboxQuery, InboxSort
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.store.models import Lead, LeadSearch, User, database_proxy

BUDGETS = {"filter": 0.1, "keystroke": 0.1, "bulk": 5.0}
PAGE = 50
BULK = 100_000
# every sort the table offers (``s`` and reversing it), the inbox's default first
SORTS = (InboxSort(), *(InboxSort(c, d) for c in DEFAULT_COLUMNS for d in (False, True)))
SORTS = tuple(dict.fromkeys(SORTS))


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def timed_with_cpu(work: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds: on a shared machine the CPU time says what the work itself costs."""
    cpu = time.process_time()
    wall = timed(work)
    return wall, time.process_time() - cpu


def build(db: Path, leads: int, reuse: bool) -> float | None:
    if reuse and db.exists():
        open_inbox(str(db))
        return None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    open_inbox(str(db))
    return build_demo(leads, seed=1).seconds


def filters() -> dict[str, InboxFilter]:
    """The filter bar's parts, the predefined filters and a few custom conditions."""
    hot, cold = resolve_labels(["Hot", "Cold"])
    teammate = User.select(User.id).where(User.is_me == False).first().id  # noqa: E712
    return {
        "the inbox": InboxFilter(),
        "archived": InboxFilter(archived=True),
        "source: Web forms": InboxFilter(sources=("Web forms",)),
        "source: API, Chatbot": InboxFilter(sources=("API", "Chatbot")),
        "label: Hot": InboxFilter(labels=(hot,)),
        "label: Cold": InboxFilter(labels=(cold,)),
        "owner: me": InboxFilter(owner="me"),
        "owner: a teammate": InboxFilter(owner=teammate),
        **{p.label: InboxFilter(predefined=(p,)) for p in Predefined},
        "source + label + owner": InboxFilter(sources=("Web forms",), labels=(hot,), owner="me"),
        "value greater than 10,000": InboxFilter(all_of=(condition("value", "greater", "10000"),)),
        "created within the last 7 days": InboxFilter(
            all_of=(condition("created", "within the last N days", 7),)
        ),
        "person or organisation is empty": InboxFilter(
            any_of=(condition("person", "is empty"), condition("organization", "is empty"))
        ),
    }


Samples = list[tuple[float, float]]  # wall and CPU seconds


def sort_name(sort: InboxSort) -> str:
    return f"{sort.column} {'v' if sort.descending else '^'}"


def filter_changes(runs: int) -> dict[tuple[str, str], Samples]:
    """Each filter on each sort: a new filter and query each time, as the filter bar makes."""
    made = filters()
    results: dict[tuple[str, str], Samples] = {}
    for sort in SORTS:
        for name, inbox_filter in made.items():
            samples = []
            for _ in range(runs):
                fresh = InboxFilter.from_json(inbox_filter.to_json())
                work = lambda f=fresh, s=sort: InboxQuery(f, s).rows(0, PAGE)  # noqa: E731
                samples.append(timed_with_cpu(work))
            results[(name, sort_name(sort))] = samples
    return results


def typed_words() -> list[str]:
    """Searches a seller would type, taken from the demo data: a name, an organisation word,
    the same name with a typo, without its accents, and the start of a phone number."""
    row = LeadSearch.select(LeadSearch.person, LeadSearch.organization, LeadSearch.phones).where(
        LeadSearch.person.is_null(False), LeadSearch.phones.is_null(False)
    )
    person, organization, phones = row.order_by(LeadSearch.rowid.desc()).tuples().first()
    given, family = person.split()[0], person.split()[-1]
    typo = family[:2] + family[3] + family[2] + family[4:] if len(family) > 4 else family + "x"
    return [
        f"{given} {family}",
        organization.split()[0],
        typo,
        search.searchable(family),
        phones.split()[0][:6],
    ]


def keystrokes(words: list[str]) -> dict[str, Samples]:
    results: dict[str, Samples] = {}
    for word in words:
        results[word] = [
            timed_with_cpu(
                lambda text=word[:end]: InboxQuery(InboxFilter(search=text)).rows(0, PAGE)
            )
            for end in range(1, len(word) + 1)
        ]
    return results


def median_of(samples: Samples, which: int = 0) -> float:
    return statistics.median(sample[which] for sample in samples)


def bulk_edit() -> tuple[tuple[float, float], tuple[float, float]]:
    """Edit the stage of 100,000 leads, then undo it; rolled back, the inbox stays as it was."""
    ids = [r[0] for r in Lead.select(Lead.id).order_by(Lead.id.desc()).limit(BULK).tuples()]
    with database_proxy.atomic() as transaction:
        edit = timed_with_cpu(lambda: bulk.bulk_edit(ids, "stage", "Benchmark"))
        undo = timed_with_cpu(undo_last)
        transaction.rollback()
    return edit, undo


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def verdict(value: float, budget: float) -> str:
    return f"{'ok ' if value <= budget else 'OVER'} (budget {budget * 1000:g} ms)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/leadbox-bench.db"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    built = build(args.db, args.leads, args.reuse)
    indexed = timed(search.catch_up)
    changes = filter_changes(args.runs)
    typing = keystrokes(typed_words())
    edit_and_undo = bulk_edit()
    close_database()

    print(
        f"leads {args.leads:,}; demo build {'reused' if built is None else f'{built:.1f} s'};"
        f" search index caught up in {indexed:.1f} s"
    )
    print(f"\nfilter change to the first {PAGE} rows, wall (median of {args.runs} fresh queries)")
    columns = [sort_name(s) for s in SORTS]
    print(f"{'':34}" + "".join(f"{c:>11}" for c in columns))
    names = dict.fromkeys(name for name, _ in changes)
    for name in names:
        medians = [median_of(changes[(name, c)]) for c in columns]
        print(f"{name[:34]:34}" + "".join(f"{m * 1000:9.1f}ms" for m in medians))
    default = [v for (_, c), v in changes.items() if c == columns[0]]
    for label, chosen in (("the default sort", default), ("any sort", list(changes.values()))):
        wall = max(median_of(v) for v in chosen)
        cpu = max(median_of(v, 1) for v in chosen)
        print(
            f"{'worst on ' + label:34}{ms(wall)} ({ms(cpu).strip()} of CPU)  "
            f"{verdict(wall, BUDGETS['filter'])}"
        )
    slowest = sorted(changes, key=lambda k: median_of(changes[k]), reverse=True)[:5]
    print(
        "slowest: "
        + "; ".join(f"{n} / {c} {median_of(changes[(n, c)]) * 1000:.0f} ms" for n, c in slowest)
    )

    print(f"\nsearch, each keystroke to the first {PAGE} rows, wall (CPU)")
    all_keys: Samples = []
    for word, samples in typing.items():
        all_keys += samples
        print(
            f"  {word!r:32} median {ms(median_of(samples))}  max {ms(max(w for w, _ in samples))}"
        )
    for label, value, cpu in (
        ("median", median_of(all_keys), median_of(all_keys, 1)),
        ("slowest", max(w for w, _ in all_keys), max(c for _, c in all_keys)),
    ):
        print(
            f"{'every keystroke: ' + label:34}{ms(value)} ({ms(cpu).strip()} of CPU)  "
            f"{verdict(value, BUDGETS['keystroke'])}"
        )

    (edit, edit_cpu), (undo, undo_cpu) = edit_and_undo
    print(
        f"\nbulk edit of {BULK:,} leads {edit:8.2f} s ({edit_cpu:.2f} s of CPU)  "
        f"{'ok ' if edit <= BUDGETS['bulk'] else 'OVER'} (budget {BUDGETS['bulk']:g} s)"
    )
    print(f"undo of that bulk edit     {undo:8.2f} s ({undo_cpu:.2f} s of CPU)")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
