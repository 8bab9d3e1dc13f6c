"""SVG snapshots of triage part B: the filter bar open with choices ticked, and a selection.

Fixed data (dates in a past year, UTC), so the pictures are too. Update them with
``pytest --snapshot-update tests/ui/test_snapshots_triage_b.py`` and look before keeping.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot

from leadbox_tui.services.users import add_user
from leadbox_tui.store.models import Action, Change
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.widgets.filter_bar import FilterBar
from tests.ui.conftest import add_lead, loaded, wait_until

FIXED = dt.datetime(2024, 3, 5, 12, 0)
SIZE = (150, 36)


@pytest.fixture
def triage_inbox(named: Path) -> Path:
    add_user("Alice Martin")
    leads = [
        ("Website redesign", "Zoé Brunet", "Web forms", ["Hot"], "Alice Martin"),
        ("Fleet insurance renewal", "Marco Rossi", "Import", ["Warm"], None),
        ("[bold]Not bold[/]", "Jane Doe", "Chatbot", [], "Alice Martin"),
        ("Office move, 40 desks", "Kenji Sato", "Web forms", ["Cold"], None),
        ("Annual support contract", "Fatima Zahra", "API", ["Hot", "Warm"], None),
        ("Trade fair stand", "Olga Petrova", "Web forms", ["Cold"], "Alice Martin"),
        ("Training for 12 people", "Liam O'Brien", "Web visitors", [], None),
    ]
    for days, (title, person, source, labels, owner) in enumerate(leads):
        add_lead(
            title,
            created=FIXED - dt.timedelta(days=days * 3),
            person=person,
            source=source,
            labels=labels,
            owner=owner,
            emails=[f"{person.split()[0].lower()}@example.com"] if days % 2 == 0 else [],
        )
    Action.update(at=FIXED).execute()
    Change.update(at=FIXED).execute()
    return named


def test_the_filter_bar_with_choices_ticked(triage_inbox: Path, snap_compare) -> None:
    async def open_the_bar(pilot: Pilot) -> None:
        table = await loaded(pilot)
        await pilot.press("f", "j", "j", "space")  # Web forms
        await pilot.press("tab", "tab", "tab", "j", "j", "space")  # with an e-mail
        await wait_until(pilot, lambda: table.total == 1 and table.row_at(0) is not None)
        bar = pilot.app.screen.query_one(FilterBar)
        await wait_until(pilot, lambda: "With an e-mail" in bar.description)
        await pilot.pause(0.3)

    app = LeadboxApp(str(triage_inbox))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_the_bar)


def test_a_selection_marked_and_counted(triage_inbox: Path, snap_compare) -> None:
    async def select(pilot: Pilot) -> None:
        table = await loaded(pilot)
        await pilot.press("space", "j", "space", "space", "v")
        await wait_until(pilot, lambda: table.row_at(table.cursor) is not None)
        await pilot.pause(0.3)

    app = LeadboxApp(str(triage_inbox))
    assert snap_compare(app, terminal_size=SIZE, run_before=select)
