"""Triage part B through the pilot: the filter bar, search, saved filters and their builder,
the column chooser, the selection and the bulk actions, on real inboxes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static

from leadbox_tui.services import filters
from leadbox_tui.services.conditions import ME
from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.search import INLINE_BACKLOG, pending_count
from leadbox_tui.services.users import add_user, ensure_me
from leadbox_tui.store.models import Lead, LeadLabel
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.bulk_edit import BulkEditModal, BulkLabelsModal
from leadbox_tui.ui.modals.column_chooser import ColumnChooserModal
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.dialogs import ChoiceModal, NameModal
from leadbox_tui.ui.modals.filter_builder import FilterBuilderModal
from leadbox_tui.ui.modals.saved_filters import SavedFiltersModal
from leadbox_tui.ui.screens.inbox import InboxScreen
from leadbox_tui.ui.screens.inbox_bulk import BulkProgress
from leadbox_tui.ui.widgets.filter_bar import FilterBar, FilterSummary
from leadbox_tui.ui.widgets.lead_table import LeadTable
from leadbox_tui.ui.widgets.search_bar import SearchBar
from leadbox_tui.ui.widgets.status_line import StatusLine
from leadbox_tui.ui.widgets.task_bar import TaskBar
from tests.ui.conftest import (
    SIZE,
    add_lead,
    detail_text,
    loaded,
    table_lines,
    wait_until,
    workers_done,
)
from tests.ui.test_page_loader import EndlessView

DAY = dt.datetime(2024, 3, 5, 9, 30)


@pytest.fixture
def varied(inbox_path: Path) -> dict[str, int]:
    """Eight leads of several sources and owners, one archived, newest first by name."""
    alice = add_user("Alice Martin").name
    me = ensure_me().name
    made = {}
    for hours, (title, source, owner, extra) in enumerate(
        [
            ("Fleet renewal", "Web forms", me, {"emails": ["ana@fleet.example"]}),
            ("Office move", "Web forms", alice, {}),
            ("Support contract", "API", me, {"phones": ["+33 6 12 34 56 78"]}),
            ("Fleet insurance", "Chatbot", alice, {"emails": ["bo@insure.example"]}),
            ("Trade fair stand", "Import", None, {}),
            ("Training", "API", alice, {}),
            ("Catering", "Live chat", me, {}),
        ]
    ):
        made[title] = add_lead(
            title,
            created=DAY + dt.timedelta(hours=hours),
            source=source,
            owner=owner,
            person=f"Contact {title}",
            **extra,
        )
    made["José lead"] = add_lead(
        "Kitchen equipment", created=DAY - dt.timedelta(days=1), person="José Ferreira"
    )
    return made


def status(pilot: Pilot) -> str:
    line = pilot.app.screen.query_one(StatusLine)
    return "".join(strip.text for strip in line.render_lines(line.size.region)).strip()


def summary(pilot: Pilot) -> str:
    bar = pilot.app.screen.query_one(FilterSummary)
    return "".join(strip.text for strip in bar.render_lines(bar.size.region)).strip()


def shown_titles(table: LeadTable) -> list[str]:
    return [
        row.title for index in range(table.total or 0) if (row := table.row_at(index)) is not None
    ]


async def view_is(pilot: Pilot, table: LeadTable, total: int) -> None:
    """Wait for the table to show a view of ``total`` leads, its first rows read."""
    await wait_until(
        pilot, lambda: table.total == total and (total == 0 or table.row_at(0) is not None)
    )
    await pilot.pause()


# -- the filter bar -------------------------------------------------------------------------


async def test_the_filter_bar_changes_the_rows_and_says_how_many(varied: dict[str, int]) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.total == 8
        await wait_until(pilot, lambda: "All leads" in summary(pilot))
        assert "8 leads" in summary(pilot)
        await pilot.press("f")
        await wait_until(pilot, lambda: pilot.app.screen.query_one(FilterBar).is_open)
        await pilot.press("j", "j", "space")  # from Manually created: Deal, Web forms
        await view_is(pilot, table, 2)
        assert sorted(shown_titles(table)) == ["Fleet renewal", "Office move"]
        await wait_until(pilot, lambda: "Source: Web forms" in summary(pilot))
        assert "2 leads" in summary(pilot)
        await pilot.press(*"jjjjjjj", "space")  # and API
        await view_is(pilot, table, 4)
        await pilot.press("tab", "tab", "tab", "j", "j", "space")  # with an e-mail
        await view_is(pilot, table, 1)
        assert shown_titles(table) == ["Fleet renewal"]
        await wait_until(pilot, lambda: "With an e-mail" in summary(pilot))
        assert "Source: Web forms, API" in summary(pilot) and "1 lead" in summary(pilot)
        await pilot.press("x")  # clears it all
        await view_is(pilot, table, 8)
        await pilot.press("escape")
        await wait_until(pilot, lambda: table.has_focus)
        assert not pilot.app.screen.query_one(FilterBar).is_open
        await wait_until(pilot, lambda: "All leads" in summary(pilot))


async def test_the_owner_me_and_the_archived_view_from_the_bar(varied: dict[str, int]) -> None:
    filters_archive = varied["Catering"]
    Lead.update(archived_at=DAY).where(Lead.id == filters_archive).execute()
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("f", "tab", "tab", "j", "space")  # Owner: from Anyone to Me
        await view_is(pilot, table, 4)  # a lead made with no owner is the seller's
        assert sorted(shown_titles(table)) == [
            "Fleet renewal",
            "Kitchen equipment",
            "Support contract",
            "Trade fair stand",
        ]
        assert pilot.app.screen.filter.owner == ME
        await pilot.press("tab", "tab", "j", "space")  # View: from Inbox to Archived
        await view_is(pilot, table, 1)
        assert shown_titles(table) == ["Catering"]
        await wait_until(pilot, lambda: "Archived" in summary(pilot))
        await pilot.press("escape", "escape")  # the bar closes; esc on the table clears
        await view_is(pilot, table, 7)
        assert pilot.app.screen.filter == InboxFilter()


async def test_keys_of_a_lead_wait_while_the_filter_bar_has_them(varied: dict[str, int]) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("f", "a", "d")  # not archive, not delete
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, InboxScreen) and table.total == 8
        assert Lead.select().where(Lead.archived_at.is_null(False)).count() == 0


# -- search ---------------------------------------------------------------------------------


async def test_search_finds_jose_from_jose_until_cleared(varied: dict[str, int]) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("slash", "j", "o", "s", "e")
        await view_is(pilot, table, 1)
        assert shown_titles(table) == ["Kitchen equipment"]
        # the panel reads the first match once the typing pauses
        await wait_until(pilot, lambda: "José Ferreira" in detail_text(pilot))
        assert "Search: jose" in summary(pilot)
        assert "best match first" in status(pilot)
        await pilot.press("enter")  # back to the table, the search kept
        await wait_until(pilot, lambda: table.has_focus)
        assert table.total == 1
        await pilot.press("escape")  # esc on the table clears the search
        await view_is(pilot, table, 8)
        assert pilot.app.screen.query_one(SearchBar).text == ""


async def test_search_ranks_the_best_match_first(varied: dict[str, int]) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("slash", *"fleet")
        await view_is(pilot, table, 2)
        await pilot.press("space", *"ins")
        await view_is(pilot, table, 1)
        assert shown_titles(table) == ["Fleet insurance"]
        await pilot.press("escape")  # in the box: clears the search and leaves it
        await view_is(pilot, table, 8)


async def test_a_large_backlog_is_indexed_in_a_worker_while_the_seller_types(
    inbox_path: Path,
) -> None:
    rows = [
        {"title": f"Imported {n}", "source": "Import", "created_at": DAY, "updated_at": DAY}
        for n in range(INLINE_BACKLOG + 500)
    ]
    Lead.insert_many(rows).execute()
    add_lead("Zanzibar spices")
    assert pending_count() > INLINE_BACKLOG
    progress: list[Message] = []

    def record(message: Message) -> None:
        if type(message).__name__ == "SearchIndexing":
            progress.append(message)

    app = LeadboxApp(str(inbox_path))
    async with app.run_test(size=SIZE, message_hook=record) as pilot:
        table = await loaded(pilot)
        await pilot.press("slash", *"zanz")
        assert pilot.app.screen.query_one(SearchBar).input.value == "zanz"  # typing went on
        await workers_done(pilot, "search-index")
        await view_is(pilot, table, 1)
        assert shown_titles(table) == ["Zanzibar spices"]
        assert progress and progress[-1].finished  # type: ignore[attr-defined]
        assert pending_count() == 0


async def test_a_count_a_newer_view_made_useless_stops_and_no_error_is_shown(
    varied: dict[str, int],
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        counting = table._count(table._generation, EndlessView())  # minutes, if left to run
        await pilot.pause(0.2)
        assert not counting.is_finished
        await pilot.press("slash", *"jose")
        await view_is(pilot, table, 1)
        await wait_until(pilot, lambda: counting.is_finished, timeout=5)
        assert shown_titles(table) == ["Kitchen equipment"]
        assert not [n.message for n in pilot.app._notifications]  # "interrupted" is no error


# -- saved filters and the builder ----------------------------------------------------------


async def test_a_filter_built_saved_reopened_and_applied(varied: dict[str, int]) -> None:
    db = os.environ["LEADBOX_DB"]
    async with LeadboxApp(db).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SavedFiltersModal))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FilterBuilderModal))
        await pilot.press(*"Fleet leads", "ctrl+n")  # a condition on the title, "is"
        await pilot.pause()
        await pilot.press("tab", "enter", "down", "down", "enter")  # ... contains
        await pilot.press("tab", *"fleet", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
        await view_is(pilot, table, 2)
        assert sorted(shown_titles(table)) == ["Fleet insurance", "Fleet renewal"]
        await wait_until(
            pilot, lambda: "Fleet leads: All of: Title contains fleet" in summary(pilot)
        )
        await pilot.press("escape")  # back to all the leads
        await view_is(pilot, table, 8)
        await pilot.press("F")  # reopened: it is listed, enter applies it
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SavedFiltersModal))
        await wait_until(pilot, lambda: pilot.app.screen.saved)
        await pilot.press("enter")
        await view_is(pilot, table, 2)
    listed = subprocess.run(
        [sys.executable, "-m", "leadbox_tui", "list", "--filter", "fleet leads", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "LEADBOX_DB": db},
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert sorted(r["title"] for r in json.loads(listed.stdout)) == [
        "Fleet insurance",
        "Fleet renewal",
    ]


async def test_a_condition_that_does_not_read_is_said_and_nothing_is_saved(
    varied: dict[str, int],
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("F", "n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FilterBuilderModal))
        builder = pilot.app.screen
        await pilot.press(*"Old ones", "ctrl+n", "enter")  # the field list opens
        for _ in range(3):  # title, value, currency, expected close date
            await pilot.press("down")
        await pilot.press("enter", "tab", "enter", "down", "enter")  # expected close before
        await pilot.press("tab", *"31/12/2026", "ctrl+s")
        await pilot.pause(0.2)
        assert pilot.app.screen is builder
        error = builder.query_one(".condition-error", Static)
        assert "is not a date" in str(error.render())
        assert filters.list_saved_filters() == []
        await pilot.press("ctrl+u", *"2026-12-31", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
        assert [info.name for info in filters.list_saved_filters()] == ["Old ones"]


async def test_saved_filters_favourite_rename_edit_and_delete(varied: dict[str, int]) -> None:
    filters.save_filter("Web", InboxFilter(sources=("Web forms",)))
    filters.save_filter("Apis", InboxFilter(sources=("API",)))
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SavedFiltersModal))
        picker = pilot.app.screen
        await wait_until(pilot, lambda: [i.name for i in picker.saved] == ["Apis", "Web"])
        await pilot.press("j", "f")  # Web becomes a favourite: listed first
        await wait_until(pilot, lambda: [i.name for i in picker.saved] == ["Web", "Apis"])
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, NameModal))
        await pilot.press("ctrl+u", *"Web leads", "enter")
        await wait_until(pilot, lambda: [i.name for i in picker.saved] == ["Web leads", "Apis"])
        await pilot.press("e")  # its builder: the source it had is kept, a condition added
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FilterBuilderModal))
        await pilot.press("ctrl+n", "tab", "enter", "down", "down", "enter", "tab", *"move")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
        table = pilot.app.screen.query_one(LeadTable)
        await view_is(pilot, table, 1)
        assert shown_titles(table) == ["Office move"]
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SavedFiltersModal))
        picker = pilot.app.screen
        await wait_until(pilot, lambda: picker.saved)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))
        await pilot.press("n")  # not deleted
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_until(pilot, lambda: [i.name for i in picker.saved] == ["Apis"])
    saved = filters.saved_filter("Apis")
    assert saved == InboxFilter(sources=("API",))
    assert undo_last() is not None  # the delete is one undoable action
    assert [i.name for i in filters.list_saved_filters()] == ["Web leads", "Apis"]


# -- columns ---------------------------------------------------------------------------------


async def test_a_column_chosen_is_shown_and_remembered_after_a_restart(
    varied: dict[str, int],
) -> None:
    db = os.environ["LEADBOX_DB"]
    async with LeadboxApp(db).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ColumnChooserModal))
        for _ in range(8):  # title, activity, labels, source, created, owner, value, close
            await pilot.press("j")
        await pilot.press("space", "K", "K", "K", "K", "K", "K", "K")  # person, second
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
        assert table.columns == (
            "title",
            "person",
            "activity",
            "labels",
            "source",
            "created",
            "owner",
        )
        assert "Person" in table_lines(table)[0]
        assert any("Fleet renewal " in ln and "Contact Fleet" in ln for ln in table_lines(table))
        await workers_done(pilot, "inbox-writes")
    async with LeadboxApp(db).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.columns[:2] == ("title", "person")
        assert "Person" in table_lines(table)[0]


async def test_s_sorts_by_the_shown_columns_an_index_keeps_in_order(
    varied: dict[str, int],
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        table.set_columns(("title", "person", "owner"))
        await pilot.press("s")
        assert table.sort.column == "title"
        await pilot.press("s")
        assert table.sort.column == "owner"  # the person column is shown, not sorted by
        await pilot.press("s")
        assert table.sort.column == "title"


# -- selection and bulk actions -------------------------------------------------------------


async def test_space_v_and_star_select_and_the_status_line_counts(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("space")  # selects Lead 249 and moves on
        assert table.cursor == 1
        assert "1 lead selected" in status(pilot)
        await pilot.press("j", "j", "v")  # from Lead 249 to the cursor: four leads
        assert "4 leads selected" in status(pilot)
        lines = table_lines(table)
        assert [line[0] == "✓" for line in lines[1:6]] == [True, True, True, True, False]
        await pilot.press("k", "space")  # unselects one
        assert "3 leads selected" in status(pilot)
        await pilot.press("G", "v")  # a range beyond the pages read
        await wait_until(pilot, lambda: "250 leads selected" in status(pilot))
        await pilot.press("escape")
        assert "selected" not in status(pilot)
        await pilot.press("asterisk")
        assert "all 250 leads selected" in status(pilot)
        assert all(line[0] == "✓" for line in table_lines(table)[1:10])
        await pilot.press("escape")
        assert "selected" not in status(pilot)


async def test_with_a_selection_e_means_bulk_edit(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert pilot.app.screen.active_bindings["e"].binding.description != "Bulk edit"
        await pilot.press("space")
        assert pilot.app.screen.active_bindings["e"].binding.description == "Bulk edit"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkEditModal))


async def test_a_bulk_edit_then_undo_restores_every_lead(many_leads: Path) -> None:
    alice = add_user("Alice Martin")
    before = {lead.id: lead.owner_id for lead in Lead.select()}
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        chosen = [table.row_at(i).id for i in range(3)]  # type: ignore[union-attr]
        await pilot.press("space", "space", "space", "e")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkEditModal))
        await pilot.press("tab", "tab", "enter", "down", "down", "enter")  # owner: Alice
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
        await workers_done(pilot, "bulk")
        owners = {lead.id: lead.owner_id for lead in Lead.select()}
        assert {owners[i] for i in chosen} == {alice.id}
        assert all(owners[i] == before[i] for i in before if i not in chosen)
        assert "selected" not in status(pilot)  # a bulk action ends the selection
        await pilot.press("u")
        await workers_done(pilot, "inbox-writes")
        await wait_until(
            pilot, lambda: {lead.id: lead.owner_id for lead in Lead.select()} == before
        )


async def test_a_value_the_service_would_refuse_is_said_in_the_dialog(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("space", "e")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkEditModal))
        dialog = pilot.app.screen
        await pilot.press("enter", "up", "enter")  # from the owner up to the expected close
        await pilot.press("tab", "tab", *"next friday", "ctrl+s")
        await pilot.pause(0.2)
        assert pilot.app.screen is dialog
        assert "not a date" in str(dialog.query_one("#bulk-error", Static).render())
        await pilot.press("ctrl+u", *"2026-12-31", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
        await workers_done(pilot, "bulk")
        assert Lead.select().where(Lead.expected_close == dt.date(2026, 12, 31)).count() == 1


async def test_star_archives_everything_the_filter_matches_with_progress(
    varied: dict[str, int],
) -> None:
    reports: list[BulkProgress] = []

    def record(message: Message) -> None:
        if isinstance(message, BulkProgress):
            reports.append(message)

    app = LeadboxApp(os.environ["LEADBOX_DB"])
    async with app.run_test(size=SIZE, message_hook=record) as pilot:
        table = await loaded(pilot)
        await pilot.press("f", "j", "j", "space", "escape")  # Web forms
        await view_is(pilot, table, 2)
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: "all 2 leads selected" in status(pilot))
        await pilot.press("a")
        await workers_done(pilot, "bulk")
        await view_is(pilot, table, 0)
        task = pilot.app.screen.query_one(TaskBar)  # said what ran, its bar left full, hidden
        await wait_until(pilot, lambda: not task.has_class("-running"))
        assert "Archiving" in str(task.query_one("#task-label", Static).render())
        assert task.query_one(ProgressBar).percentage == 1
    archived = {lead.title for lead in Lead.select().where(Lead.archived_at.is_null(False))}
    assert archived == {"Fleet renewal", "Office move"}
    assert [(r.done, r.total) for r in reports] == [(2, 2)]


async def test_bulk_labels_and_delete_ask_what_and_whether(varied: dict[str, int]) -> None:
    hot = resolve_labels(["Hot"])[0]
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        first, second = table.row_at(0).id, table.row_at(1).id  # type: ignore[union-attr]
        await pilot.press("space", "space", "l")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkLabelsModal))
        ticks = pilot.app.screen.query_one("#labels-ticks")
        hot_at = [option.value for option in ticks.options].index(hot)  # type: ignore[attr-defined]
        await pilot.press(*["j"] * hot_at, "space", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))
        await workers_done(pilot, "bulk")
        labelled = {r.lead_id for r in LeadLabel.select().where(LeadLabel.label == hot)}
        assert labelled == {first, second}
        await pilot.press("space", "d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))
        await pilot.press("n")
        assert Lead.select().where(Lead.deleted_at.is_null(False)).count() == 0
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))
        await pilot.press("y")
        await workers_done(pilot, "bulk")
        await view_is(pilot, table, 7)
    assert Lead.select().where(Lead.deleted_at.is_null(False)).count() == 1


async def test_o_gives_the_lead_under_the_cursor_an_owner_without_a_selection(
    varied: dict[str, int],
) -> None:
    async with LeadboxApp(os.environ["LEADBOX_DB"]).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        lead_id = table.current_lead_id
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("down", "enter")  # after me: Alice Martin
        await workers_done(pilot, "bulk")
        await wait_until(pilot, lambda: Lead[lead_id].owner.name == "Alice Martin")
