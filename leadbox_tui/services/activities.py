"""Activities and the activity status of a lead: overdue, due today, planned, or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from peewee import fn

from leadbox_tui.store.models import Activity, Lead

ACTIVITY_TYPES = ("call", "meeting", "task", "deadline", "email", "lunch")
END_OF_DAY = dt.time(23, 59, 59)


class ActivityStatus(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    PLANNED = "planned"
    NONE = "none"


def due_at(due_date: dt.date, due_time: dt.time | None) -> dt.datetime:
    """When an activity is due, in the seller's wall-clock time (a calendar, not UTC)."""
    return dt.datetime.combine(due_date, due_time or END_OF_DAY)


def status_of(next_due: dt.datetime | None, now: dt.datetime | None = None) -> ActivityStatus:
    """The status given the lead's earliest open activity, at local time ``now``."""
    if next_due is None:
        return ActivityStatus.NONE
    now = now or dt.datetime.now()
    if next_due.date() < now.date() or next_due < now:
        return ActivityStatus.OVERDUE
    if next_due.date() == now.date():
        return ActivityStatus.TODAY
    return ActivityStatus.PLANNED


def refresh_next_activity(lead_ids: Sequence[int]) -> None:
    """Recompute each lead's earliest open activity, the key the inbox sorts and colours by."""
    if not lead_ids:
        return
    earliest = Activity.select(
        fn.MIN(
            Activity.due_date.concat(" ").concat(
                fn.COALESCE(Activity.due_time, END_OF_DAY.isoformat())
            )
        )
    ).where(Activity.lead == Lead.id, Activity.done_at.is_null())
    Lead.update(next_activity_at=earliest).where(Lead.id.in_(list(lead_ids))).execute()
