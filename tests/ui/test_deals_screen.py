"""The deals screen and the board from the keyboard, through the pilot: won, lost with a reason,
a deal back to a lead, the 100-deal limit said and nothing converted, restore, a deal moved a
stage along on the board."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.inbox import InboxFilter, InboxQuery
from leadbox_tui.store.models import Deal, Lead
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.dialogs import NameModal
from leadbox_tui.ui.screens.board import BoardScreen
from leadbox_tui.ui.screens.deals import DealsScreen
from leadbox_tui.ui.widgets.deal_table import DealTable
from tests.ui.conftest import SIZE, add_lead, loaded, wait_until
from tests.ui.test_triage_a import opens, says


def make_deals(count: int) -> list[int]:
    """Leads made and converted by the services: ``count`` open deals in the first stage."""
    ids = [add_lead(f"Deal {n:03d}", value="100", currency="EUR") for n in range(count)]
    return convert_leads(ids).deal_ids


async def deals_screen(pilot: Pilot) -> DealTable:
    await loaded(pilot)
    await pilot.press("2")
    await opens(pilot, DealsScreen)
    table = pilot.app.screen.query_one(DealTable)
    await wait_until(pilot, lambda: table.total is not None and table.current_lead_id)
    return table


async def test_won_and_lost_with_a_reason(inbox_path: Path) -> None:
    make_deals(2)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        first = table.current_lead_id
        await pilot.press("W")
        await says(pilot, "Marked 1 deal won")
        await wait_until(pilot, lambda: Deal[first].status == "won")
        await wait_until(pilot, lambda: table.current_lead_id == first)  # read again
        await pilot.press("j")
        await wait_until(pilot, lambda: table.current_lead_id not in (None, first))
        await pilot.press("L")
        await opens(pilot, NameModal)
        await pilot.press(*"Too dear", "enter")
        await says(pilot, "Marked 1 deal lost")
    lost = Deal.get(Deal.status == "lost")
    assert lost.id != first and lost.lost_reason == "Too dear"


async def test_a_deal_goes_back_to_the_inbox_and_is_restored(inbox_path: Path) -> None:
    [deal_id] = make_deals(1)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        await pilot.press("c")
        await says(pilot, "Back to the inbox as 1 lead")
        await wait_until(pilot, lambda: table.total == 0)
        assert Deal[deal_id].deleted_at is not None
        assert Lead.get(Lead.origin_deal == deal_id).source == "Deal"
        await pilot.press("T")  # the deleted deals
        await wait_until(pilot, lambda: table.total == 1 and table.current_lead_id == deal_id)
        await pilot.press("R")
        await says(pilot, "Restored 1 deal")
        await wait_until(pilot, lambda: table.total == 0)
        await pilot.press("1")
        inbox = await loaded(pilot)
        assert inbox.total == 1  # the lead it became
    assert Deal[deal_id].deleted_at is None


async def test_more_than_100_deals_are_refused_with_the_reason(inbox_path: Path) -> None:
    make_deals(101)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        for _ in range(101):
            await pilot.press("space")
        await pilot.press("c")
        await says(pilot, "101 deals selected: at most 100 convert at once")
        await pilot.press("escape", "C")  # the filtered deals: refused before any question
        await says(pilot, "101 deals match the filter: at most 100 convert at once")
        assert not isinstance(pilot.app.screen, ConfirmModal)
    assert Deal.select().where(Deal.deleted_at.is_null()).count() == 101
    assert InboxQuery(InboxFilter()).total == 0  # no lead made


async def test_convert_filtered_deals_asks_then_converts_them_all(inbox_path: Path) -> None:
    make_deals(3)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        await pilot.press("C")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Converted 3 deals back to leads")
        await wait_until(pilot, lambda: table.total == 0)


async def test_the_board_moves_a_deal_a_stage_along(inbox_path: Path) -> None:
    [deal_id] = make_deals(1)
    first_stage = Deal[deal_id].stage_id
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        await pilot.press("b")
        board = await opens(pilot, BoardScreen)
        await wait_until(pilot, lambda: board.current is not None)
        await pilot.press("l")
        await says(pilot, "to 'Contact made'")
        await wait_until(pilot, lambda: board.column == 1 and board.current is not None)
        await pilot.press("u")
        await says(pilot, "Undid")
    assert Deal[deal_id].stage_id == first_stage


async def test_the_board_marks_deals_won_and_lost_and_a_reason_may_stay_empty(
    inbox_path: Path,
) -> None:
    won, lost = make_deals(2)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        await pilot.press("b")
        board = await opens(pilot, BoardScreen)
        await wait_until(pilot, lambda: board.current is not None)
        first = board.current.id
        await pilot.press("W")
        await says(pilot, "won: it leaves the board")
        await wait_until(pilot, lambda: board.current is not None and board.current.id != first)
        await pilot.press("L")
        await opens(pilot, NameModal)
        await pilot.press("enter")  # no reason given
        await says(pilot, "lost: it leaves the board")
        await wait_until(pilot, lambda: board.current is None)
    statuses = {Deal[d].status: Deal[d].lost_reason for d in (won, lost)}
    assert statuses == {"won": None, "lost": None}


async def test_u_undoes_a_deal_sent_back_to_the_inbox(inbox_path: Path) -> None:
    [deal_id] = make_deals(1)
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        await pilot.press("c")
        await says(pilot, "Back to the inbox as 1 lead")
        await wait_until(pilot, lambda: table.total == 0)
        await pilot.press("u")
        await says(pilot, "Undid: Converted deal")
        await wait_until(pilot, lambda: table.total == 1 and table.current_lead_id == deal_id)
        await pilot.press("1")
        inbox = await loaded(pilot)
        assert inbox.total == 0  # the lead the conversion made is gone with it
    assert Deal[deal_id].deleted_at is None
    assert not Lead.select().where(Lead.origin_deal == deal_id, Lead.deleted_at.is_null()).exists()
