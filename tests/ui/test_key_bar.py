"""The key bar: the screen's keys on one line, the command palette's always in sight."""

from __future__ import annotations

from pathlib import Path

from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.widgets.key_bar import KeyBar
from tests.ui.conftest import add_lead, loaded


async def test_the_bar_shows_the_inbox_keys_and_the_palette_on_the_right(inbox_path: Path) -> None:
    add_lead("A lead")
    async with LeadboxApp(str(inbox_path)).run_test(size=(150, 30)) as pilot:
        await loaded(pilot)
        line = str(pilot.app.screen.query_one(KeyBar).render())
        assert line.startswith(" s Sort  n New ")
        assert line.rstrip().endswith("^p Commands") and len(line) == 150


async def test_keys_that_do_not_fit_give_way_to_the_palette(inbox_path: Path) -> None:
    add_lead("A lead")
    async with LeadboxApp(str(inbox_path)).run_test(size=(50, 30)) as pilot:
        await loaded(pilot)
        line = str(pilot.app.screen.query_one(KeyBar).render())
        assert len(line) == 50
        assert line.rstrip().endswith("^p Commands") and "…" in line
