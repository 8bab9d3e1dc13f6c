"""The trash: deleted leads, the most recently deleted first, until the seller restores them.

Deleting only stamps ``deleted_at``; the ``lead_trash`` index (migration 0005) reads the trash
in deletion order without touching the rest of the inbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import JOIN, SQL, fn

from leadbox_tui.services import bulk
from leadbox_tui.store.models import Lead, Organization, Person


@dataclass(frozen=True)
class TrashedLead:
    id: int
    title: str
    person: str | None
    organization: str | None
    deleted_at: dt.datetime


def trash_count() -> int:
    return Lead.select(fn.COUNT(SQL("*"))).where(Lead.deleted_at.is_null(False)).scalar()


def trashed(offset: int = 0, limit: int = 100) -> list[TrashedLead]:
    """A window of the trash, the most recently deleted first."""
    query = (
        Lead.select(Lead.id, Lead.title, Person.name, Organization.name, Lead.deleted_at)
        .join_from(Lead, Person, JOIN.LEFT_OUTER, on=(Lead.person == Person.id))
        .join_from(Lead, Organization, JOIN.LEFT_OUTER, on=(Lead.organization == Organization.id))
        .where(Lead.deleted_at.is_null(False))
        .order_by(Lead.deleted_at.desc(), Lead.id.desc())
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    return [TrashedLead(*row) for row in query.tuples()]


def restore(lead_ids: Sequence[int]) -> bulk.BulkResult:
    """Bring leads back from the trash, as one undoable action."""
    ids = bulk.selected_ids(lead_ids)
    outside = Lead.select(Lead.id).where(Lead.id.in_(bulk.among(ids)), Lead.deleted_at.is_null())
    if (lead := outside.order_by(Lead.id).first()) is not None:
        raise bulk.BulkError(f"lead #{lead.id} is not in the trash")
    return bulk.restore(ids)
