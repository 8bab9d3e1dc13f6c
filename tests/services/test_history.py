"""Undo: every action, single or bulk, can be taken back exactly, and the log keeps both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from leadbox_tui.services import leads
from leadbox_tui.services.history import encode, recorded, undo_last
from leadbox_tui.services.inbox import InboxFilter, InboxQuery
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.leads import NewLead
from leadbox_tui.services.users import ensure_me
from leadbox_tui.store.models import Change, Lead, Person


def snapshot(lead_id: int) -> dict:
    row = Lead.select().where(Lead.id == lead_id).dicts().get()
    row.pop("updated_at")
    return row


def test_undo_with_nothing_done_says_so(inbox_path: Path) -> None:
    assert undo_last() is None


def test_undo_an_edit_restores_the_old_values(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(organization="Initech", value="10", currency="EUR"))
    before = snapshot(lead_id)
    leads.update_lead(lead_id, title="Other", value_minor=99, currency="USD")
    undone = undo_last()
    assert undone.description == "Edited title, value_minor, currency of 1 lead"
    assert snapshot(lead_id) == before


def test_undo_steps_back_one_action_at_a_time(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(organization="Initech"))
    leads.update_lead(lead_id, title="Second")
    leads.update_lead(lead_id, title="Third")
    undo_last()
    assert Lead[lead_id].title == "Second"
    undo_last()
    assert Lead[lead_id].title == "Initech lead"


def test_undo_a_bulk_edit_restores_every_lead_exactly(inbox_path: Path) -> None:
    ids = [
        leads.create_lead(NewLead(person=f"P{i}", title=f"Lead {i}", source=source))
        for i, source in enumerate(["Import", "API", "Chatbot"] * 40)
    ]
    before = {i: snapshot(i) for i in ids}
    assert leads.bulk_update(ids, source="Web forms", stage="new") == len(ids)
    assert {Lead[i].source for i in ids} == {"Web forms"}
    undo_last()
    assert {i: snapshot(i) for i in ids} == before


def test_archive_and_delete_are_undone_back_into_the_inbox(inbox_path: Path) -> None:
    a = leads.create_lead(NewLead(person="A"))
    b = leads.create_lead(NewLead(person="B"))
    leads.archive([a])
    leads.delete([b])
    assert InboxQuery().ids(0, 10) == []
    assert InboxQuery(InboxFilter(archived=True)).ids(0, 10) == [a]
    assert undo_last().description == "Deleted 1 lead"
    assert undo_last().description == "Archived 1 lead"
    assert sorted(InboxQuery().ids(0, 10)) == [a, b]


def test_undo_of_adding_a_lead_moves_it_and_its_new_contact_to_the_trash(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(person="Temp Person"))
    undo_last()
    assert Lead[lead_id].deleted_at is not None
    assert Person.get(Person.name == "Temp Person").deleted_at is not None
    assert InboxQuery().total == 0


def test_undo_restores_labels(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(person="A", labels=["Hot"]))
    hot, cold = resolve_labels(["Hot", "Cold"])
    with recorded("labels", "Relabelled") as rec:
        rec.set_labels([lead_id], add=[cold], remove=[hot])
    assert Lead[lead_id].label_names == "Cold"
    undo_last()
    assert Lead[lead_id].label_names == "Hot"


def test_a_failed_action_leaves_nothing_behind(inbox_path: Path) -> None:
    lead_id = leads.create_lead(NewLead(person="A"))
    try:
        with recorded("edit", "Doomed") as rec:
            rec.set(Lead, lead_id, "title", "Half-written")
            raise RuntimeError("crash in the middle")
    except RuntimeError:
        pass
    assert Lead[lead_id].title == "A lead"
    assert undo_last().description == "Added lead 'A lead'"


def test_a_field_changed_twice_in_one_action_is_undone_to_its_value_before_it(
    inbox_path: Path,
) -> None:
    lead_id = leads.create_lead(NewLead(person="A", labels=["Hot"]))
    hot, cold = resolve_labels(["Hot", "Cold"])
    before = snapshot(lead_id)
    with recorded("edit", "Twice") as rec:
        rec.set(Lead, lead_id, "title", "Second")
        rec.set(Lead, lead_id, "title", "Third")
        rec.set_labels([lead_id], add=[cold])
        rec.set_labels([lead_id], remove=[hot])
    assert (Lead[lead_id].title, Lead[lead_id].label_names) == ("Third", "Cold")
    assert undo_last().changes == 4
    assert snapshot(lead_id) == before


def test_the_log_holds_each_kind_of_value_as_json_and_undo_writes_each_back(
    inbox_path: Path,
) -> None:
    owner = ensure_me().id
    first = leads.create_lead(NewLead(person="A"))
    second = leads.create_lead(NewLead(person="B"))
    before = {i: snapshot(i) for i in (first, second)}
    values: dict[str, dict[int, Any]] = {
        "title": {first: 'Say "olé"\nand go', second: "Zoë"},
        "was_seen": {first: True, second: False},
        "expected_close": {first: dt.date(2026, 12, 31), second: None},
        "archived_at": {first: dt.datetime(2026, 11, 22, 10, 31, 4, 250), second: None},
        "owner": {first: owner, second: owner},
        "score": {first: 4, second: 0},
    }
    with recorded("edit", "Every kind") as rec:
        for field, by_lead in values.items():
            rec.set_each(Lead, field, by_lead)
    logged = {
        (c.field, c.record_id): (c.old, c.new)
        for c in Change.select().where(Change.action == rec.action.id)
    }
    for field, by_lead in values.items():
        column = Lead._meta.fields[field]
        for lead_id, value in by_lead.items():
            old = encode(column.db_value(before[lead_id][column.name]))
            if old != encode(column.db_value(value)):
                assert logged[(field, lead_id)] == (old, encode(column.db_value(value)))
            assert getattr(Lead[lead_id], field if field != "owner" else "owner_id") == value
    assert ("was_seen", second) not in logged  # unchanged values are not logged
    undo_last()
    assert {i: snapshot(i) for i in (first, second)} == before
