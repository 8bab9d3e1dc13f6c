"""Demo data: a realistic inbox of any size, the same for the same seed and day.

It shows the product to a newcomer (``leadbox --demo``), feeds the benchmark (a million leads)
and scores the duplicate detector: about 5% of the people and organisations are near-duplicates
of others, and each pair is recorded in ``DemoTwin`` with the variation that was applied.

Speed comes from the shape of the work, not from shortcuts in the data: one transaction,
``executemany`` on the raw cursor, the secondary indexes of the filled tables dropped and built
once at the end (from their own definitions in the schema), keys computed once per distinct
value or derived from the generated digits (the tests prove them identical to ``normalize``).
The demo is the starting state of an inbox, not something the seller did: it leaves no change
log and no undo step.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from peewee import Field, Model, OperationalError, fn

from leadbox_tui.services.demo_contacts import ascii_word
from leadbox_tui.services.demo_leads import DemoTeam
from leadbox_tui.services.demo_pools import TEAMMATES
from leadbox_tui.services.demo_rows import (
    Batch,
    DemoPlan,
    batches_in_background,
    can_make_in_background,
    demo_batches,
)
from leadbox_tui.services.history import label_names_key
from leadbox_tui.services.labels import DEFAULT_LABELS
from leadbox_tui.services.normalize import default_phone_region, fold
from leadbox_tui.services.session import open_inbox
from leadbox_tui.services.users import add_user, ensure_me, find_user
from leadbox_tui.store.models import (
    Activity,
    ContactPoint,
    DemoTwin,
    EmailMessage,
    Label,
    Lead,
    LeadLabel,
    Note,
    NoteMention,
    Organization,
    Person,
    database_proxy,
    utcnow,
)

ProgressCallback = Callable[[int, int], None]

LEADS_PER_PERSON = 4
LEADS_PER_ORGANIZATION = 16
REUSE_FROM = 40_000  # leads past which contacts grow half as fast: big inboxes reuse them more
NEWEST_AT = dt.time(8, 0)  # UTC on ``today``: the clock of a build is not part of its data
THROWAWAY_LEADS = 2000
DEMO_LABELS = (*DEFAULT_LABELS, ("VIP", "magenta"), ("Partner", "green"))
LABEL_SETS = (  # (names, weight): none for some leads, several for a few
    ((), 30),
    (("Hot",), 13),
    (("Warm",), 22),
    (("Cold",), 18),
    (("Hot", "VIP"), 6),
    (("Warm", "Partner"), 5),
    (("Cold", "Partner"), 3),
    (("Hot", "Partner", "VIP"), 3),
)
OWNER_WEIGHTS = (40, 14, 2)  # the seller, each teammate, nobody
CONTACT_TABLES = (Organization, Person, ContactPoint)
LEAD_TABLES = (Lead, LeadLabel, Activity, Note, EmailMessage)
BACKGROUND_FROM = 50_000  # leads from which the rows are made in a second process
BULK_PRAGMAS = {
    "cache_size": -256 * 1024,  # 256 MB while building
    "threads": min(4, os.cpu_count() or 1),  # sorter threads for the index builds
}
ANALYSIS_LIMIT = 1000  # rows ANALYZE samples per index: statistics in a second at a million leads

G, P, C, D = Organization, Person, ContactPoint, DemoTwin
A, E, N = Activity, EmailMessage, Note
COLUMNS: dict[type[Model], tuple[Field, ...]] = {
    G: (G.id, G.created_at, G.updated_at, G.name, G.name_key, G.address, G.website),
    P: (P.id, P.created_at, P.updated_at, P.name, P.name_key, P.organization),
    C: (C.person, C.kind, C.value, C.key, C.position),
    D: (D.kind, D.original_id, D.twin_id, D.variation),
    Lead: (
        Lead.id, Lead.created_at, Lead.updated_at, Lead.title, Lead.person, Lead.organization,
        Lead.value_minor, Lead.currency, Lead.expected_close, Lead.owner, Lead.source,
        Lead.score_mode, Lead.visible_to, Lead.was_seen, Lead.archived_at,
        Lead.next_activity_at, Lead.label_names,
    ),
    LeadLabel: (LeadLabel.lead, LeadLabel.label),
    A: (A.created_at, A.updated_at, A.type, A.subject, A.due_date, A.due_time, A.done_at,
        A.owner, A.lead),
    N: (N.id, N.created_at, N.updated_at, N.body, N.author, N.lead, N.pinned),
    NoteMention: (NoteMention.note, NoteMention.user),
    E: (E.created_at, E.updated_at, E.direction, E.sender, E.to, E.cc, E.subject, E.sent_at,
        E.body, E.message_id, E.lead),
}  # fmt: skip


MODELS = {model._meta.table_name: model for model in COLUMNS}


class DemoError(ValueError):
    """The demo cannot be built as asked; the message is for the seller."""


@dataclass(frozen=True)
class DemoSummary:
    """What a build wrote, to tell the seller."""

    leads: int
    people: int
    organizations: int
    person_twins: int
    organization_twins: int
    activities: int
    notes: int
    emails: int
    seconds: float

    def line(self) -> str:
        return (
            f"{self.leads:,} demo leads, {self.people:,} people and {self.organizations:,} "
            f"organisations ({self.person_twins + self.organization_twins:,} near-duplicates), "
            f"{self.activities:,} activities, {self.notes:,} notes, {self.emails:,} e-mails "
            f"in {self.seconds:.1f} s"
        )


def _insert(model: type[Model], rows: list[tuple]) -> None:
    if not rows:
        return
    fields = COLUMNS[model]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    database_proxy.cursor().executemany(sql, rows)


def _next_id(model: type[Model]) -> int:
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def _team() -> DemoTeam:
    """The seller and a few teammates to own the leads; the demo labels, created if missing."""
    me = ensure_me()
    teammates = []
    for name in TEAMMATES:
        address = ".".join(ascii_word(part) for part in name.split()) + "@leadbox.example"
        teammates.append(find_user(name) or add_user(name, address))
    have = {fold(name) for (name,) in Label.select(Label.name).tuples()}
    for name, colour in DEMO_LABELS:
        if fold(name) not in have:
            Label.create(name=name, colour=colour)
    names = dict(Label.select(Label.id, Label.name).tuples())
    ids = {fold(name): label_id for label_id, name in names.items()}
    label_sets = []
    for set_names, _ in LABEL_SETS:
        label_ids = tuple(ids[fold(n)] for n in set_names)
        label_sets.append((label_ids, label_names_key(label_ids, names)))
    mine, each, nobody = OWNER_WEIGHTS
    return DemoTeam(
        me=me.id,
        me_email=me.email or f"{me.handle}@leadbox.example",
        teammates=teammates,
        owners=[me.id, *(t.id for t in teammates), None],
        owner_weights=list(accumulate([mine, *(each for _ in teammates), nobody])),
        label_sets=label_sets,
        label_set_weights=list(accumulate(weight for _, weight in LABEL_SETS)),
    )


def _pragma(name: str, value: object = None) -> object:
    sql = f"PRAGMA {name}" if value is None else f"PRAGMA {name} = {value}"
    rows = database_proxy.execute_sql(sql).fetchall()  # read to the end: no statement left open
    return rows[0][0] if rows else None


@contextmanager
def _bulk_settings() -> Iterator[None]:
    """Settings for a bulk load, all put back afterwards.

    A bigger cache and sorter threads; no per-row foreign key look-ups (every id the demo
    writes is one it has just written, and the tests check them); and a rollback journal
    instead of the WAL, so that the pages are written once, not once to the WAL and again
    when it is checkpointed (the journal of an empty inbox stays tiny). Both of the last two
    can only be switched outside a transaction, hence here; if another connection holds the
    inbox, the journal mode stays as it is.
    """
    previous = {name: _pragma(name) for name in (*BULK_PRAGMAS, "foreign_keys")}
    for name, value in BULK_PRAGMAS.items():
        _pragma(name, value)
    _pragma("foreign_keys", 0)
    journal = _pragma("journal_mode")
    with suppress(OperationalError):  # another connection reads the inbox: keep its WAL
        _pragma("journal_mode", "delete")
    try:
        yield
    finally:
        _pragma("journal_mode", journal)
        for name, value in previous.items():
            _pragma(name, value)


def _drop_indexes(models: Sequence[type[Model]]) -> list[str]:
    """Drop the secondary indexes of these tables; returns their definitions to build them again.

    Sorting a million keys once is far cheaper than inserting them one by one into a dozen
    b-trees. The definitions are read back from the schema, so they stay exactly what the
    migrations made; if the build fails, rolling back its transaction restores them.
    """
    tables = [m._meta.table_name for m in models]
    marks = ", ".join("?" for _ in tables)
    found = database_proxy.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for name, _ in found:
        database_proxy.execute_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _build_indexes(definitions: list[str], each: Callable[[], None] = lambda: None) -> None:
    for sql in definitions:
        database_proxy.execute_sql(sql)
        each()
    definitions.clear()


def _analyze() -> None:
    """Statistics for the query planner, sampled so that they take a second at a million leads."""
    previous = _pragma("analysis_limit")
    _pragma("analysis_limit", ANALYSIS_LIMIT)
    database_proxy.execute_sql("ANALYZE")
    _pragma("analysis_limit", previous)


def contacts_for(leads: int, leads_each: int) -> int:
    """How many people (or organisations) a demo of ``leads`` leads has: fewer than leads."""
    if leads <= REUSE_FROM:
        return max(1, leads // leads_each)
    return REUSE_FROM // leads_each + (leads - REUSE_FROM) // (2 * leads_each)


def _newest(today: dt.date | None) -> tuple[dt.date, dt.datetime]:
    """The demo's day, and the moment its newest lead was created (UTC)."""
    if today is not None:
        return today, dt.datetime.combine(today, NEWEST_AT)
    today = dt.date.today()  # a throw-away demo: its newest leads must not be in the future
    return today, min(dt.datetime.combine(today, NEWEST_AT), utcnow().replace(microsecond=0))


