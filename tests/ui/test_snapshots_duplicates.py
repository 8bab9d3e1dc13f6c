"""SVG snapshots of the duplicates screen, the merge view and the merge picker.

The inbox is the one of the duplicates screen's tests (twin leads, look-alike people and
organisations), with its dates in a past year and the seller named, so the pictures are stable.
Update them with ``pytest --snapshot-update tests/ui/test_snapshots_duplicates.py`` and look.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from leadbox_tui.store.models import Action, Change
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.merge_pick import CandidateList, MergePickModal
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from tests.ui.conftest import loaded, wait_until
from tests.ui.test_duplicates_screen import DAY, build_twins, merge_view, scanned

SIZE = (150, 40)


@pytest.fixture
def twins_inbox(named: Path) -> Path:
    build_twins()
    Action.update(at=DAY).execute()
    Change.update(at=DAY).execute()
    return named


def test_the_duplicates_screen(twins_inbox: Path, snap_compare) -> None:
    assert snap_compare(LeadboxApp(str(twins_inbox)), terminal_size=SIZE, run_before=scanned)


def test_the_merge_view_of_two_leads(twins_inbox: Path, snap_compare) -> None:
    async def open_merge(pilot: Pilot) -> None:
        await scanned(pilot)
        await pilot.press("m")
        await merge_view(pilot)
        await pilot.press("j", "h")  # the value: the left one, against the default

    assert snap_compare(LeadboxApp(str(twins_inbox)), terminal_size=SIZE, run_before=open_merge)


def test_the_merge_picker_offers_the_likely_twin(twins_inbox: Path, snap_compare) -> None:
    async def open_picker(pilot: Pilot) -> None:
        await loaded(pilot)
        panel = pilot.app.screen.query_one(DetailPanel)
        await wait_until(pilot, lambda: panel.shown is not None)  # the picture behind the picker
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MergePickModal))
        found = pilot.app.screen.query_one(CandidateList)
        await wait_until(pilot, lambda: found.option_count == 1)
        pilot.app.screen.query_one(Input).cursor_blink = False  # the same picture every time
        await pilot.pause()

    assert snap_compare(LeadboxApp(str(twins_inbox)), terminal_size=SIZE, run_before=open_picker)
