"""Adding a lead linked to a contact the seller chose among the suggestions, and errors that
name the field to blame (for the add-lead form)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadbox_tui.services import leads
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.leads import LeadError, NewLead
from leadbox_tui.store.models import ContactPoint, Lead, Organization, Person, utcnow


def existing_lead() -> Lead:
    lead_id = leads.create_lead(
        NewLead(person="Jean Dupont", organization="Acme SA", emails=["jean@acme.fr"])
    )
    return Lead.get_by_id(lead_id)


def test_a_chosen_person_is_linked_even_when_the_name_was_typed_otherwise(
    inbox_path: Path,
) -> None:
    first = existing_lead()
    lead_id = leads.create_lead(
        NewLead(person="Jean Dupond", phones=["06 12 34 56 78"], person_id=first.person_id)
    )
    lead = Lead.get_by_id(lead_id)
    assert lead.person_id == first.person_id
    assert Person.select().count() == 1
    assert lead_detail(lead_id).person.phones == ("06 12 34 56 78",)  # the typed phone is added
    assert lead_detail(lead_id).person.emails == ("jean@acme.fr",)


def test_a_chosen_organisation_is_linked_and_gets_the_website_it_lacked(inbox_path: Path) -> None:
    first = existing_lead()
    lead_id = leads.create_lead(
        NewLead(
            organization="ACME Group",
            website="acme.example",
            organization_id=first.organization_id,
        )
    )
    assert Lead.get_by_id(lead_id).organization_id == first.organization_id
    assert Organization.select().count() == 1
    assert Organization.get_by_id(first.organization_id).website == "acme.example"


def test_undoing_a_lead_added_to_a_chosen_person_keeps_the_person(inbox_path: Path) -> None:
    first = existing_lead()
    leads.create_lead(NewLead(person="Jean Dupont", person_id=first.person_id, phones=["0611"]))
    undo_last()
    assert Person.get_by_id(first.person_id).deleted_at is None
    assert ContactPoint.select().where(ContactPoint.kind == "phone").count() == 0


def test_a_chosen_person_removed_meanwhile_is_refused_on_the_person_field(
    inbox_path: Path,
) -> None:
    first = existing_lead()
    Person.update(deleted_at=utcnow()).where(Person.id == first.person_id).execute()
    with pytest.raises(LeadError, match="no longer in the inbox") as raised:
        leads.create_lead(NewLead(person="Jean Dupont", person_id=first.person_id))
    assert raised.value.field == "person"
    assert Lead.select().count() == 1


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (NewLead(), "person"),
        (NewLead(person="A", currency="euro", value="10"), "currency"),
        (NewLead(person="A", value="ten"), "value"),
        (NewLead(person="A", source="Carrier pigeon"), "source"),
        (NewLead(person="A", owner="Nobody Known"), "owner"),
        (NewLead(person="A", labels=["Purple"]), "labels"),
        (NewLead(person="A", title="x" * 501), "title"),
        (NewLead(organization="o" * 501), "organization"),
    ],
)
def test_an_error_names_the_field_to_blame(inbox_path: Path, new: NewLead, field: str) -> None:
    with pytest.raises(LeadError) as raised:
        leads.create_lead(new)
    assert raised.value.field == field
