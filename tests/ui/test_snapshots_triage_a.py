"""SVG snapshots of the add-lead form: empty, offering an existing contact while a name is typed,
and refusing a value beside its field with a contact linked.

Update the pictures with ``pytest --snapshot-update tests/ui/test_snapshots_triage_a.py`` and
look at them before keeping them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.users import add_user
from leadbox_tui.store.models import Action, Change, Lead
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.add_lead import SETTLE_SECONDS, AddLeadModal
from tests.ui.conftest import loaded, wait_until

FIXED = dt.datetime(2024, 3, 5, 12, 0)
SIZE = (150, 44)


@pytest.fixture
def contacts(named: Path) -> Path:
    """Two leads whose people and organisations the form can offer; local time is UTC."""
    add_user("Alice Martin")
    for days, (person, org, email) in enumerate(
        [
            ("Jean Dupont", "Acme SA", "jean.dupont@acme.fr"),
            ("Jeanne Durand", "Durand Conseil SARL", "jeanne@durand-conseil.fr"),
        ]
    ):
        lead_id = create_lead(NewLead(person=person, organization=org, emails=[email]))
        at = FIXED - dt.timedelta(days=days)
        Lead.update(created_at=at, updated_at=at).where(Lead.id == lead_id).execute()
    Action.update(at=FIXED).execute()
    Change.update(at=FIXED).execute()
    return named


async def open_form(pilot: Pilot) -> AddLeadModal:
    await loaded(pilot)
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AddLeadModal))
    form = pilot.app.screen
    assert isinstance(form, AddLeadModal)
    for field in form.query(Input):
        field.cursor_blink = False  # the same picture every time
    await pilot.pause()
    return form


def looking_up(pilot: Pilot) -> bool:
    return any(w.group == "contact-suggestions" and not w.is_finished for w in pilot.app.workers)


async def offering(pilot: Pilot) -> AddLeadModal:
    form = await open_form(pilot)
    await pilot.press(*"Jean Dupond")
    offers = form.query_one("#suggest-person", OptionList)
    await wait_until(pilot, lambda: offers.display and offers.option_count)
    # the offers of an earlier key may be in: wait for the look-up of the whole name, whose
    # offers replace them (and the highlight) when they come
    await pilot.pause(SETTLE_SECONDS * 2)
    await wait_until(pilot, lambda: not looking_up(pilot))
    await pilot.pause()
    await pilot.press("down")
    await pilot.pause()
    return form


def test_the_add_lead_form(contacts: Path, snap_compare) -> None:
    assert snap_compare(LeadboxApp(str(contacts)), terminal_size=SIZE, run_before=open_form)


def test_the_add_lead_form_offers_a_contact_while_a_name_is_typed(
    contacts: Path, snap_compare
) -> None:
    assert snap_compare(LeadboxApp(str(contacts)), terminal_size=SIZE, run_before=offering)


def test_the_add_lead_form_says_why_beside_the_field(contacts: Path, snap_compare) -> None:
    async def refused(pilot: Pilot) -> None:
        form = await offering(pilot)
        await pilot.press("enter")  # link Jean Dupont (and Acme SA with him)
        await wait_until(pilot, lambda: form.query_one("#chosen-organization").display)
        form.query_one("#value", Input).value = "12 OOO"
        form.query_one("#currency", Input).value = "EUR"
        await pilot.press("ctrl+s")
        error = form.query_one("#error-value", Static)
        await wait_until(pilot, lambda: str(error.render()))
        await pilot.pause()

    assert snap_compare(LeadboxApp(str(contacts)), terminal_size=SIZE, run_before=refused)
