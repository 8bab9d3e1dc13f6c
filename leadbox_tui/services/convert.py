"""Conversions: a lead to a deal (one with a proposal to review, or many at once) and a lead to
a business contact. Each is one transaction and one undo step (deals back to leads:
``deal_to_lead``).

Lead to deal moves the lead's notes, activities and e-mails to the deal and copies its labels;
the lead stays, marked ``converted_at`` and pointing to its deal (``converted_deal``), so its
change log stays whole and readable from the deal. A lead converted to a contact is marked
``converted_at`` with no ``converted_deal``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from leadbox_tui.services.contacts import find_or_create_organization, find_or_create_person
from leadbox_tui.services.detail import person_info
from leadbox_tui.services.duplicates import (
    OrganizationSuggestion,
    PersonSuggestion,
    suggest_organizations,
    suggest_people,
)
from leadbox_tui.services.history import Recorder, recorded
from leadbox_tui.services.leads import LeadError, clean_text
from leadbox_tui.services.normalize import from_minor, to_minor
from leadbox_tui.services.pipelines import (
    DealError,
    StageInfo,
    default_pipeline,
    get_pipeline,
    get_stage,
    list_pipelines,
)
from leadbox_tui.services.relink import relink_records
from leadbox_tui.store.models import (
    Activity,
    Change,
    Deal,
    DealLabel,
    EmailMessage,
    Label,
    Lead,
    LeadLabel,
    Note,
    Organization,
    Person,
    User,
)

Progress = Callable[[int, int], None]  # (done, total)
VISIBILITIES = ("owner", "everyone")
BATCH = 250  # leads converted per statement, and per step of the progress bar


def no_progress(done: int, total: int) -> None:
    pass


# Lead to deal: the proposal the convert modal shows ---------------------------------------


@dataclass(frozen=True)
class NewContact:
    """A contact typed in the modal: found by exact name, e-mail or phone, else created."""

    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


ContactPick = int | NewContact | None  # an existing contact's id, a new one, or none


@dataclass(frozen=True)
class ProposedPerson:
    """The lead's person, pre-filled, with the existing people it may be (best first)."""

    id: int
    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    look_alikes: tuple[PersonSuggestion, ...]


@dataclass(frozen=True)
class ProposedOrganization:
    """The lead's organisation, pre-filled, with the existing ones it may be (best first)."""

    id: int
    name: str
    look_alikes: tuple[OrganizationSuggestion, ...]


@dataclass(frozen=True)
class Moves:
    """What follows the lead to the deal: moved, copied, or (the change log) readable from it."""

    notes: int
    activities: int
    emails: int
    labels: tuple[str, ...]
    changes: int


@dataclass(frozen=True)
class DealChoices:
    """The deal to make: the proposal's values, as the seller leaves or edits them."""

    title: str
    pipeline_id: int
    stage_id: int
    visible_to: str = "everyone"
    value: Decimal | str | None = None
    currency: str | None = None
    expected_close: dt.date | None = None
    owner_id: int | None = None
    person: ContactPick = None
    organization: ContactPick = None


@dataclass(frozen=True)
class ConvertProposal:
    lead_id: int
    choices: DealChoices  # pre-filled from the lead
    person: ProposedPerson | None
    organization: ProposedOrganization | None
    moves: Moves
    archived: bool  # converting unarchives it first


@dataclass(frozen=True)
class Converted:
    lead_id: int
    deal_id: int


@dataclass(frozen=True)
class ConvertReport:
    """What a conversion did, to tell the seller."""

    converted: tuple[Converted, ...]
    unarchived: int
    notes: int
    activities: int
    emails: int

    @property
    def deal_ids(self) -> list[int]:
        return [c.deal_id for c in self.converted]


