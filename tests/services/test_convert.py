"""Conversions: leads to deals (one, reviewed, or many at once), deals back to leads, a lead to a
contact. Each is one transaction and one undo step, and nothing is lost in any direction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from leadbox_tui.services import convert, deal_detail, deal_to_lead, deals, leads, pipelines
from leadbox_tui.services.convert import NewContact
from leadbox_tui.services.deals import DealFilter, DealQuery
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxFilter, InboxQuery
from leadbox_tui.services.leads import LeadError, NewLead
from leadbox_tui.services.pipelines import DealError
from leadbox_tui.services.users import add_user, ensure_me
from leadbox_tui.store.models import (
    Action,
    Activity,
    Change,
    Deal,
    EmailMessage,
    Lead,
    Note,
    NoteMention,
    Person,
    utcnow,
)
from tests.services.deal_helpers import new_deals


def worked_lead(name: str = "Initech", **fields: object) -> int:
    """A lead as a seller leaves it after a few days: a label, notes, an activity, an e-mail."""
    lead_id = leads.create_lead(
        NewLead(
            organization=name,
            person="Zoé Martin",
            emails=[f"zoe@{name.lower()}.fr"],
            value="1200.50",
            currency="EUR",
            expected_close=dt.date(2026, 12, 31),
            labels=["Hot", "Warm"],
            **fields,
        )
    )
    me = ensure_me().id
    first = Note.create(body=f"Met {name} at the fair", lead=lead_id, author=me)
    NoteMention.create(note=first, user=me)
    Note.create(body="Wants a quote by Friday", lead=lead_id, pinned=True)
    Activity.create(type="call", subject="Call back", due_date=dt.date(2026, 6, 1), lead=lead_id)
    EmailMessage.create(
        direction="in", sender=f"zoe@{name.lower()}.fr", subject="Quote?", body="Hi", lead=lead_id
    )
    return lead_id


def stage(name: str, pipeline_id: int | None = None) -> int:
    pipeline = pipelines.get_pipeline(pipeline_id) if pipeline_id else pipelines.default_pipeline()
    return pipelines.find_stage(pipeline, name).id


def inbox_ids() -> list[int]:
    query = InboxQuery()
    return query.ids(0, query.total)


def rows_of(model, **where: object) -> list[dict]:
    query = model.select()
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return list(query.order_by(*model._meta.sorted_fields).dicts())


def bodies(model, **where: object) -> list[str]:
    field = "body" if model is Note else "subject"
    return sorted(row[field] for row in rows_of(model, **where))


# Lead to deal -----------------------------------------------------------------------------


def test_the_proposal_is_prefilled_from_the_lead_and_says_what_moves(inbox_path: Path) -> None:
    lead_id = worked_lead()
    proposal = convert.propose(lead_id)
    choices = proposal.choices
    assert choices.title == "Initech lead"
    assert (choices.value, choices.currency) == (Decimal("1200.50"), "EUR")
    assert choices.expected_close == dt.date(2026, 12, 31)
    assert choices.owner_id == ensure_me().id
    assert choices.visible_to == "everyone"
    assert choices.stage_id == stage("Qualified")
    assert choices.pipeline_id == pipelines.default_pipeline().id
    assert proposal.person.name == "Zoé Martin"
    assert proposal.person.emails == ("zoe@initech.fr",)
    assert proposal.organization.name == "Initech"
    assert (choices.person, choices.organization) == (proposal.person.id, proposal.organization.id)
    assert proposal.moves == convert.Moves(
        notes=2, activities=1, emails=1, labels=("Hot", "Warm"), changes=2
    )
    assert proposal.archived is False


def test_converting_moves_notes_activities_and_emails_and_copies_labels(inbox_path: Path) -> None:
    lead_id = worked_lead()
    deal_id = convert.convert_lead(lead_id)
    detail = deal_detail.deal_detail(deal_id)
    assert sorted(n.body for n in detail.notes) == [
        "Met Initech at the fair",
        "Wants a quote by Friday",
    ]
    assert [a.subject for a in detail.activities] == ["Call back"]
    assert [e.subject for e in detail.emails] == ["Quote?"]
    assert [t.name for t in detail.labels] == ["Hot", "Warm"]
    assert (detail.value, detail.currency, detail.stage) == (Decimal("1200.50"), "EUR", "Qualified")
    assert detail.person.name == "Zoé Martin" and detail.organization.name == "Initech"
    assert rows_of(Note, lead=lead_id) == rows_of(Activity, lead=lead_id) == []
    assert rows_of(EmailMessage, lead=lead_id) == []
    assert [m.user_id for m in NoteMention.select()] == [ensure_me().id]  # mentions ride along


def test_a_removed_note_moves_with_the_lead_and_stays_removed(inbox_path: Path) -> None:
    lead_id = worked_lead()
    Note.update(deleted_at=utcnow()).where(Note.body == "Wants a quote by Friday").execute()
    assert convert.propose(lead_id).moves.notes == 1
    deal_id = convert.convert_lead(lead_id)
    assert [n.body for n in deal_detail.deal_detail(deal_id).notes] == ["Met Initech at the fair"]
    assert len(rows_of(Note, deal=deal_id)) == 2


def test_the_converted_lead_leaves_the_inbox_pointing_to_its_deal(inbox_path: Path) -> None:
    lead_id, other = worked_lead(), worked_lead("Globex")
    deal_id = convert.convert_lead(lead_id)
    lead = Lead[lead_id]
    assert lead.converted_at is not None and lead.converted_deal_id == deal_id
    assert Deal[deal_id].lead_origin_id == lead_id
    assert inbox_ids() == [other]
    assert InboxQuery(InboxFilter(archived=True)).total == 0
    assert lead_id in [c.record_id for c in deal_detail.deal_detail(deal_id).changes]


def test_the_deal_change_log_reads_on_into_the_lead_it_came_from(inbox_path: Path) -> None:
    lead_id = worked_lead()
    leads.update_lead(lead_id, title="Initech: 40 seats")
    deal_id = convert.convert_lead(lead_id)
    changes = deal_detail.deal_detail(deal_id).changes
    entries = [(c.record_type, c.field, c.old, c.new) for c in changes]
    assert ("lead", "title", "Initech lead", "Initech: 40 seats") in entries
    assert ("lead", "labels", "", "Hot, Warm") in entries
    assert ("deal", "@created", None, None) in entries
    [link] = [c.link for c in changes if c.field == "converted_deal"]
    assert link == ("deal", deal_id)
    assert [c.at for c in changes] == sorted((c.at for c in changes), reverse=True)


def test_the_seller_edits_the_proposal_before_saving(inbox_path: Path) -> None:
    lead_id = worked_lead()
    ana = add_user("Ana Souza")
    partners = pipelines.add_pipeline("Partners")
    choices = dataclasses.replace(
        convert.propose(lead_id).choices,
        title="Initech renewal",
        pipeline_id=partners,
        stage_id=stage("Proposal made", partners),
        visible_to="owner",
        value="990",
        currency="usd",
        expected_close=dt.date(2027, 3, 1),
        owner_id=ana.id,
    )
    [row] = deals.deal_rows([convert.convert_lead(lead_id, choices)])
    assert (row.title, row.pipeline, row.stage) == ("Initech renewal", "Partners", "Proposal made")
    assert (row.value, row.currency, row.owner) == (Decimal("990.00"), "USD", "Ana Souza")
    assert row.expected_close == dt.date(2027, 3, 1)
    assert Deal[row.id].visible_to == "owner"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "needs a title"),
        ({"currency": "euro"}, "currency code"),
        ({"value": "lots"}, "not an amount"),
        ({"visible_to": "team"}, "visible to 'team'"),
        ({"stage_id": 999}, "no stage 999"),
        ({"owner_id": 999}, "no user 999"),
        ({"person": 999}, "no person 999"),
        ({"person": None, "organization": None}, "a person or an organisation"),
    ],
)
def test_bad_choices_are_refused_and_nothing_is_written(
    inbox_path: Path, change: dict, message: str
) -> None:
    lead_id = worked_lead()
    actions = Action.select().count()
    choices = dataclasses.replace(convert.propose(lead_id).choices, **change)
    with pytest.raises(DealError, match=message):
        convert.convert_lead(lead_id, choices)
    assert Deal.select().count() == 0
    assert Action.select().count() == actions
    assert inbox_ids() == [lead_id]


def test_a_stage_of_another_pipeline_is_refused(inbox_path: Path) -> None:
    lead_id = worked_lead()
    partners = pipelines.add_pipeline("Partners")
    choices = dataclasses.replace(
        convert.propose(lead_id).choices, stage_id=stage("Qualified", partners)
    )
    with pytest.raises(DealError, match="not in that pipeline"):
        convert.convert_lead(lead_id, choices)


def test_a_likely_duplicate_person_is_offered_and_the_deal_links_to_it(inbox_path: Path) -> None:
    existing = leads.create_lead(
        NewLead(person="Jean Dupont", organization="Initech", emails=["jean@initech.fr"])
    )
    twin = leads.create_lead(
        NewLead(person="Jean Dupond", organization="Initech", emails=["j.dupond@gmail.com"])
    )
    jean = Lead[existing].person_id
    proposal = convert.propose(twin)
    assert proposal.person.id != jean
    [offered] = proposal.person.look_alikes
    assert (offered.id, offered.name) == (jean, "Jean Dupont")
    assert offered.reasons  # the seller sees why
    deal_id = convert.convert_lead(twin, dataclasses.replace(proposal.choices, person=offered.id))
    assert Deal[deal_id].person_id == jean
    assert Lead[twin].person_id == proposal.person.id  # the lead keeps its own history


def test_a_likely_duplicate_organisation_is_offered(inbox_path: Path) -> None:
    leads.create_lead(NewLead(organization="Initech Group"))
    lead_id = leads.create_lead(NewLead(organization="Initech SARL"))
    offered = convert.propose(lead_id).organization.look_alikes
    assert [o.name for o in offered] == ["Initech Group"]


def test_a_contact_typed_in_the_modal_is_created_or_found(inbox_path: Path) -> None:
    lead_id = worked_lead()
    choices = dataclasses.replace(
        convert.propose(lead_id).choices,
        person=NewContact("Marc Petit", emails=("marc@hooli.com",)),
        organization=NewContact("Initech SARL"),  # the lead's organisation, legal form aside
    )
    deal = Deal[convert.convert_lead(lead_id, choices)]
    assert deal.person.name == "Marc Petit"
    assert deal.person.organization_id == deal.organization_id == Lead[lead_id].organization_id
    undo_last()
    assert Person.get(Person.name == "Marc Petit").deleted_at is not None


def test_a_lead_converts_only_once(inbox_path: Path) -> None:
    lead_id = worked_lead()
    convert.convert_lead(lead_id)
    with pytest.raises(LeadError, match="already converted"):
        convert.convert_lead(lead_id)
    with pytest.raises(LeadError, match="already converted"):
        convert.propose(lead_id)
    assert Deal.select().count() == 1


def test_converting_an_archived_lead_unarchives_it_first(inbox_path: Path) -> None:
    lead_id = worked_lead()
    leads.archive([lead_id])
    assert convert.propose(lead_id).archived is True
    report = convert.convert_leads([lead_id])
    assert report.unarchived == 1
    lead = Lead[lead_id]
    assert lead.archived_at is None and lead.converted_at is not None
    assert InboxQuery(InboxFilter(archived=True)).total == 0
    undo_last()
    assert InboxQuery(InboxFilter(archived=True)).ids(0, 5) == [lead_id]


def test_deleted_merged_and_unknown_leads_are_refused(inbox_path: Path) -> None:
    lead_id = worked_lead()
    leads.delete([lead_id])
    with pytest.raises(LeadError, match="deleted; restore it first"):
        convert.convert_lead(lead_id)
    with pytest.raises(LeadError, match="no lead 404"):
        convert.convert_leads([404])
    with pytest.raises(LeadError, match="no leads"):
        convert.convert_leads([])


def test_undo_takes_the_conversion_back_completely(inbox_path: Path) -> None:
    lead_id = worked_lead()
    before = {
        model: rows_of(model) for model in (Lead, Note, Activity, EmailMessage, NoteMention, Person)
    }
    deal_id = convert.convert_lead(lead_id)
    undone = undo_last()
    assert undone.description == "Converted lead 'Initech lead' to a deal"
    after = {model: rows_of(model) for model in before}
    for model in before:
        for row in before[model] + after[model]:
            row.pop("updated_at", None)
        assert after[model] == before[model], model
    assert inbox_ids() == [lead_id]
    assert DealQuery().total == DealQuery(DealFilter(deleted=True)).total == 0
    assert Deal[deal_id].deleted_at is not None  # kept, as every undone creation, but out of view
    assert convert.convert_lead(lead_id) != deal_id  # and it converts again


def test_bulk_converts_many_leads_in_one_step_with_progress_and_a_report(
    inbox_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_ids = [worked_lead(f"Company {i}") for i in range(7)]
    ana = add_user("Ana Souza")
    steps: list[tuple[int, int]] = []
    actions = Action.select().count()
    monkeypatch.setattr(convert, "BATCH", 3)  # several batches: progress moves more than once
    report = convert.convert_leads(
        lead_ids,
        stage_id=stage("Contact made"),
        owner_id=ana.id,
        progress=lambda *s: steps.append(s),
    )
    assert Action.select().count() == actions + 1
    assert steps == [(3, 7), (6, 7), (7, 7)]
    assert [c.lead_id for c in report.converted] == lead_ids
    assert (report.notes, report.activities, report.emails, report.unarchived) == (14, 7, 7, 0)
    rows = deals.deal_rows(report.deal_ids)
    assert {(r.stage, r.owner) for r in rows} == {("Contact made", "Ana Souza")}
    assert [r.title for r in rows] == [f"Company {i} lead" for i in range(7)]
    for done in report.converted:
        assert bodies(Note, deal=done.deal_id) == sorted(
            [f"Met {Lead[done.lead_id].organization.name} at the fair", "Wants a quote by Friday"]
        )
        assert Lead[done.lead_id].converted_deal_id == done.deal_id
    assert inbox_ids() == []
    undo_last()
    assert sorted(inbox_ids()) == lead_ids
    assert len(rows_of(Note, deal=report.deal_ids[0])) == 0


def test_bulk_keeps_each_leads_owner_unless_told(inbox_path: Path) -> None:
    ana = add_user("Ana Souza")
    mine = worked_lead()
    theirs = worked_lead("Globex", owner="Ana Souza")
    report = convert.convert_leads([mine, theirs])
    assert [Deal[d].owner_id for d in report.deal_ids] == [ensure_me().id, ana.id]


def test_bulk_converts_nothing_when_one_lead_cannot_be_converted(inbox_path: Path) -> None:
    good, done = worked_lead(), worked_lead("Globex")
    convert.convert_lead(done)
    with pytest.raises(LeadError, match=f"lead {done} \\(Globex lead\\) was already converted"):
        convert.convert_leads([good, done])
    assert Lead[good].converted_at is None
    assert DealQuery().total == 1


def test_bulk_into_a_stage_of_another_pipeline_is_refused(inbox_path: Path) -> None:
    partners = pipelines.add_pipeline("Partners")
    with pytest.raises(DealError, match="not in that pipeline"):
        convert.convert_leads(
            [worked_lead()],
            pipeline_id=pipelines.default_pipeline().id,
            stage_id=stage("Qualified", partners),
        )


# Deal to lead -----------------------------------------------------------------------------


def test_a_deal_goes_back_to_the_inbox_as_a_lead_of_source_deal(inbox_path: Path) -> None:
    ana = add_user("Ana Souza")
    deal_id = convert.convert_lead(worked_lead(owner="Ana Souza"))
    deals.mark_lost([deal_id], "No budget this year")
    [lead_id] = deal_to_lead.deals_to_leads([deal_id])
    lead = Lead[lead_id]
    assert (lead.source, lead.owner_id, lead.origin_deal_id) == ("Deal", ensure_me().id, deal_id)
    assert ana.id != ensure_me().id
    assert (lead.title, lead.value_minor, lead.currency) == ("Initech lead", 120050, "EUR")
    assert lead.expected_close == dt.date(2026, 12, 31)
    assert (lead.person_id, lead.organization_id) == (
        Deal[deal_id].person_id,
        Deal[deal_id].organization_id,
    )
    assert inbox_ids() == [lead_id]
    detail = lead_detail(lead_id)
    assert [t.name for t in detail.labels] == ["Hot", "Warm"]
    assert sorted(n.body for n in detail.notes) == [
        "Met Initech at the fair",
        "Wants a quote by Friday",
    ]
    assert [e.subject for e in detail.emails] == ["Quote?"]
    assert detail.activities == ()  # activities stay with the deal
    assert [a.subject for a in deal_detail.deal_detail(deal_id).activities] == ["Call back"]
    assert len(deal_detail.deal_detail(deal_id).notes) == 2  # copies: the deal keeps its own
    [copy] = Note.select().where(Note.lead == lead_id, Note.body == "Met Initech at the fair")
    assert [m.user_id for m in copy.mentions] == [ensure_me().id]


def test_the_deal_is_deleted_restorable_and_linked_from_the_leads_history(
    inbox_path: Path,
) -> None:
    [deal_id] = new_deals("Initech")
    [lead_id] = deal_to_lead.deals_to_leads([deal_id])
    assert DealQuery().total == 0
    assert DealQuery(DealFilter(deleted=True)).all_ids() == [deal_id]
    [entry] = [c for c in lead_detail(lead_id).changes if c.field == "origin_deal"]
    assert entry.new == str(deal_id)
    [change] = Change.select().where(Change.record_id == lead_id, Change.field == "origin_deal")
    assert change.at == Lead[lead_id].created_at  # when the conversion happened
    assert deal_detail.deal_detail(deal_id).leads_made == (lead_id,)
    assert lead_detail(lead_id).origin_deal == deal_id  # the line the panel opens the deal from
    assert deals.locate(deal_id) == (DealFilter(deleted=True), 0)
    deals.restore_deals([deal_id])
    assert DealQuery().all_ids() == [deal_id]
    assert deals.locate(deal_id) == (DealFilter(), 0)
    assert inbox_ids() == [lead_id]  # the lead made by the conversion stays


def test_at_most_100_deals_convert_at_once(inbox_path: Path) -> None:
    deal_ids = new_deals(*(f"Company {i}" for i in range(101)))
    with pytest.raises(DealError, match="101 deals selected: at most 100 convert at once"):
        deal_to_lead.deals_to_leads(deal_ids)
    assert inbox_ids() == []
    assert len(deal_to_lead.deals_to_leads(deal_ids[:100])) == 100
    assert DealQuery().all_ids() == deal_ids[100:]


def test_the_filtered_deals_convert_all_at_once(inbox_path: Path) -> None:
    deal_ids = new_deals(*(f"Company {i}" for i in range(100)))
    [kept] = new_deals("Hooli")
    deals.mark_won([kept])
    made = deal_to_lead.filtered_deals_to_leads(DealQuery(DealFilter(status="open")))
    assert len(made) == 100
    assert DealQuery().all_ids() == [kept]
    assert set(DealQuery(DealFilter(deleted=True)).all_ids()) == set(deal_ids)
    with pytest.raises(DealError, match="deleted deals cannot be converted"):
        deal_to_lead.filtered_deals_to_leads(DealQuery(DealFilter(deleted=True)))


def test_a_filter_matching_more_than_100_deals_is_refused_and_nothing_written(
    inbox_path: Path,
) -> None:
    new_deals(*(f"Company {i}" for i in range(101)))
    leads_before = Lead.select().count()
    with pytest.raises(DealError, match="101 deals match the filter: at most 100"):
        deal_to_lead.filtered_deals_to_leads(DealQuery(DealFilter(status="open")))
    assert DealQuery().total == 101
    assert Lead.select().count() == leads_before


def test_a_deleted_deal_cannot_be_converted(inbox_path: Path) -> None:
    [deal_id] = new_deals("Initech")
    deals.delete_deals([deal_id])
    with pytest.raises(DealError, match="deleted; restore it first"):
        deal_to_lead.deals_to_leads([deal_id])
    assert inbox_ids() == []


def test_undo_of_a_deal_to_lead_brings_the_deal_back(inbox_path: Path) -> None:
    deal_id = convert.convert_lead(worked_lead())
    deal_to_lead.deals_to_leads([deal_id])
    undo_last()
    assert DealQuery().all_ids() == [deal_id]
    assert inbox_ids() == []
    assert len(rows_of(Note, deal=deal_id)) == 2
    assert rows_of(Note, deal=None, deleted_at=None) == []  # the copies are gone


def test_a_round_trip_keeps_every_note_and_email_and_both_histories(inbox_path: Path) -> None:
    first = worked_lead()
    leads.update_lead(first, title="Initech: 40 seats")
    notes, emails = bodies(Note, lead=first), bodies(EmailMessage, lead=first)
    lead_log = [(c.field, c.new) for c in lead_detail(first).changes]
    deal_id = convert.convert_lead(first)
    Note.create(body="Negotiating the discount", deal=deal_id)
    deals.step_stage(deal_id, 1)
    [second] = deal_to_lead.deals_to_leads([deal_id])
    assert bodies(Note, lead=second) == sorted([*notes, "Negotiating the discount"])
    assert bodies(EmailMessage, lead=second) == emails
    # the first lead's history is whole, and the deal's reads on into it
    assert [(c.field, c.new) for c in lead_detail(first).changes][-len(lead_log) :] == lead_log
    deal_log = {(c.record_type, c.field, c.new) for c in deal_detail.deal_detail(deal_id).changes}
    assert ("deal", "stage", "Contact made") in deal_log
    assert ("lead", "title", "Initech: 40 seats") in deal_log
    assert any(entry[:2] == ("deal", "deleted_at") and entry[2] for entry in deal_log)
    # and the new lead links back to the deal, which links back to the first lead
    assert Lead[second].origin_deal_id == deal_id
    assert deal_detail.deal_detail(deal_id).lead_origin == first


# Lead to contact --------------------------------------------------------------------------


def test_converting_to_a_contact_keeps_the_contacts_and_leaves_the_inbox(inbox_path: Path) -> None:
    lead_id = worked_lead()
    leads.archive([lead_id])
    done = convert.convert_to_contact(lead_id)
    lead = Lead[lead_id]
    assert (done.person_id, done.organization_id) == (lead.person_id, lead.organization_id)
    assert lead.converted_at is not None and lead.converted_deal_id is None
    assert lead.archived_at is None
    assert inbox_ids() == [] and InboxQuery(InboxFilter(archived=True)).total == 0
    assert Person[done.person_id].deleted_at is None
    assert [c.field for c in lead_detail(lead_id).changes][:2] == ["converted_at", "archived_at"]
    assert len(rows_of(Note, lead=lead_id)) == 2  # its notes stay with it, reachable from them
    with pytest.raises(LeadError, match="already converted"):
        convert.convert_to_contact(lead_id)
    undo_last()
    assert InboxQuery(InboxFilter(archived=True)).ids(0, 5) == [lead_id]


def test_several_leads_convert_to_contacts_in_one_step(inbox_path: Path) -> None:
    first = leads.create_lead(NewLead(person="Zoé Martin"))
    second = leads.create_lead(NewLead(organization="Initech"))
    done = convert.convert_to_contacts([first, second, first])
    assert [d.lead_id for d in done] == [first, second]
    assert done[1].organization_id == Lead[second].organization_id
    assert inbox_ids() == []
    undo_last()  # one step brings both back
    assert sorted(inbox_ids()) == sorted([first, second])


def test_converting_to_contacts_refuses_all_when_one_lead_cannot_be(inbox_path: Path) -> None:
    first = leads.create_lead(NewLead(person="Zoé Martin"))
    second = leads.create_lead(NewLead(organization="Initech"))
    convert.convert_to_contact(second)
    with pytest.raises(LeadError, match=f"lead {second} .* already converted"):
        convert.convert_to_contacts([first, second])
    assert inbox_ids() == [first]
