"""Pilot fixtures: real inboxes built with the services, and ways to wait for the table to load.

The table reads its pages on a worker thread, so a test waits for what it wants to see (a row,
a count, a detail) rather than sleeping a fixed time.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from leadbox_tui.services.activities import refresh_next_activity
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.store.models import Activity, Lead, User
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.lead_table import LeadTable

CREATED = dt.datetime(2024, 3, 5, 9, 30)  # a past year: created dates show with their year
SIZE = (150, 40)
MANY = 250  # more than two pages of the table's cache


def add_lead(title: str, created: dt.datetime = CREATED, **fields: object) -> int:
    """A lead made by the services, then dated in the past so what the table shows is stable."""
    fields.setdefault("person", f"Contact of {title}")
    lead_id = create_lead(NewLead(title=title, **fields))  # type: ignore[arg-type]
    Lead.update(created_at=created, updated_at=created).where(Lead.id == lead_id).execute()
    return lead_id


def schedule(lead_id: int, due: dt.date, subject: str = "Call back") -> None:
    """An open activity (the activity service is still to come: written the way it will)."""
    Activity.create(type="call", subject=subject, due_date=due, lead=lead_id)
    refresh_next_activity([lead_id])


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so stored times show the same on every machine (snapshots)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def named(inbox_path: Path, utc: None) -> Path:
    """The inbox with its seller named Sam Seller and times in UTC: the same pictures anywhere."""
    User.update(name="Sam Seller").where(User.is_me == True).execute()  # noqa: E712
    return inbox_path


@pytest.fixture(scope="module")
def many_leads_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An inbox of ``MANY`` leads, "Lead 000" the oldest to "Lead 249" the newest, built once."""
    path = tmp_path_factory.mktemp("template") / "many.db"
    open_inbox(str(path))
    for number in range(MANY):
        add_lead(f"Lead {number:03d}", created=CREATED + dt.timedelta(hours=number))
    close_database()
    return path


@pytest.fixture
def many_leads(many_leads_template: Path, inbox_path: Path) -> Path:
    """A copy of the template for this test alone, opened in place of the empty inbox."""
    close_database()
    shutil.copyfile(many_leads_template, inbox_path)
    open_inbox(str(inbox_path))
    return inbox_path


@pytest.fixture
def app_on(inbox_path: Path) -> Callable[[], LeadboxApp]:
    """A new app on the test's inbox each call (a second call is the next run)."""
    return lambda: LeadboxApp(str(inbox_path))


async def wait_until(pilot: Pilot, condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Wait for ``condition``; the time limit is generous because CI shares two cores, and a
    passing wait returns as soon as the condition holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not get there in time")
        await pilot.pause(0.01)


async def workers_done(pilot: Pilot, group: str) -> None:
    """Wait for the workers of ``group`` (never for all: the page loader runs until the end)."""
    workers = [worker for worker in pilot.app.workers if worker.group == group]
    if workers:  # an empty list would mean every worker to Textual
        await pilot.app.workers.wait_for_complete(workers)
    await pilot.pause()


async def loaded(pilot: Pilot) -> LeadTable:
    """The table once its count and the row under its cursor are in."""
    await wait_until(pilot, lambda: pilot.app.screen.query(LeadTable))  # mounted yet?
    table = pilot.app.screen.query_one(LeadTable)
    await wait_until(
        pilot,
        lambda: table.total is not None and (table.total == 0 or table.current_lead_id),
    )
    await pilot.pause()
    return table


def table_lines(table: LeadTable) -> list[str]:
    """The table's lines as the compositor gets them for the screen."""
    return [strip.text for strip in table.render_lines(table.size.region)]


def cursor_line(table: LeadTable) -> str:
    return table_lines(table)[table.cursor - int(table.scroll_y) + 1]


def detail_text(pilot: Pilot) -> str:
    """Every line of the detail panel, including those scrolled out of view."""
    return "\n".join(strip.text for strip in pilot.app.screen.query_one(DetailPanel).lines)


async def detail_shows(pilot: Pilot, text: str) -> str:
    """Wait for the detail panel to show ``text``; returns everything it shows."""
    await wait_until(pilot, lambda: text in detail_text(pilot))
    return detail_text(pilot)
