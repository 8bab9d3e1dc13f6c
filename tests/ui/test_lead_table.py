"""The lead table: moving through hundreds of leads by key, sorting by key and by click."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from leadbox_tui.services.inbox import InboxSort
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.widgets.lead_cells import layout
from tests.ui.conftest import MANY, SIZE, cursor_line, loaded, table_lines, wait_until


async def test_the_table_opens_on_the_newest_leads_under_a_header(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        lines = table_lines(table)
        assert lines[0].split() == [
            "Title",
            "Activity",
            "Labels",
            "Source",
            "Created",
            "▼",
            "Owner",
        ]
        assert "Lead 249" in lines[1] and "Lead 248" in lines[2]
        assert " Mar 2024 " in lines[-1]  # dates of a past year show with the year
        assert table.total == MANY and table.cursor == 0


async def test_the_scrollbar_never_covers_the_last_column(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.show_vertical_scrollbar
        width = table.scrollable_content_region.width  # what is left of the scrollbar
        table.render_lines(table.size.region)
        lines = [table.render_line(y) for y in range(table.size.height)]
        assert {cell_len(line.text) for line in lines} == {width}
        assert {line.cell_length for line in lines} == {width}


async def test_j_and_k_and_the_arrows_move_one_lead(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("j", "j", "down", "k")
        assert table.cursor == 2
        assert "Lead 247" in cursor_line(table)
        await pilot.press("up", "up", "up")
        assert table.cursor == 0  # the first lead is as far as it goes


@pytest.mark.parametrize(("bottom", "top"), [("G", "g"), ("end", "home")])
async def test_the_last_and_first_lead_are_one_key_away(
    many_leads: Path, bottom: str, top: str
) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press(bottom)
        assert table.cursor == MANY - 1
        await wait_until(pilot, lambda: table.current_lead_id)
        assert "Lead 000" in table_lines(table)[-1]  # the last lead, at the bottom of the screen
        await pilot.press(top)
        assert table.cursor == 0
        assert "Lead 249" in table_lines(table)[1]


async def test_page_keys_move_a_screenful_and_ctrl_d_half_of_one(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        screenful = table.size.height - 1  # the header stays put
        await pilot.press("pagedown")
        assert table.cursor == screenful
        assert int(table.scroll_y) == screenful  # the view went down with it
        await pilot.press("ctrl+d")
        assert table.cursor == screenful + screenful // 2
        await pilot.press("ctrl+u", "pageup")
        assert table.cursor == 0
        await wait_until(pilot, lambda: table.current_lead_id)
        assert "Lead 249" in cursor_line(table)


async def test_paging_down_page_after_page_reaches_the_last_lead(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        for _ in range(MANY // (table.size.height - 1) + 1):
            await pilot.press("pagedown")
        assert table.cursor == MANY - 1
        await wait_until(pilot, lambda: table.current_lead_id)
        assert "Lead 000" in cursor_line(table)


async def test_s_sorts_by_the_next_column_and_r_reverses(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("j", "s")
        assert table.sort == InboxSort("owner", descending=True)
        assert table.cursor == 0  # a new order starts at its top
        await pilot.press("s")
        assert table.sort == InboxSort("title", descending=True)
        await wait_until(pilot, lambda: table.current_lead_id)
        assert "Title ▼" in table_lines(table)[0]
        assert "Lead 249" in cursor_line(table)
        await pilot.press("r")
        assert table.sort == InboxSort("title", descending=False)
        await wait_until(pilot, lambda: table.current_lead_id)
        assert "Title ▲" in table_lines(table)[0]
        assert "Lead 000" in cursor_line(table)


async def test_clicking_a_header_sorts_by_it_and_again_reverses(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        title = next(
            slot
            for slot in layout(table.columns, table.scrollable_content_region.width)
            if slot.key == "title"
        )
        await pilot.click(table, offset=(title.x + 1, 0))
        assert table.sort == InboxSort("title", descending=False)
        await wait_until(pilot, lambda: table.current_lead_id)
        assert "Lead 000" in cursor_line(table)
        await pilot.click(table, offset=(title.x + 1, 0))
        assert table.sort == InboxSort("title", descending=True)
        await wait_until(pilot, lambda: table.current_lead_id)
        assert "Lead 249" in cursor_line(table)


async def test_clicking_a_row_puts_the_cursor_on_it(many_leads: Path) -> None:
    async with LeadboxApp(str(many_leads)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.click(table, offset=(10, 4))
        assert table.cursor == 3
        assert "Lead 246" in cursor_line(table)
