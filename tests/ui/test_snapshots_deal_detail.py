"""SVG snapshot of the deals screen's detail panel with the focus, its cursor on a pinned note:
the inbox's panel drawn for a deal. Update it with
``pytest --snapshot-update tests/ui/test_snapshots_deal_detail.py`` and look.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot

from leadbox_tui.services.activities import schedule_deal_activity
from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.notes import add_deal_note
from leadbox_tui.store.models import Note
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from tests.ui.conftest import CREATED, add_lead, wait_until
from tests.ui.test_deals_screen import deals_screen
from tests.ui.test_snapshots_convert import SIZE, settled


def test_the_deal_detail_panel_on_a_pinned_note(named: Path, snap_compare) -> None:
    lead_id = add_lead("Roof repair", value="1200", currency="EUR", labels=("Hot",))
    [deal_id] = convert_leads([lead_id]).deal_ids
    note_id = add_deal_note(deal_id, "Wants [b]slate[/b], not tiles", pinned=True)
    schedule_deal_activity(deal_id, "meeting", "Site visit", dt.date(2031, 3, 4), dt.time(10))
    Note.update(created_at=CREATED).execute()
    settled()

    async def on_the_note(pilot: Pilot) -> None:
        await deals_screen(pilot)
        panel = pilot.app.screen.query_one(DetailPanel)
        await wait_until(pilot, lambda: getattr(panel.shown, "id", None) == deal_id)
        await pilot.press("tab")
        for _ in range(10):
            if panel.selected == ("note", note_id):
                break
            await pilot.press("j")
        await pilot.pause()

    assert snap_compare(LeadboxApp(str(named)), terminal_size=SIZE, run_before=on_the_note)
