"""Scheduling activities on a lead: the status column and the inbox order follow, undo too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leadbox_tui.services import leads
from leadbox_tui.services.activities import (
    ActivityError,
    ActivityStatus,
    mark_done,
    parse_due,
    parse_time,
    quick_due,
    reschedule,
    schedule_activity,
)
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxQuery, InboxSort
from leadbox_tui.services.leads import NewLead
from leadbox_tui.store.models import Activity, Lead

TODAY = dt.date.today()


@pytest.fixture
def lead(inbox_path: Path) -> int:
    return leads.create_lead(NewLead(person="Ana Souza"))


def status(lead_id: int) -> ActivityStatus:
    return next(r.activity for r in InboxQuery().rows(0, 100) if r.id == lead_id)


def test_quick_choices_give_today_tomorrow_and_next_monday() -> None:
    wednesday = dt.date(2026, 11, 18)
    assert quick_due("today", wednesday) == wednesday
    assert quick_due("Tomorrow", wednesday) == dt.date(2026, 11, 19)
    assert quick_due("next week", wednesday) == dt.date(2026, 11, 23)
    assert quick_due("next-week", dt.date(2026, 11, 23)) == dt.date(2026, 11, 30)
    assert parse_due("2026-12-31") == dt.date(2026, 12, 31)
    assert parse_time("9:05") == parse_time("9h05") == dt.time(9, 5)
    assert parse_time("14") == dt.time(14, 0)
    assert parse_time("  ") is None


def test_scheduling_sets_the_status_and_the_inbox_order(lead: int) -> None:
    other = leads.create_lead(NewLead(person="Bo"))
    assert status(lead) is ActivityStatus.NONE
    schedule_activity(lead, "call", "Intro call", TODAY + dt.timedelta(days=2), dt.time(10, 30))
    assert status(lead) is ActivityStatus.PLANNED
    assert Lead[lead].next_activity_at == dt.datetime.combine(
        TODAY + dt.timedelta(days=2), dt.time(10, 30)
    )
    by_activity = InboxQuery(sort=InboxSort("activity", False)).ids(0, 10)
    assert by_activity == [lead, other]
    schedule_activity(lead, "task", "", TODAY)  # sooner: it becomes the next one
    assert status(lead) is ActivityStatus.TODAY
    assert Activity.select().where(Activity.subject == "Task").exists()


def test_undo_removes_the_activity_and_restores_the_status(lead: int) -> None:
    schedule_activity(lead, "meeting", "Demo", TODAY - dt.timedelta(days=1))
    assert status(lead) is ActivityStatus.OVERDUE
    assert undo_last().description == "Scheduled meeting 'Demo' on 'Ana Souza lead'"
    assert status(lead) is ActivityStatus.NONE
    assert Lead[lead].next_activity_at is None
    assert Activity.select().count() == 0


def test_marking_done_moves_on_to_the_next_open_activity(lead: int) -> None:
    first = schedule_activity(lead, "call", "First", TODAY - dt.timedelta(days=1))
    schedule_activity(lead, "email", "Second", TODAY + dt.timedelta(days=5))
    assert status(lead) is ActivityStatus.OVERDUE
    assert mark_done(first)
    assert status(lead) is ActivityStatus.PLANNED
    assert not mark_done(first)  # already done: nothing changes
    assert mark_done(first, done=False)
    assert status(lead) is ActivityStatus.OVERDUE
    undo_last()
    assert status(lead) is ActivityStatus.PLANNED
    undo_last()
    assert status(lead) is ActivityStatus.OVERDUE
    assert Activity[first].done_at is None


def test_rescheduling_moves_the_due_date_and_time(lead: int) -> None:
    activity = schedule_activity(lead, "lunch", "Lunch", TODAY, dt.time(12, 0))
    assert reschedule(activity, TODAY + dt.timedelta(days=7))
    assert Activity[activity].due_time is None
    assert status(lead) is ActivityStatus.PLANNED
    undo_last()
    assert Lead[lead].next_activity_at == dt.datetime.combine(TODAY, dt.time(12, 0))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lead: schedule_activity(lead, "walk", "x"), "unknown activity type 'walk'"),
        (lambda lead: schedule_activity(999, "call", "x"), "no lead #999"),
        (lambda lead: parse_due("someday"), "'someday' is not a date like 2026-12-31"),
        (lambda lead: parse_time("25:00"), "'25:00' is not a time like 14:30"),
        (lambda lead: parse_time("noon"), "'noon' is not a time like 14:30"),
        (lambda lead: mark_done(999), "no activity #999"),
    ],
)
def test_wrong_input_is_refused(lead: int, call, message: str) -> None:
    with pytest.raises(ActivityError, match=message):
        call(lead)
    assert Activity.select().count() == 0


def test_e_mail_is_understood_as_the_email_type(lead: int) -> None:
    activity = schedule_activity(lead, "E-mail", "Follow up")
    assert Activity[activity].type == "email"
