"""The contacts screen's reads: people and organisations found by name, each with how many leads
and deals it has, and the leads and deals of one of them.

Read-only; names are matched on their folded key (accents and case ignored), the first matches
in name order, so a large address book never reads whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from leadbox_tui.services.normalize import fold
from leadbox_tui.store.models import Deal, Lead, Organization, Person

KINDS = ("person", "organization")


@dataclass(frozen=True)
class ContactRow:
    kind: str  # person or organization
    id: int
    name: str
    organization: str | None  # a person's organisation
    leads: int
    deals: int


@dataclass(frozen=True)
class ContactLead:
    id: int
    title: str
    state: str  # in the inbox, archived, converted, deleted


@dataclass(frozen=True)
class ContactDeal:
    id: int
    title: str
    status: str
    deleted: bool


def _counts(model, column, ids: list[int]) -> dict[int, int]:
    query = (
        model.select(column, fn.COUNT(model.id))
        .where(column.in_(ids), model.deleted_at.is_null())
        .group_by(column)
    )
    if model is Lead:
        query = query.where(Lead.merged_into.is_null())
    return dict(query.tuples())


def find_contacts(search: str = "", limit: int = 200) -> list[ContactRow]:
    """People, then organisations, whose name contains ``search`` (all of them when empty)."""
    key = fold(search.strip())
    people = (
        Person.select(Person.id, Person.name, Organization.name.alias("org"))
        .join(Organization, JOIN.LEFT_OUTER, on=(Person.organization == Organization.id))
        .where(Person.deleted_at.is_null(), Person.merged_into.is_null())
        .order_by(Person.name_key, Person.id)
        .limit(limit)
    )
    orgs = (
        Organization.select(Organization.id, Organization.name)
        .where(Organization.deleted_at.is_null(), Organization.merged_into.is_null())
        .order_by(Organization.name_key, Organization.id)
        .limit(limit)
    )
    if key:
        people = people.where(Person.name_key.contains(key))
        orgs = orgs.where(Organization.name_key.contains(key))
    found = list(people.tuples())
    person_ids = [p[0] for p in found]
    leads, deals = _counts(Lead, Lead.person, person_ids), _counts(Deal, Deal.person, person_ids)
    rows = [
        ContactRow("person", i, name, org, leads.get(i, 0), deals.get(i, 0))
        for i, name, org in found
    ]
    found_orgs = list(orgs.tuples())
    org_ids = [o[0] for o in found_orgs]
    leads = _counts(Lead, Lead.organization, org_ids)
    deals = _counts(Deal, Deal.organization, org_ids)
    rows += [
        ContactRow("organization", i, name, None, leads.get(i, 0), deals.get(i, 0))
        for i, name in found_orgs
    ]
    return rows


def _state(lead: Lead) -> str:
    if lead.deleted_at is not None:
        return "deleted"
    if lead.converted_at is not None:
        return (
            f"converted to deal {lead.converted_deal_id}"
            if lead.converted_deal_id
            else ("converted to a contact")
        )
    return "archived" if lead.archived_at is not None else "in the inbox"


def records_of(kind: str, contact_id: int) -> tuple[list[ContactLead], list[ContactDeal]]:
    """The leads and deals of one person or organisation, the newest first."""
    if kind not in KINDS:
        raise ValueError(f"no contact kind {kind!r}; one of: {', '.join(KINDS)}")
    lead_link = Lead.person if kind == "person" else Lead.organization
    deal_link = Deal.person if kind == "person" else Deal.organization
    leads = (
        Lead.select()
        .where(lead_link == contact_id, Lead.merged_into.is_null())
        .order_by(Lead.created_at.desc(), Lead.id.desc())
    )
    deals = Deal.select().where(deal_link == contact_id).order_by(Deal.created_at.desc())
    return (
        [ContactLead(lead.id, lead.title, _state(lead)) for lead in leads],
        [ContactDeal(d.id, d.title, d.status, d.deleted_at is not None) for d in deals],
    )