def _convertible(lead_ids: Sequence[int]) -> dict[int, Lead]:
    """The leads, checked: each exists, was not converted or merged, and is not in the trash."""
    leads = {lead.id: lead for lead in Lead.select().where(Lead.id.in_(list(lead_ids)))}
    for lead_id in lead_ids:
        lead = leads.get(lead_id)
        if lead is None:
            raise LeadError(f"there is no lead {lead_id}")
        if lead.converted_at is not None:
            raise LeadError(f"lead {lead_id} ({lead.title}) was already converted")
        if lead.merged_into_id is not None:
            raise LeadError(f"lead {lead_id} ({lead.title}) was merged into another lead")
        if lead.deleted_at is not None:
            raise LeadError(f"lead {lead_id} ({lead.title}) is deleted; restore it first")
    return leads


def _first_stage(pipeline_id: int | None = None) -> StageInfo:
    """Where converted leads go unless the seller says: the first stage of the (first) pipeline."""
    pipeline = get_pipeline(pipeline_id) if pipeline_id is not None else default_pipeline()
    return pipeline.stages[0]


LOOK_ALIKES = 5


def _proposed_person(person_id: int, organization: str) -> ProposedPerson:
    info = person_info(person_id)
    found = suggest_people(info.name, info.emails, info.phones, LOOK_ALIKES + 1, organization)
    others = tuple(s for s in found if s.id != person_id)[:LOOK_ALIKES]
    return ProposedPerson(info.id, info.name, info.emails, info.phones, others)


def _proposed_organization(org_id: int) -> ProposedOrganization:
    org = Organization[org_id]
    found = suggest_organizations(org.name, LOOK_ALIKES + 1, org.website)
    others = tuple(s for s in found if s.id != org_id)[:LOOK_ALIKES]
    return ProposedOrganization(org.id, org.name, others)


def _prefilled(lead: Lead, stage: StageInfo, owner_id: int | None = None) -> DealChoices:
    """The deal a lead becomes unless the seller changes it; ``owner_id`` overrides its owner."""
    return DealChoices(
        title=lead.title,
        pipeline_id=stage.pipeline_id,
        stage_id=stage.id,
        visible_to=lead.visible_to,
        value=from_minor(lead.value_minor, lead.currency),
        currency=lead.currency,
        expected_close=lead.expected_close,
        owner_id=lead.owner_id if owner_id is None else owner_id,
        person=lead.person_id,
        organization=lead.organization_id,
    )


def propose(lead_id: int) -> ConvertProposal:
    """The convert modal's content for one lead: the deal pre-filled from it, and what moves."""
    lead = _convertible([lead_id])[lead_id]
    stage = _first_stage()
    organization = _proposed_organization(lead.organization_id) if lead.organization_id else None
    person = (
        _proposed_person(lead.person_id, organization.name if organization else "")
        if lead.person_id
        else None
    )
    labels = (
        Label.select(Label.name)
        .join(LeadLabel)
        .where(LeadLabel.lead == lead_id, Label.deleted_at.is_null())
        .order_by(Label.name)
    )
    return ConvertProposal(
        lead_id=lead_id,
        choices=_prefilled(lead, stage),
        person=person,
        organization=organization,
        moves=Moves(
            notes=Note.select().where(Note.lead == lead_id, Note.deleted_at.is_null()).count(),
            activities=Activity.select().where(Activity.lead == lead_id).count(),
            emails=EmailMessage.select().where(EmailMessage.lead == lead_id).count(),
            labels=tuple(label.name for label in labels),
            changes=Change.select()
            .where(Change.record_type == "lead", Change.record_id == lead_id)
            .count(),
        ),
        archived=lead.archived_at is not None,
    )


# Lead to deal: doing it -------------------------------------------------------------------


@dataclass(frozen=True)
class _DealRow:
    """A checked ``DealChoices``: what goes in the deal's row."""

    title: str
    pipeline: int
    stage: int
    visible_to: str
    value_minor: int | None
    currency: str | None
    expected_close: dt.date | None
    owner: int | None


