"""Regenerate the pictures in ``screenshots/`` from a throw-away demo inbox.

    python scripts/screenshots.py

It drives the real app headless at a fixed terminal size and saves SVGs of the inbox, of a lead
opened in the detail panel, and of the help screen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from leadbox_tui.services.demo import create_throwaway_demo
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.lead_table import LeadTable

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (160, 45)


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
        await pilot.press("question_mark")
        await save("help")
    return saved


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for path in asyncio.run(shoot(str(create_throwaway_demo()))):
        print(path.relative_to(OUT.parent))


if __name__ == "__main__":
    main()
