"""Regenerate the pictures in ``screenshots/`` from a throw-away demo inbox.

    python scripts/screenshots.py

It drives the real app headless at a fixed terminal size and saves SVGs of the inbox, of a lead
opened in the detail panel, of the filter bar, of the convert dialog, of the deals board (a few
demo leads converted first), of the duplicates screen and of the help screen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen

from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.demo import create_throwaway_demo
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.pipelines import default_pipeline
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.convert import ConvertModal
from leadbox_tui.ui.screens.board import BoardScreen
from leadbox_tui.ui.screens.duplicates import DuplicatesScreen
from leadbox_tui.ui.screens.inbox import InboxScreen
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.lead_table import LeadTable

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (160, 45)
DEALS = 40  # demo leads converted to deals, so the board has something on it


async def wait_until(pilot: Pilot, condition: Callable[[], object], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the app did not get there in time")
        await pilot.pause(0.02)


def telling(table: LeadTable) -> int:
    """A row on the first screen whose lead has notes and activities: a full detail panel."""
    for index in range(table.size.height - 1):
        row = table.row_at(index)
        detail = lead_detail(row.id) if row else None
        if detail and detail.notes and detail.activities and detail.person:
            return index
    return 0


async def shoot(location: str) -> list[Path]:
    app = LeadboxApp(location)
    saved = []
    async with app.run_test(size=SIZE) as pilot:

        async def save(name: str) -> None:
            await pilot.pause(0.3)
            saved.append(Path(app.save_screenshot(f"{name}.svg", str(OUT))))

        await wait_until(pilot, lambda: app.screen.query(LeadTable))
        table = app.screen.query_one(LeadTable)
        panel = app.screen.query_one(DetailPanel)
        await wait_until(pilot, lambda: table.current_lead_id and panel.shown_id)
        await save("inbox")
        await pilot.press(*["j"] * telling(table), "enter")
        await wait_until(pilot, lambda: panel.shown_id == table.current_lead_id)
        await save("detail")
        await pilot.press("escape", "f", "j", "j", "space")  # the filter bar, Web forms ticked
        await save("filters")
        await pilot.press("x", "escape")
        await on(pilot, InboxScreen)
        await pilot.press("c")
        await on(pilot, ConvertModal)
        await save("convert")
        await pilot.press("escape")
        await on(pilot, InboxScreen)
        await pilot.press("2", "b")
        await on(pilot, BoardScreen)
        await save("board")
        await pilot.press("escape", "1")
        await on(pilot, InboxScreen)
        await pilot.press("D")
        screen = await on(pilot, DuplicatesScreen)
        await wait_until(pilot, lambda: not screen.scanning, timeout=60)
        await save("duplicates")
        await pilot.press("escape")
        await on(pilot, InboxScreen)
        await pilot.press("question_mark")
        await save("help")
    return saved


async def on(pilot: Pilot, kind: type[Screen]) -> Screen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind))
    return pilot.app.screen


def with_deals(location: str) -> str:
    """The demo with its last leads converted to deals (in the default pipeline's stages)."""
    open_inbox(location)
    lead_ids = InboxQuery().ids(0, 10_000)[-DEALS:]
    stages = default_pipeline().stages
    for index, stage in enumerate(stages):
        convert_leads(lead_ids[index :: len(stages)], stage_id=stage.id)
    close_database()
    return location


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for path in asyncio.run(shoot(with_deals(str(create_throwaway_demo())))):
        print(path.relative_to(OUT.parent))


if __name__ == "__main__":
    main()
