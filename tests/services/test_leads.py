"""Adding and changing leads, with their contacts, through the services on a real inbox."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from leadbox_tui.services import leads
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.leads import LeadError, NewLead
from leadbox_tui.services.users import add_user, ensure_me
from leadbox_tui.store.models import ContactPoint, Lead, Organization, Person


def test_a_lead_needs_only_a_person_or_an_organisation(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(person="Ana Souza"))
    detail = lead_detail(lead_id)
    assert detail.title == "Ana Souza lead"
    assert detail.person.name == "Ana Souza"
    assert detail.organization is None
    assert detail.owner == ensure_me().name
    assert detail.source == "Manually created"


def test_a_lead_with_neither_person_nor_organisation_is_refused(inbox_path: Path) -> None:
    with pytest.raises(LeadError, match="person or an organisation"):
        leads.create_lead(NewLead(title="Nobody", person="  "))
    assert Lead.select().count() == 0


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (NewLead(person="A", currency="euro", value="10"), "currency code"),
        (NewLead(person="A", value="ten"), "not an amount"),
        (NewLead(person="A", source="Carrier pigeon"), "unknown source"),
        (NewLead(person="A", owner="Nobody Known"), "no user named"),
        (NewLead(person="A", labels=["Purple"]), "no label named"),
        (NewLead(person="A" * 600), "too long"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    inbox_path: Path, new: NewLead, message: str
) -> None:
    with pytest.raises(LeadError, match=message):
        leads.create_lead(new)
    assert Lead.select().count() == Person.select().count() == 0


def test_existing_contacts_are_found_by_email_phone_or_normalised_name(inbox_path: Path) -> None:
    first = leads.create_lead(
        NewLead(person="José Álvarez", organization="ACME SARL", emails=["Jose@Acme.fr"],
                phones=["+33 6 12 34 56 78"], value="1200.50", currency="eur", labels=["hot"])
    )
    by_email = leads.create_lead(NewLead(person="J. Alvarez", emails=["jose@acme.FR"]))
    by_phone = leads.create_lead(NewLead(person="Pepe", phones=["06 12 34 56 78"]))
    by_org = leads.create_lead(NewLead(organization="Acme"))
    people = {Lead[i].person_id for i in (first, by_email, by_phone)}
    assert len(people) == 1
    assert Lead[by_org].organization_id == Lead[first].organization_id
    assert Organization.select().count() == 1
    assert ContactPoint.select().count() == 2
    detail = lead_detail(first)
    assert detail.value == Decimal("1200.50") and detail.currency == "EUR"
    assert [t.name for t in detail.labels] == ["Hot"]


def test_a_namesake_with_another_email_is_another_person(inbox_path: Path) -> None:
    leads.create_lead(NewLead(person="Marie Martin", emails=["marie@a.fr"]))
    leads.create_lead(NewLead(person="Marie Martin", emails=["marie@b.fr"]))
    assert Person.select().count() == 2


def test_control_characters_are_removed_but_markup_is_kept_as_text(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(person="Eve", title="[bold red]boom[/]\x1b[2J"))
    assert Lead[lead_id].title == "[bold red]boom[/][2J"


def test_every_edit_lands_in_the_change_log_with_old_and_new_values(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(organization="Initech"))
    colleague = add_user("Bob Lobo")
    assert leads.update_lead(lead_id, title="Initech renewal", owner=colleague.id) == 1
    assert leads.update_lead(lead_id, title="Initech renewal") == 0  # no change, no entry
    changes = {c.field: c for c in lead_detail(lead_id).changes}
    assert (changes["title"].old, changes["title"].new) == ("Initech lead", "Initech renewal")
    assert (changes["owner"].old, changes["owner"].new) == (ensure_me().name, "Bob Lobo")
    assert changes["title"].by == ensure_me().name


def test_only_editable_fields_can_be_edited(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(organization="Initech"))
    with pytest.raises(LeadError, match="cannot edit"):
        leads.update_lead(lead_id, deleted_at=None)
    with pytest.raises(LeadError, match="needs a title"):
        leads.update_lead(lead_id, title="  ")


def test_opening_a_lead_marks_it_seen(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(organization="Initech"))
    assert not Lead[lead_id].was_seen
    leads.mark_seen(lead_id)
    assert Lead[lead_id].was_seen
