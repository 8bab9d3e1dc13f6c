"""Every row of a demo inbox, in the order it is written, made without touching the database.

Being pure computation, the rows can be made in another process while this one writes the
previous batch: a large demo then uses both cores of a small machine. The rows are the same
wherever they are made; only the seed and the plan decide them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection

from leadbox_tui.services.demo_contacts import ContactMaker, DemoClock
from leadbox_tui.services.demo_leads import DemoTeam, LeadMaker

LEAD_CHUNK = 20_000
Batch = tuple[str, list[tuple]]  # (table name, rows)


class DemoRowsError(RuntimeError):
    """Making the rows failed in the background process; the message says how."""


@dataclass(frozen=True)
class _Failed:
    message: str


@dataclass(frozen=True)
class DemoPlan:
    """Everything that decides a demo's rows: sizes, seed, day, team and the first free ids."""

    leads: int
    organizations: int
    people: int
    seed: int
    today: dt.date
    newest: dt.datetime
    region: str  # where normalize assumes a phone without a country code is
    team: DemoTeam
    first_organization: int
    first_person: int
    first_lead: int
    first_note: int


def demo_batches(plan: DemoPlan) -> Iterator[Batch]:
    """Organisations, then people with their e-mails and phones, the twins, then the leads."""
    rng = random.Random(plan.seed)
    clock = DemoClock(plan.today, plan.newest)
    contacts = ContactMaker(rng, clock, plan.region)
    for rows in contacts.organizations(plan.organizations, plan.first_organization):
        yield "organization", rows
    for rows, points in contacts.people_rows(plan.people, plan.first_person):
        yield "person", rows
        yield "contact_point", points
    yield "demo_twin", contacts.twins
    maker = LeadMaker(
        rng, clock, plan.team, contacts.people, contacts.orgs, plan.first_lead, plan.first_note
    )
    for start in range(0, plan.leads, LEAD_CHUNK):
        out = maker.rows(start, min(plan.leads, start + LEAD_CHUNK), plan.leads)
        yield "lead", out.leads
        yield "lead_label", out.labels
        yield "activity", out.activities
        yield "note", out.notes
        yield "note_mention", out.mentions
        yield "email_message", out.emails


def _send_batches(plan: DemoPlan, sender: Connection) -> None:
    """The background process: each batch is sent as soon as it is made, then ``None``."""
    try:
        for batch in demo_batches(plan):
            sender.send(batch)
        sender.send(None)
    except BaseException as error:  # reported to the parent, which raises it there
        sender.send(_Failed(f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


def can_make_in_background() -> bool:
    """Whether a forked process can make the rows: only from a process with a single thread.

    A fork copies no other thread, so a fork from a threaded program (the Textual app) could
    inherit a lock held by one of them; a spawned process would re-run the caller's main script.
    """
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def batches_in_background(plan: DemoPlan) -> Iterator[Batch]:
    """The same batches as ``demo_batches``, made one ahead in a forked process.

    The child never touches the database it inherits (it only computes) and leaves without
    running any finaliser; a send blocks until the previous batch has been taken, which
    bounds the memory used.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_batches, args=(plan, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                batch = receiver.recv()
            except EOFError as error:
                raise DemoRowsError("the process making the demo rows stopped") from error
            if batch is None:
                return
            if isinstance(batch, _Failed):
                raise DemoRowsError(f"making the demo rows failed: {batch.message}")
            yield batch
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()