@dataclass(frozen=True)
class _Known:
    """What the choices are checked against, read once for a whole conversion."""

    stages: dict[int, StageInfo]
    users: set[int]
    people: set[int]
    organizations: set[int]

    @classmethod
    def read(cls, choices: Sequence[DealChoices]) -> _Known:
        def existing(model, picks: set) -> set[int]:
            ids = [p for p in picks if isinstance(p, int)]
            return {r[0] for r in model.select(model.id).where(model.id.in_(ids)).tuples()}

        return cls(
            {stage.id: stage for pipeline in list_pipelines() for stage in pipeline.stages},
            {r[0] for r in User.select(User.id).tuples()},
            existing(Person, {c.person for c in choices}),
            existing(Organization, {c.organization for c in choices}),
        )


def _checked(choices: DealChoices, known: _Known) -> _DealRow:
    title = clean_text(choices.title, "The title", 500).replace("\n", " ")
    if not title:
        raise DealError("a deal needs a title")
    stage = known.stages.get(choices.stage_id)
    if stage is None:
        raise DealError(f"there is no stage {choices.stage_id}")
    if stage.pipeline_id != choices.pipeline_id:
        raise DealError(f"stage {stage.name!r} is not in that pipeline")
    if choices.visible_to not in VISIBILITIES:
        raise DealError(f"visible to {choices.visible_to!r}? one of: {', '.join(VISIBILITIES)}")
    currency = (choices.currency or "").strip().upper() or None
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        raise DealError(f"{choices.currency!r} is not a currency code (three letters, like EUR)")
    try:
        value_minor = to_minor(choices.value, currency)
    except ValueError as error:
        raise DealError(str(error)) from error
    if choices.owner_id is not None and choices.owner_id not in known.users:
        raise DealError(f"there is no user {choices.owner_id}")
    for pick, ids, what in (
        (choices.person, known.people, "person"),
        (choices.organization, known.organizations, "organisation"),
    ):
        if isinstance(pick, int) and pick not in ids:
            raise DealError(f"there is no {what} {pick}")
    if choices.person is None and choices.organization is None:
        raise DealError("a deal needs a person or an organisation")
    return _DealRow(
        title,
        stage.pipeline_id,
        stage.id,
        choices.visible_to,
        value_minor,
        currency,
        choices.expected_close,
        choices.owner_id,
    )


def _contact_ids(rec: Recorder, choices: DealChoices) -> tuple[int | None, int | None]:
    """The person and organisation the deal links to, new ones found or created now."""
    org = choices.organization
    if isinstance(org, NewContact):
        org = find_or_create_organization(rec, clean_text(org.name, "The organisation", 500))
    person = choices.person
    if isinstance(person, NewContact):
        person = find_or_create_person(
            rec, clean_text(person.name, "The person", 500), person.emails, person.phones, org
        )
    return person, org


def convert_lead(lead_id: int, choices: DealChoices | None = None) -> int:
    """Convert one lead to a deal as the seller chose in the modal; returns the deal's id."""
    leads = _convertible([lead_id])
    choices = choices or propose(lead_id).choices
    return _convert(leads, {lead_id: choices}, no_progress).deal_ids[0]


def convert_leads(
    lead_ids: Sequence[int],
    pipeline_id: int | None = None,
    stage_id: int | None = None,
    owner_id: int | None = None,
    progress: Progress = no_progress,
) -> ConvertReport:
    """Convert many leads at once, each pre-filled from itself, into one pipeline and stage.

    No stage: the pipeline's first. No owner: each deal keeps its lead's owner. Every lead must
    be convertible, or nothing is converted and the message names the first one that is not.
    """
    ids = list(dict.fromkeys(lead_ids))
    if not ids:
        raise LeadError("no leads to convert")
    stage = get_stage(stage_id) if stage_id is not None else _first_stage(pipeline_id)
    if pipeline_id is not None and stage.pipeline_id != pipeline_id:
        raise DealError(f"stage {stage.name!r} is not in that pipeline")
    leads = _convertible(ids)
    choices = {i: _prefilled(leads[i], stage, owner_id) for i in ids}
    return _convert(leads, choices, progress)


