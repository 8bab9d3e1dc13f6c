"""The inbox's first rows are read from the moment it opens, and the table takes them."""

from __future__ import annotations

from pathlib import Path

from leadbox_tui.services import preferences
from leadbox_tui.services.first_rows import SORT_SETTING, read_first_rows
from leadbox_tui.services.inbox import InboxQuery, InboxSort
from leadbox_tui.ui.app import LeadboxApp
from tests.ui.conftest import SIZE, add_lead, loaded


def test_the_first_rows_follow_the_saved_sort(inbox_path: Path) -> None:
    for title in ("Charlie", "Alpha", "Bravo"):
        add_lead(title)
    preferences.put(SORT_SETTING, {"column": "title", "descending": False})
    first = read_first_rows()
    assert [row.title for row in first.rows.result(timeout=10)] == ["Alpha", "Bravo", "Charlie"]
    assert first.query.sort == InboxSort("title", False)


async def test_the_table_shows_the_rows_read_as_the_inbox_opened(inbox_path: Path) -> None:
    for title in ("Charlie", "Alpha", "Bravo"):
        add_lead(title)
    first = read_first_rows()
    rows = first.rows.result(timeout=10)
    async with LeadboxApp(str(inbox_path), first).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.row_at(0) is rows[0]  # those very rows: the table read none of its own
        assert table.total == 3
        await pilot.press("s")  # another sort: read afresh
        await pilot.pause()
        expected = InboxQuery(sort=table.sort).rows(0, 3)
        await loaded(pilot)
        assert [table.row_at(i).title for i in range(3)] == [r.title for r in expected]


async def test_rows_read_for_another_view_are_not_taken(inbox_path: Path) -> None:
    add_lead("Alpha")
    first = read_first_rows()
    first.rows.result(timeout=10)
    preferences.put(SORT_SETTING, {"column": "title", "descending": True})  # changed meanwhile
    async with LeadboxApp(str(inbox_path), first).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.sort == InboxSort("title", True)
        assert table.row_at(0) is not first.rows.result()[0]
        assert table.row_at(0).title == "Alpha"
