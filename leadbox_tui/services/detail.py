"""Everything the detail panel shows about one lead, read in one go as plain dataclasses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from peewee import Expression

from leadbox_tui.services.activities import ActivityStatus, due_at, status_of
from leadbox_tui.services.history import LABELS, decode
from leadbox_tui.services.inbox import LabelTag, labels_of
from leadbox_tui.services.normalize import from_minor
from leadbox_tui.services.timefmt import long_datetime
from leadbox_tui.store.models import (
    Activity,
    Change,
    ContactPoint,
    EmailMessage,
    Label,
    Lead,
    Note,
    Organization,
    Person,
    Pipeline,
    Stage,
    User,
)


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]


@dataclass(frozen=True)
class OrganizationInfo:
    id: int
    name: str
    address: str | None
    website: str | None


@dataclass(frozen=True)
class NoteInfo:
    id: int
    body: str
    author: str | None
    created_at: dt.datetime
    pinned: bool


@dataclass(frozen=True)
class ActivityInfo:
    id: int
    type: str
    subject: str
    due: dt.datetime
    has_time: bool
    done: bool
    status: ActivityStatus


@dataclass(frozen=True)
class EmailInfo:
    id: int
    direction: str
    sender: str
    to: str
    subject: str
    sent_at: dt.datetime | None


@dataclass(frozen=True)
class ChangeInfo:
    at: dt.datetime
    field: str
    old: str | None
    new: str | None
    by: str | None


@dataclass(frozen=True)
class LeadDetail:
    id: int
    title: str
    labels: tuple[LabelTag, ...]
    value: Decimal | None
    currency: str | None
    owner: str | None
    source: str
    origin: str | None
    expected_close: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    score: int | None
    score_mode: str
    archived_at: dt.datetime | None
    person: PersonInfo | None
    organization: OrganizationInfo | None
    notes: tuple[NoteInfo, ...]
    activities: tuple[ActivityInfo, ...]
    emails: tuple[EmailInfo, ...]
    changes: tuple[ChangeInfo, ...]
    stage: str | None = None
    origin_deal: int | None = None  # the deal this lead was converted back from


def person_info(person_id: int | None) -> PersonInfo | None:
    person = Person.get_or_none(Person.id == person_id) if person_id else None
    if person is None:
        return None
    points = list(
        ContactPoint.select()
        .where(ContactPoint.person == person.id)
        .order_by(ContactPoint.position)
    )
    return PersonInfo(
        person.id,
        person.name,
        tuple(p.value for p in points if p.kind == "email"),
        tuple(p.value for p in points if p.kind == "phone"),
    )


def organization_info(org_id: int | None) -> OrganizationInfo | None:
    org = Organization.get_or_none(Organization.id == org_id) if org_id else None
    return OrganizationInfo(org.id, org.name, org.address, org.website) if org else None


def _user_names() -> dict[int, str]:
    return dict(User.select(User.id, User.name).tuples())


@dataclass(frozen=True)
class RecordChange(ChangeInfo):
    """A change-log entry of a lead or a deal; ``link`` names a record to open (the deal a lead
    was converted to or from, the lead a deal came from)."""

    record_type: str
    record_id: int
    link: tuple[str, int] | None


LINKS = {"converted_deal": "deal", "origin_deal": "deal", "lead_origin": "lead"}


def change_values(users: dict[int, str]) -> Callable[[str, str | None], str | None]:
    """How a stored change-log value reads for the seller: owners (named by ``users``), stages,
    pipelines and labels by name rather than id, times (archived, deleted, converted...) as
    dates. One reader for the logs of leads and deals alike."""
    names: dict[str, dict[int, str]] = {
        "owner": users,
        "stage": dict(Stage.select(Stage.id, Stage.name).tuples()),
        "pipeline": dict(Pipeline.select(Pipeline.id, Pipeline.name).tuples()),
    }
    labels = dict(Label.select(Label.id, Label.name).tuples())

    def readable(field: str, text: str | None) -> str | None:
        value = decode(text)
        if value is None:
            return None
        if field == LABELS:
            return ", ".join(labels.get(i, "?") for i in value)
        if field.endswith("_at") and isinstance(value, str):
            try:
                return long_datetime(dt.datetime.fromisoformat(value))
            except ValueError:
                return value
        if field in names and isinstance(value, int):
            return names[field].get(value, str(value))
        return str(value)

    return readable


def history_of(
    records: Sequence[tuple[str, int]], users: dict[int, str] | None = None
) -> tuple[RecordChange, ...]:
    """The change logs of several records (a deal and the lead it came from) as one, newest
    first, every value as ``change_values`` reads it; ``users`` if already read."""
    users = _user_names() if users is None else users
    readable = change_values(users)
    condition = reduce(
        or_, [(Change.record_type == kind) & (Change.record_id == rid) for kind, rid in records]
    )
    query = Change.select().where(condition).order_by(Change.at.desc(), Change.id.desc())
    return tuple(
        RecordChange(
            c.at,
            c.field,
            readable(c.field, c.old),
            readable(c.field, c.new),
            users.get(c.by_id),
            c.record_type,
            c.record_id,
            (LINKS[c.field], decode(c.new)) if c.field in LINKS and c.new else None,
        )
        for c in query
    )


def notes_of(condition: Expression, users: dict[int, str]) -> tuple[NoteInfo, ...]:
    """The notes of a lead or a deal (``condition``), pinned first, then newest; removed ones
    stay out. ``users`` names the authors."""
    query = (
        Note.select()
        .where(condition, Note.deleted_at.is_null())
        .order_by(Note.pinned.desc(), Note.created_at.desc(), Note.id.desc())
    )
    return tuple(
        NoteInfo(n.id, n.body, users.get(n.author_id), n.created_at, n.pinned) for n in query
    )


def activities_of(condition: Expression, now: dt.datetime) -> tuple[ActivityInfo, ...]:
    """The activities of a lead or a deal, open ones first, by when they are due."""
    query = (
        Activity.select()
        .where(condition)
        .order_by(Activity.done_at.is_null(False), Activity.due_date, Activity.due_time)
    )
    return tuple(
        ActivityInfo(
            a.id,
            a.type,
            a.subject,
            due_at(a.due_date, a.due_time),
            a.due_time is not None,
            a.done_at is not None,
            status_of(due_at(a.due_date, a.due_time), now),
        )
        for a in query
    )


def emails_of(condition: Expression) -> tuple[EmailInfo, ...]:
    """The e-mails of a lead or a deal, newest first."""
    query = EmailMessage.select().where(condition).order_by(EmailMessage.sent_at.desc())
    return tuple(EmailInfo(e.id, e.direction, e.sender, e.to, e.subject, e.sent_at) for e in query)


def lead_detail(lead_id: int, now: dt.datetime | None = None) -> LeadDetail | None:
    lead = Lead.get_or_none(Lead.id == lead_id)
    if lead is None:
        return None
    now = now or dt.datetime.now()
    users = _user_names()
    return LeadDetail(
        id=lead.id,
        title=lead.title,
        labels=labels_of([lead.id]).get(lead.id, ()),
        value=from_minor(lead.value_minor, lead.currency),
        currency=lead.currency,
        owner=users.get(lead.owner_id),
        source=lead.source,
        origin=lead.origin,
        expected_close=lead.expected_close,
        created_at=lead.created_at,
        updated_at=lead.updated_at,
        score=lead.score,
        score_mode=lead.score_mode,
        archived_at=lead.archived_at,
        stage=lead.stage,
        origin_deal=lead.origin_deal_id,
        person=person_info(lead.person_id),
        organization=organization_info(lead.organization_id),
        notes=notes_of(Note.lead == lead_id, users),
        activities=activities_of(Activity.lead == lead_id, now),
        emails=emails_of(EmailMessage.lead == lead_id),
        changes=history_of([("lead", lead_id)], users),
    )