def _convert(
    leads: dict[int, Lead], choices: dict[int, DealChoices], progress: Progress
) -> ConvertReport:
    """Make the deals and move everything to them, in one recorded action.

    Set-based, a batch of leads at a time (each batch one step of ``progress``): a thousand
    leads take a few dozen statements, not a dozen each.
    """
    known = _Known.read(list(choices.values()))
    rows = {lead_id: _checked(c, known) for lead_id, c in choices.items()}
    lead_ids = list(choices)
    total = len(lead_ids)
    description = (
        f"Converted lead {leads[lead_ids[0]].title!r} to a deal"
        if total == 1
        else f"Converted {total:,} leads to deals"
    )
    archived = [i for i in lead_ids if leads[i].archived_at is not None]
    moved = dict.fromkeys((Note, Activity, EmailMessage), 0)
    deal_of: dict[int, int] = {}
    with recorded("convert", description) as rec:
        rec.set_many(Lead, archived, "archived_at", None)
        for start in range(0, total, BATCH):
            batch = lead_ids[start : start + BATCH]
            made = _insert_deals(rec, {i: rows[i] for i in batch}, choices)
            deal_of.update(made)
            rec.set_each(Lead, "converted_deal", made)
            for model in moved:
                moved[model] += len(relink_records(rec, model, "lead", made, to_field="deal"))
            labels = LeadLabel.select(LeadLabel.lead, LeadLabel.label).where(
                LeadLabel.lead.in_(batch)
            )
            copies = [{"deal": made[lead], "label": label} for lead, label in labels.tuples()]
            if copies:
                DealLabel.insert_many(copies).execute()
            progress(start + len(batch), total)
        # ``next_activity_at`` stays: it only orders the inbox, which the lead has left, and
        # it is right again the moment undo brings the lead and its activities back.
        rec.set_many(Lead, lead_ids, "converted_at", rec.action.at)
    return ConvertReport(
        tuple(Converted(lead_id, deal_of[lead_id]) for lead_id in lead_ids),
        len(archived),
        *moved.values(),
    )


def _insert_deals(
    rec: Recorder, rows: dict[int, _DealRow], choices: dict[int, DealChoices]
) -> dict[int, int]:
    """Insert the deals of these leads in one statement; returns each lead's deal id."""
    values = []
    for lead_id, row in rows.items():
        person, org = _contact_ids(rec, choices[lead_id])
        values.append(
            {
                **asdict(row),
                "person": person,
                "organization": org,
                "lead_origin": lead_id,
                "created_at": rec.action.at,
                "updated_at": rec.action.at,
            }
        )
    inserted = Deal.insert_many(values).returning(Deal.id, Deal.lead_origin).tuples().execute()
    made = {lead_id: deal_id for deal_id, lead_id in inserted}
    rec.created_many(Deal, list(made.values()))
    return made


# Lead to contact ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactConversion:
    lead_id: int
    person_id: int | None
    organization_id: int | None


def convert_to_contact(lead_id: int) -> ContactConversion:
    """Keep the lead's person and organisation as contacts and take the lead out of the inbox.

    As Business Contact Manager does: the contacts stay (with the lead, its notes, activities
    and e-mails reachable from them); the lead is marked ``converted_at`` with no deal.
    """
    return convert_to_contacts([lead_id])[0]


def convert_to_contacts(lead_ids: Sequence[int]) -> list[ContactConversion]:
    """``convert_to_contact`` for several leads, in one transaction and one undo step; every
    lead must be convertible, or nothing is converted and the first one that is not is named."""
    ids = list(dict.fromkeys(lead_ids))
    if not ids:
        raise LeadError("no leads to convert")
    leads = _convertible(ids)
    what = (
        f"Converted lead {leads[ids[0]].title!r} to a contact"
        if len(ids) == 1
        else f"Converted {len(ids):,} leads to contacts"
    )
    with recorded("convert", what) as rec:
        rec.set_many(Lead, ids, "archived_at", None)
        rec.set_many(Lead, ids, "converted_at", rec.action.at)
    return [ContactConversion(i, leads[i].person_id, leads[i].organization_id) for i in ids]
