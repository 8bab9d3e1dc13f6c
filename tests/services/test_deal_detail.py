"""A deal's notes and activities through the same services as a lead's, one change-log reader
for leads and deals, and where a lead a deal points to has gone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leadbox_tui.services import activities, leads, notes
from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.deal_detail import deal_detail, lead_whereabouts
from leadbox_tui.services.deals import move_deals
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.leads import NewLead
from leadbox_tui.services.pipelines import list_pipelines
from leadbox_tui.services.timefmt import long_datetime
from leadbox_tui.store.models import Lead, Note
from tests.services.deal_helpers import new_deals


@pytest.fixture
def deal(inbox_path: Path) -> int:
    [deal_id] = new_deals("Initech")
    return deal_id


def test_a_note_added_to_a_deal_shows_in_its_detail_and_undo_removes_it(deal: int) -> None:
    note_id = notes.add_deal_note(deal, "Budget approved\nfor Q3")
    assert [(n.id, n.body) for n in deal_detail(deal).notes] == [
        (note_id, "Budget approved\nfor Q3")
    ]
    assert Note[note_id].lead_id is None
    undo_last()
    assert deal_detail(deal).notes == ()


def test_pinning_a_deal_note_unpins_the_deals_other_note_only(deal: int) -> None:
    lead_id = leads.create_lead(NewLead(person="Ana Souza"))
    lead_note = notes.add_note(lead_id, "On the lead", pinned=True)
    first = notes.add_deal_note(deal, "First", pinned=True)
    second = notes.add_deal_note(deal, "Second")
    notes.pin_note(second)
    assert [(n.id, n.pinned) for n in deal_detail(deal).notes] == [(second, True), (first, False)]
    assert Note[lead_note].pinned  # another record's pin stays


def test_an_empty_note_or_a_missing_deal_is_refused(deal: int) -> None:
    with pytest.raises(notes.NoteError, match="empty"):
        notes.add_deal_note(deal, "   ")
    with pytest.raises(notes.NoteError, match="no deal #999"):
        notes.add_deal_note(999, "Hello")


def test_an_activity_scheduled_on_a_deal_is_marked_done_and_undone(deal: int) -> None:
    when = dt.date(2030, 1, 15)
    activity_id = activities.schedule_deal_activity(deal, "call", "Follow up", when, dt.time(9))
    [shown] = deal_detail(deal).activities
    assert (shown.id, shown.subject, shown.done) == (activity_id, "Follow up", False)
    activities.mark_done(activity_id)
    assert deal_detail(deal).activities[0].done
    undo_last()
    undo_last()
    assert deal_detail(deal).activities == ()
    with pytest.raises(activities.ActivityError, match="no deal #999"):
        activities.schedule_deal_activity(999, "call")


def test_a_leads_change_log_dates_its_archive_in_words(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(person="Ana Souza"))
    leads.archive([lead_id])
    log = {c.field: c.new for c in lead_detail(lead_id).changes}
    assert log["archived_at"] == long_datetime(Lead[lead_id].archived_at)


def test_the_deal_and_lead_logs_read_values_the_same_way(deal: int) -> None:
    [pipeline] = list_pipelines()
    lead_id = Lead.get(Lead.converted_deal == deal).id
    move_deals([deal], pipeline.stages[1].id)
    by_record = {(c.record_type, c.field): c.new for c in deal_detail(deal).changes}
    lead_log = {c.field: c.new for c in lead_detail(lead_id).changes}
    assert by_record[("lead", "converted_at")] == lead_log["converted_at"]
    assert by_record[("deal", "stage")] == pipeline.stages[1].name


def test_where_a_lead_went_is_said_in_words(inbox_path: Path) -> None:
    here, archived, trashed, converted = (
        leads.create_lead(NewLead(person=name)) for name in ("Ana", "Bo", "Cy", "Di")
    )
    leads.archive([archived])
    leads.delete([trashed])
    [deal_id] = convert_leads([converted]).deal_ids
    assert lead_whereabouts(here) is None
    assert "archived" in lead_whereabouts(archived)
    assert "trash" in lead_whereabouts(trashed)
    assert f"converted to deal {deal_id}" in lead_whereabouts(converted)
    assert lead_whereabouts(9999) == "Lead 9999 no longer exists."
