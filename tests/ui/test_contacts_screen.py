"""The contacts screen (3) through the pilot: people and organisations found as you type, with
their leads and deals; 1, 2 and 3 switch between leads, deals and contacts."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from leadbox_tui.services.contact_list import find_contacts, records_of
from leadbox_tui.services.convert import convert_leads
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.screens.contacts import ContactsScreen
from leadbox_tui.ui.screens.deals import DealsScreen
from leadbox_tui.ui.screens.inbox import InboxScreen
from tests.ui.conftest import SIZE, add_lead, loaded, wait_until
from tests.ui.test_triage_a import opens


def test_a_person_has_its_leads_and_deals(inbox_path: Path) -> None:
    kept = add_lead("Roof", person="Élodie Marchand")
    converted = add_lead("Kitchen", person="Élodie Marchand")
    add_lead("Shed", person="Bruno Petit")
    [deal_id] = convert_leads([converted]).deal_ids
    [row] = [r for r in find_contacts("elodie") if r.kind == "person"]
    assert (row.name, row.leads, row.deals) == ("Élodie Marchand", 2, 1)
    leads, deals = records_of("person", row.id)
    assert {(lead.id, lead.state) for lead in leads} == {
        (kept, "in the inbox"),
        (converted, f"converted to deal {deal_id}"),
    }
    assert [d.id for d in deals] == [deal_id]


async def test_contacts_searched_and_the_views_switched(inbox_path: Path) -> None:
    add_lead("Roof", person="Élodie Marchand")
    add_lead("Shed", person="Bruno Petit")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("3")
        screen = await opens(pilot, ContactsScreen)
        listing = screen.query_one(OptionList)
        await wait_until(pilot, lambda: listing.option_count == 2)
        await pilot.press(*"marchand")
        await wait_until(pilot, lambda: listing.option_count == 1)
        records = screen.query_one("#contact-records", Static)
        await wait_until(pilot, lambda: "Roof" in str(records.render()))
        await pilot.press("enter", "2")  # to the list, then to the deals
        await opens(pilot, DealsScreen)
        await pilot.press("3")
        await opens(pilot, ContactsScreen)
        await pilot.press("escape")
        await opens(pilot, InboxScreen)
        assert len(pilot.app.screen_stack) == 1
