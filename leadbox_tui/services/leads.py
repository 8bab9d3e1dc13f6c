"""Creating, editing, archiving and deleting leads; every write is recorded and can be undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from leadbox_tui.services.contacts import find_or_create_organization, find_or_create_person
from leadbox_tui.services.history import recorded
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.normalize import to_minor
from leadbox_tui.services.users import ensure_me, find_user
from leadbox_tui.store.models import Lead, Organization, Person

SOURCES = (
    "Manually created",
    "Deal",
    "Web forms",
    "Prospector",
    "Chatbot",
    "Live chat",
    "Import",
    "Web visitors",
    "Workflow automation",
    "API",
    "E-mail",
)
MAX_TEXT = 10_000
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "value_minor",
        "currency",
        "expected_close",
        "owner",
        "source",
        "origin",
        "stage",
        "score",
        "score_mode",
        "visible_to",
    }
)


class LeadError(ValueError):
    """A lead could not be written as asked; the message is for the seller, and ``field`` (a
    ``NewLead`` field, when one is to blame) lets a form show it beside that field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class NewLead:
    """What the seller typed to add a lead. Only a person or an organisation name is required."""

    person: str = ""
    organization: str = ""
    title: str = ""
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    value: Decimal | str | None = None
    currency: str | None = None
    expected_close: dt.date | None = None
    owner: str | None = None
    source: str = "Manually created"
    origin: str | None = None
    labels: Sequence[str] = field(default_factory=tuple)
    address: str | None = None
    website: str | None = None
    person_id: int | None = None  # an existing person the seller chose: linked, not looked up
    organization_id: int | None = None  # the same for the organisation


def clean_text(text: str | None, what: str, limit: int = MAX_TEXT, field: str | None = None) -> str:
    """Text as the seller gave it, minus control characters that would disturb a terminal."""
    text = (text or "").strip()
    if len(text) > limit:
        message = f"{what} is too long ({len(text):,} characters, at most {limit:,})"
        raise LeadError(message, field)
    return "".join(ch for ch in text if ch >= " " or ch in "\n\t").strip()


def default_title(person: str, organization: str) -> str:
    return f"{organization or person} lead"


def _validated(new: NewLead) -> NewLead:
    person = clean_text(new.person, "The person's name", 500, "person")
    organization = clean_text(new.organization, "The organisation's name", 500, "organization")
    if not person and not organization:
        raise LeadError("a lead needs a person or an organisation name", "person")
    currency = (new.currency or "").strip().upper() or None
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        message = f"{new.currency!r} is not a currency code (three letters, like EUR)"
        raise LeadError(message, "currency")
    if new.source not in SOURCES:
        message = f"unknown source {new.source!r}; one of: {', '.join(SOURCES)}"
        raise LeadError(message, "source")
    try:
        to_minor(new.value, currency)
    except ValueError as error:
        raise LeadError(str(error), "value") from error
    return NewLead(
        person=person,
        organization=organization,
        title=clean_text(new.title, "The title", 500, "title")
        or default_title(person, organization),
        emails=[clean_text(e, "An e-mail", 320, "emails") for e in new.emails if e.strip()],
        phones=[clean_text(p, "A phone", 64, "phones") for p in new.phones if p.strip()],
        value=new.value,
        currency=currency,
        expected_close=new.expected_close,
        owner=new.owner,
        source=new.source,
        origin=clean_text(new.origin, "The origin", 500, "origin") or None,
        labels=list(new.labels),
        address=clean_text(new.address, "The address", 1000, "address") or None,
        website=clean_text(new.website, "The website", 500, "website") or None,
        person_id=_chosen(Person, new.person_id, "person"),
        organization_id=_chosen(Organization, new.organization_id, "organization"),
    )


def _chosen(
    model: type[Person] | type[Organization], record_id: int | None, field: str
) -> int | None:
    """A contact the seller picked, if it is still there (not removed or merged meanwhile)."""
    if record_id is None:
        return None
    live = model.select().where(
        model.id == record_id, model.deleted_at.is_null(), model.merged_into.is_null()
    )
    if not live.exists():
        what = "person" if field == "person" else "organisation"
        raise LeadError(f"the {what} chosen is no longer in the inbox; choose again", field)
    return record_id


def create_lead(new: NewLead) -> int:
    """Add one lead, finding or creating its person and organisation; returns its id."""
    new = _validated(new)
    owner = find_user(new.owner) if new.owner else ensure_me()
    if owner is None:
        raise LeadError(f"no user named {new.owner!r}", "owner")
    try:
        label_ids = resolve_labels(list(new.labels))
    except ValueError as error:
        raise LeadError(str(error), "labels") from error
    with recorded("create", f"Added lead {new.title!r}") as rec:
        org_id = (
            find_or_create_organization(
                rec, new.organization, new.address, new.website, new.organization_id
            )
            if new.organization or new.organization_id
            else None
        )
        person_id = (
            find_or_create_person(rec, new.person, new.emails, new.phones, org_id, new.person_id)
            if new.person or new.person_id
            else None
        )
        lead = Lead.create(
            title=new.title,
            person=person_id,
            organization=org_id,
            value_minor=to_minor(new.value, new.currency),
            currency=new.currency,
            expected_close=new.expected_close,
            owner=owner.id,
            source=new.source,
            origin=new.origin,
            created_at=rec.action.at,
            updated_at=rec.action.at,
        )
        rec.created(Lead, lead.id)
        if label_ids:
            rec.set_labels([lead.id], add=label_ids)
    return lead.id


def update_lead(lead_id: int, **values: object) -> int:
    """Change fields of one lead; each change goes to the change log. Returns how many changed."""
    return bulk_update([lead_id], **values)


def bulk_update(lead_ids: Sequence[int], **values: object) -> int:
    """Set fields on many leads in one transaction and one undo step; returns the leads changed."""
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise LeadError(f"cannot edit {', '.join(sorted(unknown))}")
    if "title" in values and not clean_text(str(values["title"] or ""), "The title", 500):
        raise LeadError("a lead needs a title")
    what = ", ".join(values)
    touched: set[int] = set()
    with recorded("edit", f"Edited {what} of {_count(lead_ids)}") as rec:
        for name, value in values.items():
            touched.update(rec.set_many(Lead, lead_ids, name, value))
    return len(touched)


def _count(ids: Sequence[int]) -> str:
    return "1 lead" if len(ids) == 1 else f"{len(ids):,} leads"


def _stamp(lead_ids: Sequence[int], field_name: str, stamp: bool, verb: str) -> int:
    with recorded(verb.lower(), f"{verb} {_count(lead_ids)}") as rec:
        return len(rec.set_many(Lead, lead_ids, field_name, rec.action.at if stamp else None))


def archive(lead_ids: Sequence[int]) -> int:
    return _stamp(lead_ids, "archived_at", True, "Archived")


def unarchive(lead_ids: Sequence[int]) -> int:
    return _stamp(lead_ids, "archived_at", False, "Unarchived")


def delete(lead_ids: Sequence[int]) -> int:
    """Move leads to the trash; they can be restored, and ``undo`` brings them back too."""
    return _stamp(lead_ids, "deleted_at", True, "Deleted")


def restore(lead_ids: Sequence[int]) -> int:
    return _stamp(lead_ids, "deleted_at", False, "Restored")


def mark_seen(lead_id: int) -> None:
    """Opened leads stop standing out; not an action worth undoing or logging."""
    Lead.update(was_seen=True).where(Lead.id == lead_id, Lead.was_seen == False).execute()  # noqa: E712
