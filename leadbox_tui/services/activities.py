"""Activities and the activity status of a lead: overdue, due today, planned, or none.

Scheduling, marking done and rescheduling are recorded actions that also record the lead's new
``next_activity_at``, so the activity column and the inbox order follow at once, and undo
puts both back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import StrEnum

from peewee import fn

from leadbox_tui.services.history import Recorder, recorded
from leadbox_tui.store.models import Activity, Deal, Lead

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


# -- scheduling --------------------------------------------------------------------------------

QUICK_DUE = ("today", "tomorrow", "next week")
TYPE_ALIASES = {"e-mail": "email", "mail": "email"}
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:h.](?P<minute>\d{2}))?$")  # 14:30, 9h05, 9


class ActivityError(ValueError):
    """An activity cannot be scheduled as asked; the message is for the seller."""


def quick_due(choice: str, today: dt.date | None = None) -> dt.date:
    """The quick choices of the schedule form: today, tomorrow, next week (its Monday)."""
    today = today or dt.date.today()
    key = choice.strip().lower().replace("-", " ").replace("_", " ")
    if key == "today":
        return today
    if key == "tomorrow":
        return today + dt.timedelta(days=1)
    if key == "next week":
        return today + dt.timedelta(days=7 - today.weekday())
    raise ActivityError(f"unknown quick choice {choice!r}; one of: {', '.join(QUICK_DUE)}")


def parse_due(text: str, today: dt.date | None = None) -> dt.date:
    """A due date as typed: a quick choice or a date like 2026-12-31."""
    try:
        return quick_due(text, today)
    except ActivityError:
        pass
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        choices = ", ".join(QUICK_DUE)
        raise ActivityError(f"{text!r} is not a date like 2026-12-31 (or {choices})") from None


def parse_time(text: str | None) -> dt.time | None:
    """An optional due time as typed, like 14:30; empty means none."""
    if not text or not text.strip():
        return None
    match = _TIME.match(text.strip().lower())
    try:
        if match is None:
            raise ValueError(text)
        return dt.time(int(match["hour"]), int(match["minute"] or 0))
    except ValueError:
        raise ActivityError(f"{text!r} is not a time like 14:30") from None


def activity_type(text: str) -> str:
    key = text.strip().lower()
    key = TYPE_ALIASES.get(key, key)
    if key not in ACTIVITY_TYPES:
        raise ActivityError(f"unknown activity type {text!r}; one of: {', '.join(ACTIVITY_TYPES)}")
    return key


def _record_next_activity(rec: Recorder, lead_ids: Sequence[int]) -> None:
    """Recompute each lead's earliest open activity through the recorder, so undo restores it."""
    due = Activity.due_date.concat(" ").concat(
        fn.COALESCE(Activity.due_time, END_OF_DAY.isoformat())
    )
    earliest = dict(
        Activity.select(Activity.lead, fn.MIN(due))
        .where(Activity.lead.in_(list(lead_ids)), Activity.done_at.is_null())
        .group_by(Activity.lead)
        .tuples()
    )
    for lead_id in lead_ids:
        text = earliest.get(lead_id)
        next_due = dt.datetime.fromisoformat(text) if text else None
        rec.set(Lead, lead_id, "next_activity_at", next_due)


def schedule_activity(
    lead_id: int,
    kind: str,
    subject: str = "",
    due_date: dt.date | None = None,
    due_time: dt.time | None = None,
) -> int:
    """Schedule an activity of a ``kind`` in ``ACTIVITY_TYPES`` on a lead; returns its id.

    Due today unless said; an empty subject becomes the kind's name ("Call").
    """
    lead = Lead.get_or_none(Lead.id == lead_id)
    if lead is None:
        raise ActivityError(f"no lead #{lead_id}")
    return _schedule(lead, kind, subject, due_date, due_time)


def schedule_deal_activity(
    deal_id: int,
    kind: str,
    subject: str = "",
    due_date: dt.date | None = None,
    due_time: dt.time | None = None,
) -> int:
    """Schedule an activity on a deal, as on a lead; returns its id."""
    deal = Deal.get_or_none(Deal.id == deal_id)
    if deal is None:
        raise ActivityError(f"no deal #{deal_id}")
    return _schedule(deal, kind, subject, due_date, due_time)


def _schedule(
    record: Lead | Deal,
    kind: str,
    subject: str,
    due_date: dt.date | None,
    due_time: dt.time | None,
) -> int:
    """The activity on the lead or deal; a lead's next activity follows (deals keep no such
    sort key)."""
    kind = activity_type(kind)
    subject = " ".join((subject or "").split())[:500] or kind.capitalize()
    due_date = due_date or dt.date.today()
    owner = "lead" if isinstance(record, Lead) else "deal"
    with recorded("activity", f"Scheduled {kind} {subject!r} on {record.title!r}") as rec:
        activity = Activity.create(
            type=kind,
            subject=subject,
            due_date=due_date,
            due_time=due_time,
            owner=rec.by,
            created_at=rec.action.at,
            updated_at=rec.action.at,
            **{owner: record.id},
        )
        rec.created(Activity, activity.id)
        if isinstance(record, Lead):
            _record_next_activity(rec, [record.id])
    return activity.id


def _activity(activity_id: int) -> Activity:
    activity = Activity.get_or_none(Activity.id == activity_id)
    if activity is None:
        raise ActivityError(f"no activity #{activity_id}")
    return activity


def mark_done(activity_id: int, done: bool = True) -> bool:
    """Mark an activity done (or not done again); returns whether it changed."""
    activity = _activity(activity_id)
    if (activity.done_at is not None) == done:
        return False  # already so: keep the time it was done
    verb = "Done" if done else "Not done"
    with recorded("activity", f"{verb}: {activity.subject!r}") as rec:
        rec.set(Activity, activity.id, "done_at", rec.action.at if done else None)
        if activity.lead_id is not None:
            _record_next_activity(rec, [activity.lead_id])
    return True


def reschedule(activity_id: int, due_date: dt.date, due_time: dt.time | None = None) -> bool:
    """Move an activity to another day (and time, or none); returns whether it changed."""
    activity = _activity(activity_id)
    with recorded("activity", f"Rescheduled {activity.subject!r} to {due_date}") as rec:
        changed = rec.set(Activity, activity.id, "due_date", due_date)
        changed = rec.set(Activity, activity.id, "due_time", due_time) or changed
        if changed and activity.lead_id is not None:
            _record_next_activity(rec, [activity.lead_id])
    return changed
