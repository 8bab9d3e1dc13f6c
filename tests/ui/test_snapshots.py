"""SVG snapshots of the inbox, its help and its welcome (pytest-textual-snapshot).

The data is fixed so the pictures are too: dates in a past year (shown with the year), times
in UTC, activities overdue in the past, planned far ahead or due today (shown as "Today").
Update the pictures with ``pytest --snapshot-update tests/ui`` and look at them before keeping.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot

from leadbox_tui.services.leads import archive, mark_seen
from leadbox_tui.services.users import add_user
from leadbox_tui.store.models import Action, Change, Note
from leadbox_tui.ui.app import LeadboxApp
from tests.ui.conftest import add_lead, detail_shows, loaded, schedule

FIXED = dt.datetime(2024, 3, 5, 12, 0)
SIZE = (150, 36)


@pytest.fixture
def showcase(named: Path) -> Path:
    """A dozen leads of every kind: labels, owners, sources, activity states, seen and unseen."""
    add_user("Alice Martin")
    add_user("Bruno Díaz")
    leads = [
        (
            "Website redesign",
            "Zoé Brunet",
            "Atelier Brunet SARL",
            ["Hot"],
            "Alice Martin",
            "Web forms",
        ),
        ("Fleet insurance renewal", "Marco Rossi", "Rossi Trasporti SpA", ["Warm"], None, "Import"),
        ("[bold]Not bold[/]", "Jane Doe", "", [], "Bruno Díaz", "Chatbot"),
        ("Office move, 40 desks", "Kenji Sato", "Sato Holdings KK", ["Cold"], None, "Live chat"),
        ("Annual support contract", "Fatima Zahra", "Atlas Services", ["Hot", "Warm"], None, "API"),
        ("Trade fair stand", "Olga Petrova", "", ["Cold"], "Alice Martin", "Prospector"),
        ("Training for 12 people", "Liam O'Brien", "O'Brien & Sons Ltd", [], None, "Web visitors"),
        (
            "Catering, summer party",
            "Ana Souza",
            "Souza Eventos Ltda",
            ["Warm"],
            "Bruno Díaz",
            "E-mail",
        ),
    ]
    ids = []
    for days, (title, person, org, labels, owner, source) in enumerate(leads):
        ids.append(
            add_lead(
                title,
                created=FIXED - dt.timedelta(days=days * 3),
                person=person,
                organization=org,
                labels=labels,
                owner=owner,
                source=source,
                emails=[f"{person.split()[0].lower()}@example.com"],
                value=Decimal(1500 * (days + 1)) if days % 2 == 0 else None,
                currency="EUR" if days % 2 == 0 else None,
            )
        )
    schedule(ids[0], dt.date(2025, 1, 10), "Send the quote")  # overdue for good
    schedule(ids[0], dt.date(2099, 6, 1), "Kick-off meeting")
    schedule(ids[1], dt.date.today())  # "Today" whichever day it is
    schedule(ids[3], dt.date(2099, 9, 14))
    schedule(ids[5], dt.date(2024, 12, 2))
    Note.create(body="Wants a quote by Friday.\nBudget agreed.", lead=ids[0], created_at=FIXED)
    Note.create(body="Met at the fair [stand 12].", lead=ids[0], pinned=True, created_at=FIXED)
    for lead_id in ids[2::3]:
        mark_seen(lead_id)
    archive([add_lead("An archived lead")])
    Action.update(at=FIXED).execute()
    Change.update(at=FIXED).execute()
    return named


async def inbox_ready(pilot: Pilot) -> None:
    await loaded(pilot)
    await detail_shows(pilot, "Kick-off meeting")


def test_the_inbox_with_its_detail_panel(showcase: Path, snap_compare) -> None:
    assert snap_compare(LeadboxApp(str(showcase)), terminal_size=SIZE, run_before=inbox_ready)


def test_the_help_screen(showcase: Path, snap_compare) -> None:
    async def open_help(pilot: Pilot) -> None:
        await inbox_ready(pilot)
        await pilot.press("question_mark")

    assert snap_compare(LeadboxApp(str(showcase)), terminal_size=(150, 50), run_before=open_help)


def test_the_welcome_of_an_empty_inbox(inbox_path: Path, snap_compare) -> None:
    assert snap_compare(LeadboxApp(str(inbox_path)), terminal_size=SIZE, run_before=loaded)
