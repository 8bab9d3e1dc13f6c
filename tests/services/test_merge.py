"""Merging leads, people and organisations field by field, and undoing it, on a real inbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from peewee import Model

from leadbox_tui.services import history
from leadbox_tui.services.activities import refresh_next_activity
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.inbox import InboxFilter, InboxQuery, InboxSort
from leadbox_tui.services.leads import NewLead, create_lead, update_lead
from leadbox_tui.services.merge import (
    KEEP,
    MERGED,
    OTHER,
    MergeError,
    apply_merge,
    merge_leads,
    plan_merge,
    preview_merge,
)
from leadbox_tui.services.users import add_user
from leadbox_tui.store.models import (
    Action,
    Activity,
    ContactPoint,
    Deal,
    EmailMessage,
    Lead,
    LeadLabel,
    Note,
    Organization,
    Person,
)

TABLES = (Lead, LeadLabel, Note, Activity, EmailMessage, Person, ContactPoint, Organization, Deal)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a merge touches, but the ``updated_at`` stamps."""
    state = {}
    for model in TABLES:
        columns = [f for f in model._meta.sorted_fields if f.name != "updated_at"]
        rows = model.select(*columns).order_by(*model._meta.get_primary_keys()).tuples()
        state[model._meta.table_name] = list(rows)
    return state


def note(lead_id: int, body: str) -> int:
    return Note.create(body=body, lead=lead_id).id


def activity(lead_id: int, subject: str, due: dt.date, done: bool = False) -> int:
    return Activity.create(
        type="call",
        subject=subject,
        due_date=due,
        due_time=dt.time(10, 0),
        lead=lead_id,
        done_at=dt.datetime(2026, 1, 1) if done else None,
    ).id


def email(lead_id: int, subject: str) -> int:
    return EmailMessage.create(direction="in", sender="x@y.fr", subject=subject, lead=lead_id).id


@pytest.fixture
def two_leads(inbox_path: Path) -> tuple[int, int]:
    """Twin leads with notes, activities, e-mails and labels of their own."""
    keep = create_lead(
        NewLead(
            person="Jean Dupont",
            organization="Acme",
            title="Acme website",
            value="1200",
            currency="EUR",
            labels=["Hot"],
        )
    )
    other = create_lead(
        NewLead(
            person="Jean Dupond",
            emails=["jean@acme.fr"],
            title="Website for Acme",
            value="5000",
            currency="EUR",
            expected_close=dt.date(2026, 9, 30),
            origin="form.xlsx",
            labels=["Warm", "Cold"],
        )
    )
    note(keep, "Called, wants a quote")
    note(other, "Sent the brochure\nand a price list")
    note(other, "Asked for a demo")
    activity(keep, "Follow up", dt.date(2030, 5, 1))
    activity(other, "Demo", dt.date(2030, 3, 1))
    activity(other, "Intro call", dt.date(2025, 1, 1), done=True)
    email(keep, "Quote")
    email(other, "Brochure")
    refresh_next_activity([keep, other])
    return keep, other


def test_merge_keeps_every_note_activity_email_and_label_of_both(
    two_leads: tuple[int, int],
) -> None:
    keep, other = two_leads
    merge_leads(keep, other)
    detail = lead_detail(keep)
    assert sorted(n.body for n in detail.notes) == [
        "Asked for a demo",
        "Called, wants a quote",
        "Sent the brochure\nand a price list",
    ]
    assert sorted(a.subject for a in detail.activities) == ["Demo", "Follow up", "Intro call"]
    assert sorted(e.subject for e in detail.emails) == ["Brochure", "Quote"]
    assert sorted(t.name for t in detail.labels) == ["Cold", "Hot", "Warm"]
    assert Lead[keep].label_names == "Cold, Hot, Warm"


def test_the_absorbed_lead_leaves_the_inbox_and_points_to_the_survivor(
    two_leads: tuple[int, int],
) -> None:
    keep, other = two_leads
    merge_leads(keep, other)
    assert Lead[other].merged_into_id == keep
    assert InboxQuery(InboxFilter(), InboxSort()).ids(0, 10) == [keep]
    assert lead_detail(other).title == "Website for Acme"  # still readable, with its change log
    assert lead_detail(other).changes


