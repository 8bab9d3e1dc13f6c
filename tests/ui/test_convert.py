"""Convert from the keyboard, through the pilot: one lead to a deal with the dialog (the lead
leaves the table, the deal has its notes), undo, a look-alike contact offered and linked, and a
selection converted at once."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from leadbox_tui.services.contacts import find_or_create_person
from leadbox_tui.services.history import recorded
from leadbox_tui.services.notes import add_note
from leadbox_tui.store.models import Deal, Lead, Note, Person
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.convert import BulkConvertModal, ConvertModal
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from tests.ui.conftest import SIZE, add_lead, loaded, wait_until
from tests.ui.test_triage_a import back_to_inbox, opens, says


async def test_convert_makes_the_deal_and_removes_the_lead(inbox_path: Path) -> None:
    add_lead("Garden shed")
    lead_id = add_lead("Roof repair", value="1200", currency="EUR")  # the newest: on top
    add_note(lead_id, "Wants it before winter")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.total == 2
        await pilot.press("c")
        modal = await opens(pilot, ConvertModal)
        moves = str(modal.query_one("#convert-moves").render())
        assert "1 note" in moves
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "to deal")
        await wait_until(pilot, lambda: table.total == 1)
    deal = Deal.get(Deal.lead_origin == lead_id)
    assert (deal.title, deal.value_minor, deal.currency) == ("Roof repair", 120000, "EUR")
    assert Note.get(Note.deal == deal.id).body == "Wants it before winter"
    assert Lead[lead_id].converted_deal_id == deal.id


async def test_undo_brings_the_converted_lead_back(inbox_path: Path) -> None:
    lead_id = add_lead("Roof repair")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("c")
        await opens(pilot, ConvertModal)
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await wait_until(pilot, lambda: table.total == 0)
        await pilot.press("u")
        await says(pilot, "Undid: Converted lead")
        await wait_until(pilot, lambda: table.total == 1)
    assert Lead[lead_id].converted_at is None
    assert Deal.select().where(Deal.deleted_at.is_null()).count() == 0  # undo deletes it


async def test_look_alike_person_is_offered_and_linked(inbox_path: Path) -> None:
    with recorded("test", "an existing contact") as rec:
        existing = find_or_create_person(rec, "Jeanne Dupont", (), ())
    lead_id = add_lead("Kitchen", person="Jeanne Dupond")
    own = Lead[lead_id].person_id
    assert own != existing
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        modal = await opens(pilot, ConvertModal)
        person = modal.query_one("#person", Select)
        assert existing in [value for _, value in person._options]
        person.value = existing
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "to deal")
    assert Deal.get(Deal.lead_origin == lead_id).person_id == existing


async def test_selected_leads_convert_at_once(inbox_path: Path) -> None:
    for number in range(4):
        add_lead(f"Lead {number}")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        for _ in range(3):  # space selects and moves on: the first three rows
            await pilot.press("space")
        await pilot.press("c")
        await opens(pilot, BulkConvertModal)
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "Converted 3 leads to deals")
        await wait_until(pilot, lambda: table.total == 1)
    assert Lead.select().where(Lead.converted_at.is_null(False)).count() == 3
    assert Deal.select().count() == 3


async def test_convert_from_the_detail_panel(inbox_path: Path) -> None:
    lead_id = add_lead("Roof repair")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("enter")  # opens the lead in the detail panel, which takes the focus
        await wait_until(pilot, lambda: pilot.app.screen.query_one(DetailPanel).has_focus)
        await pilot.press("c")
        modal = await opens(pilot, ConvertModal)
        assert modal.proposal.lead_id == lead_id
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await wait_until(pilot, lambda: table.total == 0)
    assert Deal.get(Deal.lead_origin == lead_id)


async def test_a_lead_converted_to_a_contact_leaves_the_inbox(inbox_path: Path) -> None:
    lead_id = add_lead("Roof repair", person="Élodie Marchand")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("K")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Converted to a contact")
        await wait_until(pilot, lambda: table.total == 0)
    lead = Lead[lead_id]
    assert lead.converted_at is not None and lead.converted_deal_id is None
    assert Person[lead.person_id].name == "Élodie Marchand"


async def test_every_lead_of_the_view_converts_at_once(inbox_path: Path) -> None:
    for number in range(5):
        add_lead(f"Lead {number}")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("asterisk")  # every lead of the view, as a query: no ids read yet
        await pilot.press("c")
        await opens(pilot, BulkConvertModal)
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "Converted 5 leads to deals")
        await wait_until(pilot, lambda: table.total == 0)
    assert Deal.select().count() == 5
