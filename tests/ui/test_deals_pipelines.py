"""Pipelines and stages from the keyboard (P on the deals screen and the board, and the palette),
and the deals' filter bar (f), through the pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from leadbox_tui.services import pipelines
from leadbox_tui.services.deals import mark_lost
from leadbox_tui.store.models import Deal, Lead
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.dialogs import ChoiceModal, NameModal
from leadbox_tui.ui.modals.pipelines import PipelinesModal
from leadbox_tui.ui.screens.board import BoardScreen
from leadbox_tui.ui.screens.deals import DealsScreen
from leadbox_tui.ui.widgets.choice_lists import TickList
from leadbox_tui.ui.widgets.deal_filter_bar import DealFilterBar
from tests.services.deal_helpers import new_deals
from tests.ui.conftest import SIZE, loaded, wait_until
from tests.ui.test_deals_screen import deals_screen
from tests.ui.test_triage_a import opens, says


def stage_names() -> list[str]:
    return [s.name for s in pipelines.default_pipeline().stages]


async def on_line(pilot, modal: PipelinesModal, name: str) -> None:
    """Move the list's cursor to the line named ``name`` with j/k."""
    await wait_until(pilot, lambda: any(line.name == name for line in modal.lines))
    target = [line.name for line in modal.lines].index(name)
    while modal.listing.highlighted != target:
        await pilot.press("j" if (modal.listing.highlighted or 0) < target else "k")


async def test_stages_added_renamed_moved_and_removed_with_their_deals(inbox_path: Path) -> None:
    [deal_id] = new_deals("Initech")  # in Qualified
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        await pilot.press("P")
        modal = await opens(pilot, PipelinesModal)
        await on_line(pilot, modal, "Qualified")
        await pilot.press("n")  # a stage after it
        await opens(pilot, NameModal)
        await pilot.press(*"Demo given", "enter")
        await says(pilot, "Added stage 'Demo given'")
        await wait_until(pilot, lambda: stage_names()[1] == "Demo given")
        await wait_until(pilot, lambda: modal.current and modal.current.name == "Demo given")
        await pilot.press("r")  # rename it
        rename = await opens(pilot, NameModal)
        rename.query_one(Input).value = ""
        await pilot.press(*"Demo done", "enter")
        await says(pilot, "Renamed the stage to 'Demo done'")
        await pilot.press("K")  # up, before Qualified
        await wait_until(pilot, lambda: stage_names()[:2] == ["Demo done", "Qualified"])
        await on_line(pilot, modal, "Qualified")
        await pilot.press("d")  # it holds the deal: where does it go?
        question = await opens(pilot, ChoiceModal)
        choices = question.query_one(OptionList)
        await wait_until(pilot, lambda: choices.highlighted is not None)
        choices.highlighted = [v for _, v in question.choices].index(
            str(pipelines.find_stage(pipelines.default_pipeline(), "Proposal made").id)
        )
        await pilot.press("enter")
        await says(pilot, "Removed the stage 'Qualified'")
        await wait_until(pilot, lambda: "Qualified" not in stage_names())
        assert Deal[deal_id].stage.name == "Proposal made"
        await pilot.press("u")
        await says(pilot, "Undid: Removed stage 'Qualified'")
        await wait_until(pilot, lambda: "Qualified" in stage_names())
        await pilot.press("escape")
        await opens(pilot, DealsScreen)
    assert Deal[deal_id].stage.name == "Qualified"  # back with its stage


async def test_an_empty_stage_asks_only_to_be_sure_and_a_pipeline_is_added(
    inbox_path: Path,
) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen_empty(pilot)
        await pilot.press("P")
        modal = await opens(pilot, PipelinesModal)
        await on_line(pilot, modal, "Negotiations started")
        await pilot.press("d")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Removed the stage 'Negotiations started'")
        await pilot.press("N")
        await opens(pilot, NameModal)
        await pilot.press(*"Renewals", "enter")
        await says(pilot, "Added pipeline 'Renewals'")
        await wait_until(pilot, lambda: modal.current and modal.current.name == "Renewals")
        await pilot.press("K")  # first of the pipelines now
        await wait_until(pilot, lambda: pipelines.default_pipeline().name == "Renewals")
    assert len(stage_names()) == 4  # a new pipeline gets the usual four stages


async def deals_screen_empty(pilot) -> None:
    await loaded(pilot)
    await pilot.press("2")
    await opens(pilot, DealsScreen)


async def test_the_board_manages_pipelines_from_the_palette_too(inbox_path: Path) -> None:
    new_deals("Initech")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await deals_screen(pilot)
        await pilot.press("b")
        board = await opens(pilot, BoardScreen)
        await wait_until(pilot, lambda: board.board is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"manage pipelines", "enter")
        modal = await opens(pilot, PipelinesModal)
        await on_line(pilot, modal, "Contact made")
        await pilot.press("r")
        rename = await opens(pilot, NameModal)
        rename.query_one(Input).value = ""
        await pilot.press(*"Called", "enter")
        await says(pilot, "Renamed the stage to 'Called'")
        await pilot.press("escape")
        await opens(pilot, BoardScreen)
        await wait_until(
            pilot, lambda: board.board and board.board.columns[1].stage.name == "Called"
        )


