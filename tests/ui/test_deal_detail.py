"""The deals screen's detail panel is the inbox's, through the pilot: tab focuses it, j and k
walk the deal's items, enter on a lead line opens the lead (in the inbox, or says where it went),
enter on a change-log line opens the other deal, notes and activities of a deal are added,
edited, pinned, marked done and deleted with the lead's keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot

from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.deal_to_lead import deals_to_leads
from leadbox_tui.store.models import Activity, Lead, Note
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.activity import ActivityModal
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.note import NoteModal
from leadbox_tui.ui.screens.deals import DealsScreen
from leadbox_tui.ui.screens.inbox import InboxScreen
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.lead_table import LeadTable
from tests.ui.conftest import (
    CREATED,
    SIZE,
    add_lead,
    detail_shows,
    detail_text,
    loaded,
    wait_until,
)
from tests.ui.test_deals_screen import deals_screen, make_deals
from tests.ui.test_triage_a import opens, says


def panel(pilot: Pilot) -> DetailPanel:
    return pilot.app.screen.query_one(DetailPanel)


async def walk_to(pilot: Pilot, item: tuple[str, object]) -> None:
    """``j`` in the focused panel until its cursor is on ``item`` (a test fails if it never is)."""
    for _ in range(30):
        if panel(pilot).selected == item:
            return
        await pilot.press("j")
    raise AssertionError(f"the panel's cursor never reached {item}")


async def focused_panel(pilot: Pilot, deal_id: int) -> DetailPanel:
    """The deal shown in the panel, and the panel focused with tab."""
    await wait_until(pilot, lambda: getattr(panel(pilot).shown, "id", None) == deal_id)
    await pilot.press("tab")
    await wait_until(pilot, lambda: panel(pilot).has_focus and panel(pilot).selected is not None)
    return panel(pilot)


async def test_tab_focuses_the_deal_and_j_k_walk_its_items(inbox_path: Path) -> None:
    [deal_id] = make_deals(1)
    lead_id = Lead.get(Lead.converted_deal == deal_id).id
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        shown = await detail_shows(pilot, f"From lead       {lead_id} (enter opens it)")
        assert "Deal 000" in shown and "Change log" in shown
        detail = await focused_panel(pilot, deal_id)
        assert detail.selected == ("field", "status")
        await pilot.press("j")
        assert detail.selected == ("field", "stage")
        await pilot.press("j", "j")  # the last item: the cursor stays there
        assert detail.selected == ("lead", lead_id)
        await pilot.press("k")
        assert detail.selected == ("field", "stage")
        await pilot.press("escape")  # back to the table, still on the deals screen
        await wait_until(pilot, lambda: not detail.has_focus)
        assert isinstance(pilot.app.screen, DealsScreen)


async def test_enter_on_from_lead_says_the_lead_was_converted_to_this_deal(
    inbox_path: Path,
) -> None:
    [deal_id] = make_deals(1)
    lead_id = Lead.get(Lead.converted_deal == deal_id).id
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        await focused_panel(pilot, deal_id)
        await walk_to(pilot, ("lead", lead_id))
        await pilot.press("enter")
        await says(pilot, f"Lead {lead_id} was converted to deal {deal_id}")
        assert isinstance(pilot.app.screen, DealsScreen)


async def test_enter_on_back_to_lead_opens_the_inbox_with_the_cursor_on_it(
    inbox_path: Path,
) -> None:
    for number in range(5):
        add_lead(f"Lead {number}", created=CREATED + dt.timedelta(days=number))
    [deal_id] = make_deals(1)
    [made] = deals_to_leads([deal_id])
    Lead.update(created_at=CREATED - dt.timedelta(days=1)).where(Lead.id == made).execute()
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        await opens(pilot, DealsScreen)
        await pilot.press("T")  # no live deal: the deleted ones show it
        await focused_panel(pilot, deal_id)
        await walk_to(pilot, ("lead", made))
        await pilot.press("enter")
        inbox = await opens(pilot, InboxScreen)
        table = inbox.query_one(LeadTable)
        await wait_until(pilot, lambda: table.current_lead_id == made)
        assert table.cursor == 5  # the oldest of six, newest first
        await detail_shows(pilot, "Origin          Deal")


async def test_enter_on_a_change_log_line_opens_the_deal_it_names(inbox_path: Path) -> None:
    """A lead back from deal A, converted again to deal B: B's log holds the lead's "converted
    from deal A" line, and enter there shows deal A (among the deleted deals)."""
    [first] = make_deals(1)
    [lead_id] = deals_to_leads([first])
    [second] = convert_leads([lead_id]).deal_ids
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        said = f"converted from deal {first} (enter opens it) (lead {lead_id})"
        await wait_until(pilot, lambda: said in " ".join(detail_text(pilot).split()))
        detail = await focused_panel(pilot, second)
        await walk_to(
            pilot,
            (
                "change",
                next(at for at, c in enumerate(detail.shown.changes) if c.link == ("deal", first)),
            ),
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: table.current_lead_id == first)
        assert pilot.app.screen.filter.deleted


async def test_a_deals_notes_and_activities_with_the_leads_keys(inbox_path: Path) -> None:
    [deal_id] = make_deals(1)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        await wait_until(pilot, lambda: getattr(panel(pilot).shown, "id", None) == deal_id)
        await pilot.press("N")
        await opens(pilot, NoteModal)
        await pilot.press(*"Budget [b]ok[/b]", "ctrl+s")
        await says(pilot, "Added a note to 'Deal 000'")
        await detail_shows(pilot, "Budget [b]ok[/b]")  # literal
        [note] = Note.select().where(Note.deal == deal_id)
        await pilot.press("t")
        await opens(pilot, ActivityModal)
        await pilot.press("ctrl+s")  # a call, today
        await says(pilot, "Scheduled call on 'Deal 000'")
        [activity] = Activity.select().where(Activity.deal == deal_id)
        await detail_shows(pilot, "call: Call")

        await focused_panel(pilot, deal_id)
        await walk_to(pilot, ("note", note.id))
        await pilot.press("p")
        await says(pilot, "Pinned the note")
        await detail_shows(pilot, "Pinned · ")
        await pilot.press("e")
        await opens(pilot, NoteModal)
        await pilot.press(*" indeed", "ctrl+s")
        await says(pilot, "Changed the note")
        await detail_shows(pilot, "Budget [b]ok[/b] indeed")
        await walk_to(pilot, ("activity", activity.id))
        await pilot.press("x")
        await says(pilot, "Marked done")
        await wait_until(pilot, lambda: "✓" in detail_text(pilot))
        await pilot.press("k")
        assert panel(pilot).selected == ("note", note.id)
        await pilot.press("d")  # the note, not the deal
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Deleted the note")
        await detail_shows(pilot, "Notes (0)")
    assert Note[note.id].deleted_at is not None and Note[note.id].pinned
    assert Activity[activity.id].done_at is not None
