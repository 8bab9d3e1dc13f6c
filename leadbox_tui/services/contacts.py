"""People and organisations: found by their normalised name, e-mail or phone, or created."""

from __future__ import annotations

from collections.abc import Sequence

from leadbox_tui.services.history import Recorder
from leadbox_tui.services.normalize import email_key, organization_key, person_key, phone_key
from leadbox_tui.store.models import ContactPoint, Organization, Person


def find_organization(name: str) -> Organization | None:
    key = organization_key(name)
    return (
        Organization.select()
        .where(
            Organization.name_key == key,
            Organization.deleted_at.is_null(),
            Organization.merged_into.is_null(),
        )
        .order_by(Organization.id)
        .first()
    )


def find_or_create_organization(
    rec: Recorder,
    name: str,
    address: str | None = None,
    website: str | None = None,
    chosen: int | None = None,
) -> int:
    """The ``chosen`` organisation, else an existing one of that name (legal form ignored), else
    a new one. An address or website it lacks is filled in."""
    existing = Organization.get_by_id(chosen) if chosen is not None else find_organization(name)
    if existing is not None:
        for field, value in (("address", address), ("website", website)):
            if value and not getattr(existing, field):
                rec.set(Organization, existing.id, field, value)
        return existing.id
    org = Organization.create(
        name=name.strip(),
        name_key=organization_key(name),
        address=address or None,
        website=website or None,
    )
    rec.created(Organization, org.id)
    return org.id


def _live_people():
    return Person.select().where(Person.deleted_at.is_null(), Person.merged_into.is_null())


def find_person(
    name: str,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    organization_id: int | None = None,
) -> Person | None:
    """The same person: same e-mail, else same phone, else same name at the same organisation."""
    for kind, keys in (
        ("email", [email_key(e) for e in emails]),
        ("phone", [phone_key(p) for p in phones]),
    ):
        if keys:
            match = (
                _live_people()
                .join(ContactPoint)
                .where(ContactPoint.kind == kind, ContactPoint.key.in_(keys))
                .order_by(Person.id)
                .first()
            )
            if match is not None:
                return match
    if not name:
        return None
    query = _live_people().where(Person.name_key == person_key(name))
    if organization_id is not None:
        query = query.where(Person.organization == organization_id)
    elif emails or phones:
        return None  # a namesake with other details is someone else
    return query.order_by(Person.id).first()


def add_contact_points(
    rec: Recorder, person_id: int, emails: Sequence[str], phones: Sequence[str]
) -> None:
    """Add the e-mails and phones the person does not have yet."""
    have = set(
        ContactPoint.select(ContactPoint.kind, ContactPoint.key)
        .where(ContactPoint.person == person_id)
        .tuples()
    )
    position = len(have)
    for kind, values, keyer in (("email", emails, email_key), ("phone", phones, phone_key)):
        for value in values:
            if not value.strip() or (kind, keyer(value)) in have:
                continue
            point = ContactPoint.create(
                person=person_id,
                kind=kind,
                value=value.strip(),
                key=keyer(value),
                position=position,
            )
            have.add((kind, point.key))
            position += 1
            rec.created(ContactPoint, point.id)


def find_or_create_person(
    rec: Recorder,
    name: str,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    organization_id: int | None = None,
    chosen: int | None = None,
) -> int:
    """The ``chosen`` person, else the same person found, else a new one; with the e-mails and
    phones given added to them."""
    if chosen is not None:
        person = Person.get_by_id(chosen)
    else:
        person = find_person(name, emails, phones, organization_id)
    if person is None:
        person = Person.create(
            name=name.strip() or (list(emails) or list(phones))[0],
            name_key=person_key(name),
            organization=organization_id,
        )
        rec.created(Person, person.id)
    elif organization_id is not None and person.organization_id is None:
        rec.set(Person, person.id, "organization", organization_id)
    add_contact_points(rec, person.id, emails, phones)
    return person.id
