"""The inbox screen: the archived view, the detail panel, opening leads, the remembered sort,
the welcome of an empty inbox, and seller text shown literally everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from rich.style import Style
from textual.message import Message

from leadbox_tui.services.inbox import InboxSort, rows_for
from leadbox_tui.services.leads import archive, update_lead
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.messages import DetailLoaded
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.lead_table import LeadTable
from leadbox_tui.ui.widgets.status_line import StatusLine
from leadbox_tui.ui.widgets.welcome import Welcome
from tests.ui.conftest import (
    SIZE,
    add_lead,
    cursor_line,
    detail_shows,
    detail_text,
    loaded,
    table_lines,
    wait_until,
    workers_done,
)


def status(app: LeadboxApp) -> str:
    line = app.screen.query_one(StatusLine)
    return "".join(strip.text for strip in line.render_lines(line.size.region)).strip()


async def test_the_status_line_says_where_the_cursor_is_and_the_sort(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert status(pilot.app) == "Lead 1 of 250 · Sort: Created ▼"
        await pilot.press("G")
        assert status(pilot.app) == "Lead 250 of 250 · Sort: Created ▼"
        await pilot.press("s")
        assert status(pilot.app) == "Lead 1 of 250 · Sort: Owner ▼"


async def test_A_shows_the_archived_leads_and_A_again_the_inbox(inbox_path: Path) -> None:
    kept = add_lead("Still in the inbox")
    gone = [add_lead("Archived one"), add_lead("Archived two")]
    archive(gone)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.total == 1
        await pilot.press("A")
        await wait_until(pilot, lambda: table.total == 2 and table.current_lead_id)
        assert status(pilot.app).startswith("Archived · Lead 1 of 2 ·")
        shown = "\n".join(table_lines(table))
        assert "Archived one" in shown and "Archived two" in shown
        assert "Still in the inbox" not in shown
        await pilot.press("A")
        await wait_until(pilot, lambda: table.total == 1 and table.current_lead_id == kept)
        assert status(pilot.app).startswith("Lead 1 of 1 ·")


async def test_the_detail_panel_follows_the_cursor(inbox_path: Path) -> None:
    add_lead("Older lead", created=dt.datetime(2024, 1, 1), organization="Acme SA")
    add_lead(
        "Newer lead",
        created=dt.datetime(2024, 2, 1),
        person="Zoé Brunet",
        emails=["zoe@example.com"],
        value=Decimal("1200.50"),
        currency="EUR",
        labels=["Hot"],
    )
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        shown = await detail_shows(pilot, "Newer lead")
        for expected in ("Zoé Brunet", "zoe@example.com", "1,200.50 EUR", "Hot", "Change log"):
            assert expected in shown
        await pilot.press("j")
        shown = await detail_shows(pilot, "Older lead")
        assert "Acme SA" in shown and "Zoé Brunet" not in shown


async def test_holding_j_reads_only_the_lead_the_cursor_stops_on(many_leads: Path) -> None:
    loads: list[DetailLoaded] = []

    def record(message: Message) -> None:
        if isinstance(message, DetailLoaded):
            loads.append(message)

    app = LeadboxApp(str(many_leads))
    async with app.run_test(size=SIZE, message_hook=record) as pilot:
        table = await loaded(pilot)
        await detail_shows(pilot, "Lead 249")
        loads.clear()
        for _ in range(20):  # a held key: faster than the panel's settle time
            table.action_cursor_down()
        await detail_shows(pilot, "Lead 229")
        await pilot.pause(0.2)
        assert [message.lead_id for message in loads] == [table.current_lead_id]


async def test_a_lead_read_after_the_cursor_moved_on_is_not_shown(inbox_path: Path) -> None:
    first = add_lead("First lead", created=dt.datetime(2024, 1, 1))
    second = add_lead("Second lead", created=dt.datetime(2024, 2, 1))
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        panel = pilot.app.screen.query_one(DetailPanel)
        panel.show_now(first)  # a slow read still under way ...
        panel.follow(second)  # ... when the cursor moves on
        shown = await detail_shows(pilot, "Second lead")
        await workers_done(pilot, "lead-detail")
        assert "First lead" not in shown and "First lead" not in detail_text(pilot)


async def test_enter_opens_the_lead_marks_it_seen_and_esc_comes_back(inbox_path: Path) -> None:
    lead_id = add_lead("Never opened")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert cursor_line(table).startswith("●")  # unseen, like unread mail
        await pilot.press("enter")
        assert isinstance(pilot.app.focused, DetailPanel)
        assert not cursor_line(table).startswith("●")
        await wait_until(pilot, lambda: rows_for([lead_id])[0].was_seen)
        await pilot.press("escape")
        assert isinstance(pilot.app.focused, LeadTable)
        await pilot.press("tab")
        assert isinstance(pilot.app.focused, DetailPanel)
        await pilot.press("tab")
        assert isinstance(pilot.app.focused, LeadTable)


async def test_unseen_titles_are_bold_and_seen_ones_are_not(inbox_path: Path) -> None:
    add_lead("Also new", created=dt.datetime(2024, 1, 1))
    seen = add_lead("Seen before", created=dt.datetime(2024, 2, 1))
    add_lead("Brand new", created=dt.datetime(2024, 3, 1))
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("j", "enter", "escape", "j")  # the cursor ends on neither of the two
        await wait_until(pilot, lambda: rows_for([seen])[0].was_seen)
        strips = table.render_lines(table.size.region)

        def title_style(line: int, title: str) -> Style:
            return next(s.style for s in strips[line] if title in s.text)

        assert title_style(1, "Brand new").bold
        assert not title_style(2, "Seen before").bold


async def test_the_sort_is_kept_between_runs(app_on: Callable[[], LeadboxApp]) -> None:
    add_lead("A lead")
    async with app_on().run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s", "r")
        await workers_done(pilot, "inbox-writes")
    async with app_on().run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.sort == InboxSort("owner", descending=False)
        assert "Owner ▲" in table_lines(table)[0]


async def test_an_empty_inbox_says_how_to_add_import_or_try_the_demo(inbox_path: Path) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        welcome = pilot.app.screen.query_one(Welcome)
        await wait_until(pilot, lambda: welcome.display)
        assert not pilot.app.screen.query_one("#panes").display
        text = "\n".join(strip.text for strip in welcome.render_lines(welcome.size.region))
        for hint in ("Your inbox is empty", "leadbox add", "leadbox import", "leadbox --demo"):
            assert hint in text
        assert status(pilot.app).startswith("0 leads")


async def test_markup_and_escape_codes_from_sellers_show_as_typed(inbox_path: Path) -> None:
    add_lead("[bold red]boom[/]", created=dt.datetime(2024, 1, 1))
    escape = add_lead("to be renamed", created=dt.datetime(2024, 2, 1), organization="[i]Co[/i]")
    update_lead(escape, title="bad \x1b[2J title \x1b[31mred")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        shown = await detail_shows(pilot, "bad ␛[2J title ␛[31mred")
        assert "[i]Co[/i]" in shown
        await pilot.press("j")
        await detail_shows(pilot, "[bold red]boom[/]")
        lines = table_lines(table)
        assert "[bold red]boom[/]" in lines[2]
        assert "bad ␛[2J title ␛[31m" in lines[1]
        everything = "".join(lines) + detail_text(pilot)
        assert "\x1b" not in everything