def test_the_survivors_change_log_records_the_merge(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    merge_leads(keep, other)
    entry = next(c for c in lead_detail(keep).changes if c.field == MERGED)
    assert entry.new == f"{other} Website for Acme"
    assert Action.select().order_by(Action.id.desc()).first().description == (
        f"Merged lead {other} 'Website for Acme' into {keep} 'Acme website'"
    )


def test_defaults_take_the_filled_the_higher_and_the_newer_value(
    two_leads: tuple[int, int],
) -> None:
    keep, other = two_leads
    plan = plan_merge("lead", keep, other)
    choice = {f.field: f for f in plan.fields}
    assert choice["value"].keep == "1,200.00 EUR"
    assert choice["value"].other == "5,000.00 EUR"
    assert choice["value"].default == OTHER  # the higher
    assert choice["expected_close"].default == OTHER  # the filled one
    assert choice["origin"].default == OTHER
    assert choice["organization"].default == KEEP  # only the survivor has one
    assert choice["title"].default == OTHER  # both filled: the newer lead's
    assert choice["owner"].default == KEEP and not choice["owner"].differs


def test_the_higher_value_wins_only_in_the_same_currency(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    update_lead(other, currency="USD")
    update_lead(keep, title="Touched last")  # the survivor is now the newer
    choice = {f.field: f for f in plan_merge("lead", keep, other).fields}
    assert choice["value"].default == KEEP
    assert choice["title"].default == KEEP


def test_the_seller_chooses_each_field(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    result = merge_leads(keep, other, take={"title": KEEP, "value": KEEP, "person": OTHER})
    lead = Lead[keep]
    assert lead.title == "Acme website"
    assert lead.value_minor == 120000
    assert lead.person_id == Lead[other].person_id
    assert lead.expected_close == dt.date(2026, 9, 30)
    assert set(result.changed) == {"person", "expected_close", "origin"}
    assert dict(result.moved) == {"notes": 2, "activities": 2, "e-mails": 1}


def test_preview_shows_the_merged_lead_and_what_moves_without_writing(
    two_leads: tuple[int, int],
) -> None:
    keep, other = two_leads
    plan = plan_merge("lead", keep, other)
    before = snapshot()
    preview = preview_merge(plan, {"title": KEEP})
    assert snapshot() == before
    fields = dict(preview.fields)
    assert fields["Title"] == "Acme website"
    assert fields["Value"] == "5,000.00 EUR"
    assert fields["Organisation"] == "Acme"
    assert preview.labels == ("Cold", "Hot", "Warm")
    moving = {m.what: m.items for m in preview.moving}
    assert moving["notes"] == ("Sent the brochure", "Asked for a demo")
    assert moving["activities"] == (
        "call: Demo (due 2030-03-01)",
        "call: Intro call (due 2025-01-01)",
    )
    assert moving["e-mails"] == ("Brochure",)
    assert all(count > 0 for count in preview.change_log)


def test_merge_recomputes_the_next_activity_of_both(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    assert Lead[keep].next_activity_at == dt.datetime(2030, 5, 1, 10, 0)
    merge_leads(keep, other)
    assert Lead[keep].next_activity_at == dt.datetime(2030, 3, 1, 10, 0)
    assert Lead[other].next_activity_at is None


def test_undo_restores_both_leads_exactly(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    before = snapshot()
    merge_leads(keep, other, take={"person": OTHER})
    assert snapshot() != before
    undone = history.undo_last()
    assert undone is not None and undone.description.startswith("Merged lead")
    after = snapshot()
    for table, rows in before.items():
        assert after[table] == rows, table
    assert InboxQuery(InboxFilter(), InboxSort()).total == 2


def test_a_plan_made_earlier_is_applied_to_the_current_values(
    two_leads: tuple[int, int],
) -> None:
    keep, other = two_leads
    plan = plan_merge("lead", keep, other)
    update_lead(other, title="Renamed meanwhile")
    apply_merge(plan, {"title": OTHER})
    assert Lead[keep].title == "Renamed meanwhile"


@pytest.mark.parametrize(
    ("ids", "take", "message"),
    [
        ((1, 1), None, "with itself"),
        ((1, 99), None, "no lead with id 99"),
        ((1, 2), {"colour": OTHER}, "no field 'colour'"),
        ((1, 2), {"title": "left"}, "the side is"),
    ],
)
def test_bad_merges_are_refused_and_nothing_is_written(
    two_leads: tuple[int, int], ids: tuple[int, int], take: dict | None, message: str
) -> None:
    before = snapshot()
    with pytest.raises(MergeError, match=message):
        merge_leads(*ids, take=take)
    assert snapshot() == before


def test_a_lead_merged_already_cannot_be_merged_again(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    merge_leads(keep, other)
    with pytest.raises(MergeError, match="already merged"):
        merge_leads(other, keep)


def rows_of(model: type[Model], **where: Any) -> list[int]:
    query = model.select(model.id)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return sorted(i for (i,) in query.tuples())


def test_merging_people_moves_their_leads_deals_notes_and_new_contact_points(
    inbox_path: Path,
) -> None:
    keep_lead = create_lead(NewLead(person="Jean Dupont", emails=["jean@acme.fr"]))
    other_lead = create_lead(
        NewLead(person="Jean Dupond", emails=["JD@gmail.com"], phones=["06 12 34 56 78"])
    )
    keep, other = Lead[keep_lead].person_id, Lead[other_lead].person_id
    ContactPoint.create(person=other, kind="email", value="Jean@Acme.fr", key="jean@acme.fr")
    deal = Deal.create(title="Big deal", person=other).id
    person_note = Note.create(body="Met at the fair", person=other).id
    before = snapshot()

    plan = plan_merge("person", keep, other)
    assert {f.field: f.default for f in plan.fields} == {"name": OTHER, "organization": KEEP}
    preview = preview_merge(plan, {"name": KEEP})
    moving = {m.what: m.items for m in preview.moving}
    assert moving["e-mails and phones"] == ("JD@gmail.com", "06 12 34 56 78")
    result = apply_merge(plan, {"name": KEEP})

    assert rows_of(Lead, person=keep) == sorted([keep_lead, other_lead])
    assert Deal[deal].person_id == keep and Note[person_note].person_id == keep
    points = (
        ContactPoint.select().where(ContactPoint.person == keep).order_by(ContactPoint.position)
    )
    assert [p.value for p in points] == ["jean@acme.fr", "JD@gmail.com", "06 12 34 56 78"]
    assert Person[other].merged_into_id == keep
    assert dict(result.moved) == {"leads": 1, "deals": 1, "notes": 1, "e-mails and phones": 2}

    history.undo_last()
    assert snapshot() == before


def test_merging_organisations_moves_their_leads_deals_and_people(inbox_path: Path) -> None:
    keep_lead = create_lead(NewLead(organization="Acme", website="acme.fr"))
    other_lead = create_lead(
        NewLead(person="Zoé Martin", organization="ACME Industries", address="1 rue de la Paix")
    )
    keep, other = Lead[keep_lead].organization_id, Lead[other_lead].organization_id
    zoe = Lead[other_lead].person_id
    deal = Deal.create(title="Acme deal", organization=other).id
    before = snapshot()

    plan = plan_merge("organization", keep, other)
    defaults = {f.field: f.default for f in plan.fields}
    assert defaults == {"name": OTHER, "address": OTHER, "website": KEEP}
    apply_merge(plan, {"name": KEEP})
    org = Organization[keep]
    assert (org.name, org.address, org.website) == ("Acme", "1 rue de la Paix", "acme.fr")
    assert rows_of(Lead, organization=keep) == sorted([keep_lead, other_lead])
    assert Person[zoe].organization_id == keep and Deal[deal].organization_id == keep
    assert Organization[other].merged_into_id == keep

    history.undo_last()
    assert snapshot() == before


def test_taking_the_other_name_updates_the_look_up_key(inbox_path: Path) -> None:
    keep_lead = create_lead(NewLead(organization="Acme"))
    other_lead = create_lead(NewLead(organization="Globex Inc"))
    keep, other = Lead[keep_lead].organization_id, Lead[other_lead].organization_id
    apply_merge(plan_merge("organization", keep, other), {"name": OTHER})
    assert Organization[keep].name_key == "globex"


def test_owner_is_shown_by_name(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    update_lead(other, owner=add_user("Ana Souza").id)
    choice = {f.field: f for f in plan_merge("lead", keep, other).fields}["owner"]
    assert choice.other == "Ana Souza"


def test_the_survivor_keeps_one_pinned_note(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    ours = Note.create(body="Ours, pinned", lead=keep, pinned=True).id
    theirs = Note.create(body="Theirs, pinned", lead=other, pinned=True).id
    merge_leads(keep, other)
    assert Note[ours].pinned and not Note[theirs].pinned
    history.undo_last()
    assert Note[theirs].pinned and Note[theirs].lead_id == other


def test_a_pinned_note_of_the_absorbed_lead_stays_pinned_if_the_survivor_has_none(
    two_leads: tuple[int, int],
) -> None:
    keep, other = two_leads
    theirs = Note.create(body="Theirs, pinned", lead=other, pinned=True).id
    merge_leads(keep, other)
    assert Note[theirs].pinned and Note[theirs].lead_id == keep


def test_notes_in_the_trash_move_but_are_not_previewed(two_leads: tuple[int, int]) -> None:
    keep, other = two_leads
    trashed = Note.create(body="Deleted", lead=other, deleted_at=dt.datetime(2026, 1, 1)).id
    preview = preview_merge(plan_merge("lead", keep, other))
    assert "Deleted" not in {m.what: m.items for m in preview.moving}["notes"]
    merge_leads(keep, other)
    assert Note[trashed].lead_id == keep  # restoring it shows it on the survivor
