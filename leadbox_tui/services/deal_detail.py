"""What the deals screen shows of one deal beside the table: its fields, contacts, notes,
activities and e-mails, and one change log made of the deal's and of the lead it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from leadbox_tui.services.deals import deal_rows
from leadbox_tui.services.detail import (
    ActivityInfo,
    EmailInfo,
    NoteInfo,
    OrganizationInfo,
    PersonInfo,
    RecordChange,
    activities_of,
    emails_of,
    history_of,
    notes_of,
    organization_info,
    person_info,
)
from leadbox_tui.services.inbox import LabelTag
from leadbox_tui.services.timefmt import long_datetime
from leadbox_tui.store.models import Activity, Deal, EmailMessage, Lead, Note, User


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


def deal_detail(deal_id: int, now: dt.datetime | None = None) -> DealDetail | None:
    """Everything the detail panel shows about a deal, its lead's change log included."""
    [row] = deal_rows([deal_id]) or [None]
    if row is None:
        return None
    deal = Deal[deal_id]
    users = dict(User.select(User.id, User.name).tuples())
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
        notes=notes_of(Note.deal == deal_id, users),
        activities=activities_of(Activity.deal == deal_id, now or dt.datetime.now()),
        emails=emails_of(EmailMessage.deal == deal_id),
        changes=history_of(records, users),
    )


def lead_whereabouts(lead_id: int) -> str | None:
    """Where a lead a deal points to is, for a seller who asked to open it: None while it is in
    the inbox (the inbox can show it), else where it went, said in words."""
    lead = Lead.get_or_none(Lead.id == lead_id)
    if lead is None:
        return f"Lead {lead_id} no longer exists."
    if lead.converted_deal_id is not None:
        when = f" on {long_datetime(lead.converted_at)}" if lead.converted_at else ""
        return (
            f"Lead {lead_id} was converted to deal {lead.converted_deal_id}{when}: its notes, "
            "activities and e-mails moved to the deal, its change log is the deal's too."
        )
    if lead.merged_into_id is not None:
        return f"Lead {lead_id} was merged into lead {lead.merged_into_id}."
    if lead.deleted_at is not None:
        return f"Lead {lead_id} is in the trash (T in the inbox restores it)."
    if lead.converted_at is not None:
        return f"Lead {lead_id} was converted to a contact (3 shows the contacts)."
    if lead.archived_at is not None:
        return f"Lead {lead_id} is archived (A in the inbox shows the archived leads)."
    return None
