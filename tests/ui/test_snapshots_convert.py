"""SVG snapshots of the convert dialog (a lead with a note, a label and a look-alike person), of
the board of the default pipeline, of the pipelines dialog and of the deals' filter bar. Update
them with ``pytest --snapshot-update tests/ui/test_snapshots_convert.py`` and look.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from leadbox_tui.services.contacts import find_or_create_person
from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.deals import mark_lost, step_stage
from leadbox_tui.services.history import encode, recorded
from leadbox_tui.services.notes import add_note
from leadbox_tui.store.models import Change
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.convert import ConvertModal
from leadbox_tui.ui.modals.pipelines import PipelinesModal
from leadbox_tui.ui.screens.board import BoardScreen
from leadbox_tui.ui.widgets.choice_lists import TickList
from tests.ui.conftest import CREATED, add_lead, loaded, wait_until
from tests.ui.test_deals_screen import deals_screen

SIZE = (150, 40)


def test_the_convert_dialog(named: Path, snap_compare) -> None:
    with recorded("test", "an existing contact") as rec:
        find_or_create_person(rec, "Jeanne Dupont", (), ())
    lead_id = add_lead(
        "Kitchen for the Dupond house",
        person="Jeanne Dupond",
        value="8400",
        currency="EUR",
        expected_close=dt.date(2031, 6, 30),
        labels=("Hot",),
    )
    add_note(lead_id, "Wants oak")

    async def open_dialog(pilot: Pilot) -> None:
        await loaded(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConvertModal))
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # the same picture every time
        await pilot.pause()

    assert snap_compare(LeadboxApp(str(named)), terminal_size=SIZE, run_before=open_dialog)


def test_the_deals_board(named: Path, snap_compare) -> None:
    titles = ("Roof repair", "Solar panels", "Garden shed", "Office move")
    ids = [add_lead(t, value="1200", currency="EUR") for t in titles]
    deals = convert_leads(ids).deal_ids
    step_stage(deals[1], 1)
    step_stage(deals[2], 2)

    async def open_board(pilot: Pilot) -> None:
        await deals_screen(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))
        board = pilot.app.screen
        await wait_until(pilot, lambda: board.current is not None)
        await pilot.pause()

    assert snap_compare(LeadboxApp(str(named)), terminal_size=SIZE, run_before=open_board)


def settled() -> None:
    """Every change logged at one past time: the deal's change log shows the same every run."""
    Change.update(at=CREATED).execute()
    Change.update(new=encode(CREATED)).where(Change.field == "converted_at").execute()


def test_the_pipelines_dialog(named: Path, snap_compare) -> None:
    ids = [add_lead(t, value="900", currency="EUR") for t in ("Roof repair", "Solar panels")]
    step_stage(convert_leads(ids).deal_ids[0], 2)
    settled()

    async def open_pipelines(pilot: Pilot) -> None:
        await deals_screen(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PipelinesModal))
        modal = pilot.app.screen
        await wait_until(pilot, lambda: modal.current is not None)
        await pilot.press("j", "j")
        await pilot.pause()

    assert snap_compare(LeadboxApp(str(named)), terminal_size=SIZE, run_before=open_pipelines)


def test_the_deals_filter_bar(named: Path, snap_compare) -> None:
    ids = [add_lead(t, value="900", currency="EUR") for t in ("Roof repair", "Solar panels")]
    deals = convert_leads(ids).deal_ids
    mark_lost([deals[0]], "Too dear")
    settled()

    async def filter_lost(pilot: Pilot) -> None:
        table = await deals_screen(pilot)
        await pilot.press("f")
        status = pilot.app.screen.query_one("#deal-filter-status", TickList)
        await wait_until(pilot, lambda: status.has_focus and status.highlighted == 0)
        await pilot.press("j", "j", "j", "space")
        await wait_until(pilot, lambda: table.total == 1)
        await pilot.pause()

    assert snap_compare(LeadboxApp(str(named)), terminal_size=SIZE, run_before=filter_lost)
