"""Search as you type through the pilot: what a key drops of the view on screen (its count, the
lead under its cursor) always comes back for the view the typing ends on; and the garbage
collector's set-aside objects, shared by the search box and the duplicates screen."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.worker import Worker

from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.ui import collector
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.screens.inbox import InboxScreen
from leadbox_tui.ui.widgets.filter_bar import FilterSummary
from leadbox_tui.ui.widgets.lead_table import LeadTable
from leadbox_tui.ui.widgets.search_bar import SearchBar
from tests.ui.conftest import add_lead, detail_shows, loaded, wait_until
from tests.ui.test_page_loader import EndlessView


@pytest.fixture
def fleet(inbox_path: Path) -> None:
    """Three leads, two of them found by "fleet": a view counted by its first page."""
    add_lead("Office move", person="Ada Moreau")
    add_lead("Fleet renewal", person="Bruno Petit")
    add_lead("Fleet insurance", person="Chloé Roux")


def summary(pilot: Pilot) -> str:
    bar = pilot.app.screen.query_one(FilterSummary)
    return "".join(strip.text for strip in bar.render_lines(bar.size.region)).strip()


async def typed_view(pilot: Pilot, table: LeadTable, search: str) -> None:
    """Wait for the rows of ``search`` (the count may be under way or dropped)."""
    await wait_until(pilot, lambda: table.filter.search == search and table.row_at(0) is not None)


async def counting_lead(pilot: Pilot) -> tuple[LeadTable, Worker[None]]:
    """ "lead" typed in the search box (250 matches: counted once the typing pauses), and a
    count under way when the next key comes (endless, as a million leads' can be)."""
    table = await loaded(pilot)
    await pilot.press("slash", *"lead")
    await typed_view(pilot, table, "lead")
    assert table.total is None
    counting = table._count(table._generation, EndlessView())
    await pilot.pause(0.1)
    assert not counting.is_finished
    return table, counting


async def test_a_count_dropped_by_a_key_that_left_the_search_as_it_was_is_taken_again(
    many_leads: Path,
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test() as pilot:
        table, counting = await counting_lead(pilot)
        await pilot.press("space")  # the same search: nothing new to read
        await wait_until(pilot, lambda: counting.is_finished, timeout=5)  # stopped at the key
        await wait_until(pilot, lambda: table.total == 250)  # counted again, for "lead"
        await wait_until(pilot, lambda: "250 leads" in summary(pilot))
        first = table.row_at(0)
        assert first is not None
        await detail_shows(pilot, first.title)  # the first match, once the typing paused
        assert not [n.message for n in pilot.app._notifications]  # "interrupted" is no error


async def test_a_key_drops_the_count_under_way_and_the_final_search_is_counted(
    many_leads: Path,
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test() as pilot:
        table, counting = await counting_lead(pilot)
        await pilot.press("space", "2")
        await wait_until(pilot, lambda: counting.is_finished, timeout=5)
        await typed_view(pilot, table, "lead 2")
        await wait_until(pilot, lambda: table.total == 50)  # "Lead 200" to "Lead 249"
        await wait_until(pilot, lambda: "50 leads" in summary(pilot))
        first = table.row_at(0)
        assert first is not None and first.title.startswith("Lead 2")
        await detail_shows(pilot, first.title)


async def test_esc_right_after_a_key_leaves_the_view_counted_with_its_lead_shown(
    many_leads: Path,
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test() as pilot:
        table = await loaded(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, InboxScreen)
        screen.set_filter(InboxFilter())  # the inbox read again: its count is still to come
        await pilot.press("slash")
        screen.search_bar.input.insert_text_at_cursor("x")  # a key...
        await pilot.press("escape")  # ...and esc before the search box's pause
        await wait_until(pilot, lambda: table.total == 250 and table.filter == InboxFilter())
        first = table.row_at(0)
        assert first is not None
        await detail_shows(pilot, first.title)
        assert table.has_focus


async def test_the_scroll_bar_follows_the_rows_of_each_view(many_leads: Path) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test() as pilot:
        table = await loaded(pilot)
        bar = table.vertical_scrollbar
        await wait_until(pilot, lambda: bar.window_virtual_size == 250 + 1)  # the header too
        await pilot.press("slash", *"lead 24")  # "Lead 240" to "Lead 249"
        await wait_until(pilot, lambda: table.total == 10)
        assert bar.window_virtual_size == 10 + 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: table.total == 250)
        assert bar.window_virtual_size == 250 + 1


# -- the garbage collector ----------------------------------------------------------------------


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Each test starts with nothing set aside and leaves nothing set aside."""
    collector.release()
    yield
    collector.release()


def test_the_search_box_sets_aside_again_what_the_duplicates_screen_handed_back(
    collector_state: None,
) -> None:
    collector.settle()  # the search box opened
    assert collector.settled() and gc.get_freeze_count() > 0
    collector.hold()  # a scan on the duplicates screen
    collector.keep()
    collector.release()  # the screen left: everything handed back
    assert gc.get_freeze_count() == 0 and not collector.settled()
    leftover = [[]]
    leftover[0].append(leftover)  # a cycle the screen left behind
    tracked = id(leftover)
    del leftover
    collector.settle()  # the search box opened again: the leftovers collected first
    assert gc.get_freeze_count() > 0
    assert all(id(o) != tracked for o in gc.get_objects())  # not kept forever


async def test_opening_the_search_box_again_sets_the_app_aside_again(
    fleet: None, collector_state: None
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test() as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await wait_until(pilot, collector.settled)
        collector.release()  # as the duplicates screen does when it is left
        await pilot.press("escape", "slash")
        await wait_until(pilot, collector.settled)
        assert gc.get_freeze_count() > 0


async def test_a_search_typed_faster_than_the_box_opens_loses_no_key(fleet: None) -> None:
    """ "/fleet" arriving at once (typed fast, pasted): Textual hands each key to the widget
    focused when it arrives, the table, until "/" has opened the box; they all go into it."""
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test() as pilot:
        table = await loaded(pilot)
        for key, character in [("slash", "/"), *((c, c) for c in "fleet")]:
            pilot.app.post_message(events.Key(key, character))  # no pause between them
        await typed_view(pilot, table, "fleet")
        await wait_until(pilot, lambda: table.total == 2)
        assert isinstance(pilot.app.screen, InboxScreen)  # no "e" or "t" ran a key of the inbox
        assert pilot.app.screen.query_one(SearchBar).text == "fleet"