async def test_the_filter_bar_narrows_the_deals_and_c_converts_only_those(
    inbox_path: Path,
) -> None:
    stages = pipelines.default_pipeline().stages
    lost_here, open_here = new_deals("Initech", "Globex", stage_id=stages[1].id)
    [lost_elsewhere] = new_deals("Hooli")
    mark_lost([lost_here, lost_elsewhere], "No budget")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        assert table.total == 3
        await pilot.press("f")
        bar = pilot.app.screen.query_one(DealFilterBar)
        status = bar.query_one("#deal-filter-status", TickList)
        await wait_until(pilot, lambda: status.has_focus and status.highlighted == 0)
        await pilot.press("j", "j", "j", "space")  # Any, Open, Won, Lost
        await wait_until(pilot, lambda: table.total == 2)
        await pilot.press("tab", "tab")  # the stages
        stage_list = bar.query_one("#deal-filter-stage", TickList)
        await wait_until(pilot, lambda: stage_list.option_count == 5)
        await wait_until(pilot, lambda: stage_list.has_focus and stage_list.highlighted == 0)
        await pilot.press("j", "j", "space")  # Any, Qualified, Contact made
        await wait_until(pilot, lambda: table.total == 1 and table.current_lead_id == lost_here)
        assert "lost · pipeline Pipeline · stage Contact made" in bar.description
        await pilot.press("escape")  # the bar closes, the filter stays
        await wait_until(pilot, lambda: table.has_focus)
        await pilot.press("C")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Converted 1 deal back to leads")
        await wait_until(pilot, lambda: table.total == 0)
        await pilot.press("escape")  # clears the filter, the deals are back
        await wait_until(pilot, lambda: table.total == 2)
    assert Deal[lost_here].deleted_at is not None
    assert {d.id for d in Deal.select().where(Deal.deleted_at.is_null())} == {
        open_here,
        lost_elsewhere,
    }
    assert Lead.get(Lead.origin_deal == lost_here).source == "Deal"


async def test_search_finds_deals_by_title_or_contact_and_esc_clears_it(inbox_path: Path) -> None:
    new_deals("Initech", "Globex", person="Zoé Martin")
    new_deals("Hooli", person="Ana Souza")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        assert table.total == 3
        await pilot.press("slash", *"zoe")  # accents folded
        await wait_until(pilot, lambda: table.total == 2)
        await pilot.press("enter")  # the search kept, the table has the keys
        await wait_until(pilot, lambda: table.has_focus)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"hooli", "enter")
        await wait_until(pilot, lambda: table.total == 1)
        await pilot.press("escape")  # clears the search, not leaving the deals
        await wait_until(pilot, lambda: table.total == 3)
        assert isinstance(pilot.app.screen, DealsScreen)


async def test_m_moves_the_selected_deals_to_a_stage_of_another_pipeline(inbox_path: Path) -> None:
    renewals = pipelines.add_pipeline("Renewals", stages=["Due", "Renewed"])
    first, second, stays = new_deals("Initech", "Globex", "Hooli")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        bar = pilot.app.screen.query_one(DealFilterBar)
        await wait_until(pilot, lambda: len(bar.pipelines) == 2)  # the stages to offer
        while table.current_lead_id != first:
            await pilot.press("j")
        await pilot.press("space")
        while table.current_lead_id != second:
            await pilot.press("j" if table.cursor < 2 else "k")
        await pilot.press("space", "m")
        question = await opens(pilot, ChoiceModal)
        choices = question.query_one(OptionList)
        labels = [label for label, _ in question.choices]
        await wait_until(pilot, lambda: choices.has_focus)
        target = labels.index("Renewals › Renewed")
        for _ in labels:  # j moves the list, as in every list of the app
            if choices.highlighted == target:
                break
            await pilot.press("j")
        assert choices.highlighted == target
        await pilot.press("enter")
        await says(pilot, "Moved 2 deals to Renewals › Renewed")
    renewed = pipelines.find_stage(pipelines.get_pipeline(renewals), "Renewed").id
    assert {(Deal[d].pipeline_id, Deal[d].stage_id) for d in (first, second)} == {
        (renewals, renewed)
    }
    assert Deal[stays].pipeline_id != renewals


async def test_a_stage_removed_while_it_filters_the_deals_stops_filtering(
    inbox_path: Path,
) -> None:
    new_deals("Initech", "Globex")  # in Qualified
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await deals_screen(pilot)
        screen = pilot.app.screen
        await pilot.press("f", "tab", "tab")
        stage_list = screen.query_one("#deal-filter-stage", TickList)
        await wait_until(pilot, lambda: stage_list.option_count == 5)
        await wait_until(pilot, lambda: stage_list.has_focus and stage_list.highlighted == 0)
        await pilot.press("j", "j", "space", "escape")  # Contact made: no deal there
        await wait_until(pilot, lambda: table.total == 0)
        await pilot.press("P")
        modal = await opens(pilot, PipelinesModal)
        await on_line(pilot, modal, "Contact made")
        await pilot.press("d")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Removed the stage 'Contact made'")
        await pilot.press("escape")
        await opens(pilot, DealsScreen)
        await wait_until(pilot, lambda: table.total == 2 and screen.filter.stage_id is None)
