"""Whole lead records with their labels, person and organisation, read in batches.

``leadbox list --json`` and the export read leads this way: a window of ids from the inbox
query, then one query per related table for the whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from leadbox_tui.services.activities import ActivityStatus, status_of
from leadbox_tui.services.detail import OrganizationInfo, PersonInfo
from leadbox_tui.services.inbox import labels_of
from leadbox_tui.services.normalize import from_minor
from leadbox_tui.store.models import ContactPoint, Lead, Organization, Person, User


@dataclass(frozen=True)
class LeadRecord:
    id: int
    title: str
    value: Decimal | None
    currency: str | None
    expected_close: dt.date | None
    owner: str | None
    source: str
    origin: str | None
    stage: str | None
    score: int | None
    score_mode: str
    visible_to: str
    was_seen: bool
    activity: ActivityStatus
    next_activity_at: dt.datetime | None
    labels: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None
    person: PersonInfo | None
    organization: OrganizationInfo | None


def people_by_id(ids: Sequence[int]) -> dict[int, PersonInfo]:
    points: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"email": [], "phone": []})
    query = (
        ContactPoint.select(ContactPoint.person, ContactPoint.kind, ContactPoint.value)
        .where(ContactPoint.person.in_(list(ids)))
        .order_by(ContactPoint.position)
        .tuples()
    )
    for person_id, kind, value in query:
        points[person_id][kind].append(value)
    return {
        pid: PersonInfo(pid, name, tuple(points[pid]["email"]), tuple(points[pid]["phone"]))
        for pid, name in Person.select(Person.id, Person.name)
        .where(Person.id.in_(list(ids)))
        .tuples()
    }


def organizations_by_id(ids: Sequence[int]) -> dict[int, OrganizationInfo]:
    query = Organization.select(
        Organization.id, Organization.name, Organization.address, Organization.website
    ).where(Organization.id.in_(list(ids)))
    return {oid: OrganizationInfo(oid, n, a, w) for oid, n, a, w in query.tuples()}


def lead_records(ids: Sequence[int], now: dt.datetime | None = None) -> list[LeadRecord]:
    """The full records of these leads, in the order given."""
    if not ids:
        return []
    now = now or dt.datetime.now()
    leads = {lead.id: lead for lead in Lead.select().where(Lead.id.in_(list(ids)))}
    people = people_by_id([lead.person_id for lead in leads.values() if lead.person_id])
    orgs = organizations_by_id(
        [lead.organization_id for lead in leads.values() if lead.organization_id]
    )
    users = dict(User.select(User.id, User.name).tuples())
    tags = labels_of(list(leads))
    return [
        LeadRecord(
            id=lead.id,
            title=lead.title,
            value=from_minor(lead.value_minor, lead.currency),
            currency=lead.currency,
            expected_close=lead.expected_close,
            owner=users.get(lead.owner_id),
            source=lead.source,
            origin=lead.origin,
            stage=lead.stage,
            score=lead.score,
            score_mode=lead.score_mode,
            visible_to=lead.visible_to,
            was_seen=lead.was_seen,
            activity=status_of(lead.next_activity_at, now),
            next_activity_at=lead.next_activity_at,
            labels=tuple(t.name for t in tags.get(lead.id, ())),
            created_at=lead.created_at,
            updated_at=lead.updated_at,
            archived_at=lead.archived_at,
            person=people.get(lead.person_id),
            organization=orgs.get(lead.organization_id),
        )
        for lead in (leads[i] for i in ids if i in leads)
    ]