def _write(
    batches: Iterator[Batch], advance: Callable[[int], None], finishing: int
) -> Counter[str]:
    """Insert the batches and build the indexes back, ``finishing`` steps of progress for those.

    The contact tables get theirs back as soon as the first leads arrive, while the other
    process is still making leads.
    """
    written: Counter[str] = Counter()
    contact_indexes = _drop_indexes(CONTACT_TABLES)
    lead_indexes = _drop_indexes(LEAD_TABLES)
    for table, rows in batches:
        model = MODELS[table]
        if model in LEAD_TABLES:
            _build_indexes(contact_indexes)
        _insert(model, rows)
        written[table] += len(rows)
        if model is DemoTwin:
            written.update(f"twin:{kind}" for kind, *_ in rows)
        if model in (Organization, Person, Lead):
            advance(len(rows))
    step = finishing // (len(contact_indexes) + len(lead_indexes) + 1)
    _build_indexes(contact_indexes + lead_indexes, lambda: advance(step))
    _analyze()
    return written


def build_demo(
    leads: int,
    seed: int = 0,
    today: dt.date | None = None,
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Fill the open inbox, which must have no lead yet, with ``leads`` demo leads.

    The same ``seed`` and ``today`` give the same inbox. ``progress(done, total)`` is called as
    the work advances (organisations, people, leads, then indexes), ending with done == total.
    """
    if isinstance(leads, bool) or not isinstance(leads, int) or leads <= 0:
        raise DemoError(f"the number of demo leads must be a whole number above 0, not {leads!r}")
    started = time.perf_counter()
    today, newest = _newest(today)
    n_orgs = contacts_for(leads, LEADS_PER_ORGANIZATION)
    n_people = contacts_for(leads, LEADS_PER_PERSON)
    finishing = leads // 4  # the indexes and statistics, in steps of progress
    total = n_orgs + n_people + leads + finishing
    done = 0

    def advance(amount: int) -> None:
        nonlocal done
        done = min(total, done + amount)
        if progress is not None:
            progress(done, total)

    with _bulk_settings(), database_proxy.atomic():
        if Lead.select().exists():
            raise DemoError("this inbox already has leads; a demo fills an empty inbox only")
        plan = DemoPlan(
            leads=leads,
            organizations=n_orgs,
            people=n_people,
            seed=seed,
            today=today,
            newest=newest,
            region=default_phone_region(),
            team=_team(),
            first_organization=_next_id(Organization),
            first_person=_next_id(Person),
            first_lead=_next_id(Lead),
            first_note=_next_id(Note),
        )
        big = leads >= BACKGROUND_FROM and can_make_in_background()
        batches = batches_in_background(plan) if big else demo_batches(plan)
        written = _write(batches, advance, finishing)
    advance(total)
    return DemoSummary(
        leads=written["lead"],
        people=written["person"],
        organizations=written["organization"],
        person_twins=written["twin:person"],
        organization_twins=written["twin:organization"],
        activities=written["activity"],
        notes=written["note"],
        emails=written["email_message"],
        seconds=time.perf_counter() - started,
    )


def create_throwaway_demo(leads: int = THROWAWAY_LEADS) -> Path:
    """A new demo inbox in a fresh temporary folder, left open and bound; removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="leadbox-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "demo.db"
    open_inbox(str(path))
    build_demo(leads)
    return path
