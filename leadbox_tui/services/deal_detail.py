"""What the deals screen shows of one deal beside the table: its fields, contacts, notes,
activities and e-mails, and one change log made of the deal's and of the lead it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from leadbox_tui.services.deals import deal_rows
from leadbox_tui.services.detail import (
    ActivityInfo,
    ChangeInfo,
    EmailInfo,
    NoteInfo,
    OrganizationInfo,
    PersonInfo,
    activities_of,
    emails_of,
    notes_of,
    organization_info,
    person_info,
)
from leadbox_tui.services.history import LABELS, decode
from leadbox_tui.services.inbox import LabelTag
from leadbox_tui.services.timefmt import long_datetime
from leadbox_tui.store.models import (
    Activity,
    Change,
    Deal,
    EmailMessage,
    Label,
    Lead,
    Note,
    Pipeline,
    Stage,
    User,
)


@dataclass(frozen=True)
class RecordChange(ChangeInfo):
    """A change-log entry of a deal or of the lead it came from; ``link`` names a record to open."""

    record_type: str
    record_id: int
    link: tuple[str, int] | None


@dataclass(frozen=True)
class DealDetail:
    id: int
    title: str
    labels: tuple[LabelTag, ...]
    value: Decimal | None
    currency: str | None
    pipeline: str | None
    stage: str | None
    status: str
    lost_reason: str | None
    owner: str | None
    visible_to: str
    expected_close: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    person: PersonInfo | None
    organization: OrganizationInfo | None
    lead_origin: int | None  # the lead this deal was converted from
    leads_made: tuple[int, ...]  # the leads this deal was converted back into
    notes: tuple[NoteInfo, ...]
    activities: tuple[ActivityInfo, ...]
    emails: tuple[EmailInfo, ...]
    changes: tuple[RecordChange, ...]  # the deal's, then on to its lead's: newest first


LINKS = {"converted_deal": "deal", "origin_deal": "deal", "lead_origin": "lead"}


def history_of(records: Sequence[tuple[str, int]]) -> tuple[RecordChange, ...]:
    """The change logs of several records as one, newest first, values as the seller reads them."""
    names: dict[str, dict[int, str]] = {
        "owner": dict(User.select(User.id, User.name).tuples()),
        "stage": dict(Stage.select(Stage.id, Stage.name).tuples()),
        "pipeline": dict(Pipeline.select(Pipeline.id, Pipeline.name).tuples()),
    }
    labels = dict(Label.select(Label.id, Label.name).tuples())

    def readable(name: str, text: str | None) -> str | None:
        value = decode(text)
        if value is None:
            return None
        if name == LABELS:
            return ", ".join(labels.get(i, "?") for i in value)
        if name.endswith("_at") and isinstance(value, str):  # when it was archived, deleted...
            return long_datetime(dt.datetime.fromisoformat(value))
        return names[name].get(value, str(value)) if name in names else str(value)

    condition = reduce(
        lambda a, b: a | b,
        [(Change.record_type == kind) & (Change.record_id == rid) for kind, rid in records],
    )
    query = Change.select().where(condition).order_by(Change.at.desc(), Change.id.desc())
    return tuple(
        RecordChange(
            c.at,
            c.field,
            readable(c.field, c.old),
            readable(c.field, c.new),
            names["owner"].get(c.by_id),
            c.record_type,
            c.record_id,
            (LINKS[c.field], decode(c.new)) if c.field in LINKS and c.new else None,
        )
        for c in query
    )


def deal_detail(deal_id: int, now: dt.datetime | None = None) -> DealDetail | None:
    """Everything the detail panel shows about a deal, its lead's change log included."""
    [row] = deal_rows([deal_id]) or [None]
    if row is None:
        return None
    deal = Deal[deal_id]
    records = [("deal", deal_id)] + ([("lead", deal.lead_origin_id)] if deal.lead_origin_id else [])
    return DealDetail(
        id=row.id,
        title=row.title,
        labels=row.labels,
        value=row.value,
        currency=row.currency,
        pipeline=row.pipeline,
        stage=row.stage,
        status=row.status,
        lost_reason=row.lost_reason,
        owner=row.owner,
        visible_to=deal.visible_to,
        expected_close=row.expected_close,
        created_at=row.created_at,
        updated_at=deal.updated_at,
        deleted_at=row.deleted_at,
        person=person_info(deal.person_id),
        organization=organization_info(deal.organization_id),
        lead_origin=deal.lead_origin_id,
        leads_made=tuple(
            r[0] for r in Lead.select(Lead.id).where(Lead.origin_deal == deal_id).tuples()
        ),
        notes=notes_of(Note.deal == deal_id, dict(User.select(User.id, User.name).tuples())),
        activities=activities_of(Activity.deal == deal_id, now or dt.datetime.now()),
        emails=emails_of(EmailMessage.deal == deal_id),
        changes=history_of(records),
    )
